/** A flood's episodes follow its sources' capture times, whatever order they join in, within a flush or across flushes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsBudget, type FlaggedHost } from './board-findings.js';
import { FindingsStore } from '../findings/store.js';

const MIN = 60e6;

/** `n` one-SYN sources (`10.<net>.x.y`, 10 ms apart from `t0` µs) against 203.0.113.5 port 80. */
const sources = (net: number, n: number, t0: number): FlaggedHost[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.${net}.${i >> 8}.${i & 255}`, score: 0.9, count: 1, firstSeen: t0 + i * 10_000, lastSeen: t0 + i * 10_000, dst: '203.0.113.5', dport: 80 }));

interface Detail {
  sources: number;
  episodes?: { from: number; to: number; sources: number; examples: string[] }[];
  episodeCount?: number;
}

const ms = (us: number): number => Math.floor(us / 1000);

/** Every episode runs forwards, they follow one another in time with a gap of more than 5 minutes, and none counts fewer than 0 sources. */
function wellFormed(d: Detail): void {
  const es = d.episodes ?? [];
  for (const [i, e] of es.entries()) {
    assert.ok(e.to >= e.from, `episode ${i} runs backwards: ${e.from} → ${e.to}`);
    assert.ok(e.sources >= 0, `episode ${i} has ${e.sources} sources`);
    if (i > 0) assert.ok(e.from - es[i - 1]!.to > 5 * 60e3, `episode ${i} begins ${e.from - es[i - 1]!.to} ms after the one before it ends`);
  }
}

test('sources joining out of capture-time order within one flush: the episodes are those of their capture times', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const t0 = 10 * MIN;
  b.begin(t0 + 25 * MIN);
  // the later episode's sources come first (the board takes its hosts in the order they last changed)
  for (const h of [...sources(2, 150, t0 + 20 * MIN), ...sources(1, 150, t0)]) b.admit(h);
  const d = b.summed()[0]!.explanation.detail as Detail;
  assert.equal(d.sources, 300);
  assert.equal(d.episodeCount, 2, 'two stretches 20 minutes apart are two episodes');
  assert.deepEqual(d.episodes!.map((e) => [e.from, e.to, e.sources]), [[ms(t0), ms(t0 + 149 * 10_000), 150], [ms(t0 + 20 * MIN), ms(t0 + 20 * MIN + 149 * 10_000), 150]]);
  assert.match(d.episodes![0]!.examples[0]!, /^10\.1\./, 'the first episode\'s examples are its own sources');
  assert.match(d.episodes![1]!.examples[0]!, /^10\.2\./);
  wellFormed(d);
});

test('a later flush carrying earlier capture times: its sources join the episode of their time, and nothing runs backwards', () => {
  const store = new FindingsStore(':memory:');
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const t0 = 10 * MIN;
  b.begin(t0 + 21 * MIN);
  for (const h of sources(2, 150, t0 + 20 * MIN)) b.admit(h);
  store.record(b.summed());
  // the next flush brings sources of 20 minutes before (a backlog, a capture merged out of order)
  b.begin(t0 + 22 * MIN);
  for (const h of sources(1, 100, t0)) b.admit(h);
  store.record(b.summed());
  // and then some whose SYNs are within 5 minutes of the first episode's end: they widen it
  b.begin(t0 + 23 * MIN);
  for (const h of sources(3, 10, t0 + 4 * MIN)) b.admit(h);
  store.record(b.summed());
  const f = store.list({ detector: 'syn-flood' }).findings[0]!;
  const d = f.explanation.detail as Detail;
  assert.equal(d.sources, 260);
  assert.equal(d.episodeCount, 2);
  assert.deepEqual(d.episodes!.map((e) => [e.from, e.to, e.sources]), [[ms(t0), ms(t0 + 4 * MIN + 9 * 10_000), 110], [ms(t0 + 20 * MIN), ms(t0 + 20 * MIN + 149 * 10_000), 150]]);
  wellFormed(d);
  assert.equal(f.count, 3);
  assert.equal(f.lastSeen, ms(t0 + 20 * MIN + 149 * 10_000), 'last seen: the latest SYN, not the latest flush\'s');
  assert.equal(f.explanation.summary.match(/it came in 2 episodes/)?.length, 1, 'the stored text is the latest flush\'s');
  store.close();
});

test('a source bridging two episodes makes them one', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const t0 = 10 * MIN;
  b.begin(t0 + 12 * MIN);
  for (const h of [...sources(1, 30, t0), ...sources(2, 30, t0 + 8 * MIN)]) b.admit(h);
  let d = b.summed()[0]!.explanation.detail as Detail;
  assert.equal(d.episodeCount, 2);
  b.begin(t0 + 13 * MIN);
  for (const h of sources(3, 1, t0 + 4 * MIN)) b.admit(h);
  d = b.summed()[0]!.explanation.detail as Detail;
  assert.equal(d.episodeCount, undefined, 'one episode: no gap of 5 minutes is left');
  assert.equal(d.sources, 61);
});

test('a source summed before that sends again later neither bridges episodes by its first SYN nor begins one of 0 sources', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const t0 = 10 * MIN;
  b.begin(t0 + 22 * MIN);
  for (const h of [...sources(1, 30, t0), ...sources(2, 30, t0 + 20 * MIN)]) b.admit(h);
  b.summed();
  b.begin(t0 + 41 * MIN);
  b.admit({ ...sources(1, 1, t0)[0]!, lastSeen: t0 + 40 * MIN, count: 2, again: true });
  // and one whose new SYN is within the second episode widens it, bridging nothing
  b.admit({ ...sources(1, 2, t0)[1]!, lastSeen: t0 + 20 * MIN + 30 * 10_000, count: 2, again: true });
  const d = b.summed()[0]!.explanation.detail as Detail;
  assert.equal(d.episodeCount, 2);
  assert.deepEqual(d.episodes!.map((e) => [e.from, e.to, e.sources]), [[ms(t0), ms(t0 + 29 * 10_000), 30], [ms(t0 + 20 * MIN), ms(t0 + 20 * MIN + 30 * 10_000), 30]]);
  assert.equal(d.sources, 60, 'not counted again');
  wellFormed(d);
});

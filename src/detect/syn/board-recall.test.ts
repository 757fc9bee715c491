/** A board started again recalls the floods and waves the findings store tells: the next one against the same victim tells them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore } from '../findings/store.js';
import type { Finding } from '../detector.js';
import { FindingsBudget, type FlaggedHost } from './board-findings.js';
import { recalledFlood, recalledFloods } from './board-recall.js';
import { floodSources, flushInto } from './testing.js';

const MIN = 60e6;
const ms = (us: number): number => Math.floor(us / 1000);
const utc = (us: number): string => new Date(ms(us)).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';


/** `n` one-SYN sources to port 23 of as many victims: a scanning wave. */
const wave = (net: number, n: number, t0: number): FlaggedHost[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.${net}.0.${i}`, score: 0.9, count: 1, firstSeen: t0 + i * 10_000, lastSeen: t0 + i * 10_000, dst: `198.51.${net}.${i}`, dport: 23 }));


interface FloodDetail {
  sources: number;
  from: number;
  to: number;
  earlier?: { from: number; to: number; sources: number; examples: string[]; episodeCount: number }[];
  earlierCount?: number;
}

/** The board after a restart: a new budget, recalling what `store` holds. */
const restarted = (store: FindingsStore): FindingsBudget =>
  new FindingsBudget({ threshold: 0.5, modelVersion: 'm', recall: recalledFloods([...store.list({ detector: 'syn-flood' }).findings, ...store.list({ detector: 'syn-wave' }).findings]) });

test('a flood after a restart tells the floods its row told before it, as the board before the restart would have', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  const t2 = t1 + 3 * 60 * MIN;
  const t3 = t2 + 3 * 60 * MIN;
  const before = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  flushInto(store, before, t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  flushInto(store, before, t2 + 3 * MIN, floodSources(2, 120, t2, 0.95));
  const told = store.list({ detector: 'syn-flood' }).findings[0]!.explanation.detail as FloodDetail;
  assert.deepEqual([told.from, told.to], [ms(t2), ms(t2 + 119 * 10_000)], "the row's detail spans the flood it tells");
  assert.equal(told.earlierCount, 1);
  // the server restarts; a third flood comes three hours after the second
  flushInto(store, restarted(store), t3 + 3 * MIN, floodSources(3, 80, t3, 0.9));
  const f = store.list({ detector: 'syn-flood' }).findings[0]!;
  const d = f.explanation.detail as FloodDetail;
  assert.equal(d.sources, 80, 'the current flood');
  // before: no earlier flood, and the row's text and detail no longer said there had been two
  assert.equal(d.earlierCount, 2);
  assert.deepEqual(d.earlier!.map((e) => [e.from, e.to, e.sources]), [[ms(t1), ms(t1 + 299 * 10_000), 300], [ms(t2), ms(t2 + 119 * 10_000), 120]]);
  assert.match(d.earlier![1]!.examples[0]!, /^10\.2\.0\.0 0\.950$/);
  assert.match(f.explanation.summary, new RegExp(`2 earlier floods against it: from ${utc(t1)} to .*, 300 sources, e\\.g\\. 10\\.1\\.0\\.0 0\\.990.*; from ${utc(t2)} to .*, 120 sources`));
  store.close();
});

test('a flood going on across a restart is not an earlier flood of itself; a wave after a restart tells the earlier wave', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  const before = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  flushInto(store, before, t1 + MIN, [...floodSources(1, 300, t1, 0.99), ...wave(1, 12, t1)]);
  flushInto(store, before, t1 + 3 * MIN, []);
  const b = restarted(store);
  // 20 minutes later, within the hour: the same flood going on
  flushInto(store, b, t1 + 23 * MIN, floodSources(2, 100, t1 + 20 * MIN, 0.99));
  const flood = store.list({ detector: 'syn-flood' }).findings[0]!;
  assert.equal((flood.explanation.detail as FloodDetail).earlierCount, undefined);
  assert.doesNotMatch(flood.explanation.summary, /earlier flood/);
  // three hours later, the port's wave again
  const t2 = t1 + 3 * 60 * MIN;
  flushInto(store, b, t2 + MIN, wave(2, 7, t2));
  flushInto(store, b, t2 + 3 * MIN, []);
  const w = store.list({ detector: 'syn-wave' }).findings[0]!;
  const d = w.explanation.detail as FloodDetail;
  assert.equal(d.sources, 7);
  assert.deepEqual(d.earlier!.map((e) => [e.from, e.to, e.sources]), [[ms(t1), ms(t1 + 11 * 10_000), 12]]);
  assert.match(w.explanation.summary, /1 earlier wave to the port: from .*, 12 sources, e\.g\. 10\.1\.0\.0 0\.900/);
  store.close();
});

/** A stored row of `detector` and `entity` with `detail`, first and last seen at `first`/`last` ms. */
function row(detector: string, entity: string, detail: unknown, first = 1_000, last = 2_000): Finding {
  return { id: 1, detector, entity, score: 0.9, threshold: 0.5, modelVersion: 'm', time: last, firstSeen: first, lastSeen: last, count: 1, sightedAt: 0, explanation: { summary: '', detail }, evidence: { query: '', from: first, to: last }, triage: { status: 'open', note: '', by: null, at: null } } as unknown as Finding;
}

test('a row as an older server wrote it (no from/to) spans its first to last seen; one that is not a flood as written here recalls nothing, and never throws', () => {
  const old = recalledFlood(row('syn-flood', 'ip:2001:db8::5', { sources: 40, dport: 443, examples: ['10.0.0.1 0.990', 'not an example'] }))!;
  assert.deepEqual([old.kind, old.dst, old.dport, old.flood.first, old.flood.last, old.flood.sources], ['flood', '2001:db8::5', 443, 1_000_000, 2_000_000, 40]);
  assert.deepEqual(old.flood.examples, [{ ip: '10.0.0.1', score: 0.99, dst: '2001:db8::5' }], 'an example not in exampleText form is dropped');
  // an older row that told earlier floods: its first seen is the first flood's, so the one it tells is its last SYN
  const withEarlier = recalledFlood(row('syn-flood', 'ip:203.0.113.5', { sources: 40, dport: 80, earlier: [{ from: 100, to: 200, sources: 9, examples: [], episodeCount: 1 }], earlierCount: 4 }, 100, 5_000))!;
  assert.deepEqual([withEarlier.flood.first, withEarlier.flood.last, withEarlier.earlierCount, withEarlier.earlier.length], [5_000_000, 5_000_000, 4, 1]);
  const bad: unknown[] = [null, 7, 'x', [], { sources: -1, dport: 80 }, { sources: 3, dport: 70_000 }, { sources: 3 }, { sources: 3, dport: 80, earlier: 'x', from: 'y' }, { sources: 3, dport: 80, earlier: [null, { from: 5, to: 1, sources: 2 }] }];
  const got = bad.map((d) => recalledFlood(row('syn-flood', 'ip:203.0.113.5', d)));
  assert.deepEqual(got.map((r) => r === null ? null : r.earlier.length), [null, null, null, null, null, null, null, 0, 0], 'a detail not as written here: nothing, or the flood without the earlier ones that are not');
  assert.equal(recalledFlood(row('syn-wave', 'port:23', { sources: 3, dport: 80 })), null, "a wave's port must be its entity's");
  assert.equal(recalledFlood(row('syn', 'ip:203.0.113.5', { sources: 3, dport: 80 })), null, 'a host row is no flood');
  // a wave's sources of 1–2 SYNs only: as its row says; not said (an older row), or a flood's, false
  const few = [row('syn-wave', 'port:23', { sources: 3, dport: 23, allFew: true }), row('syn-wave', 'port:23', { sources: 3, dport: 23 }), row('syn-wave', 'port:23', { sources: 3, dport: 23, allFew: 'yes' }), row('syn-flood', 'ip:203.0.113.5', { sources: 3, dport: 23, allFew: true })];
  assert.deepEqual(few.map((f) => recalledFlood(f)!.allFew), [true, false, false, false]);
  // the restarts a flood went on across: none without beforeRestart, 1 for a row from before the count
  const restarts = [{}, { beforeRestart: { to: 1, sources: 2 } }, { beforeRestart: { to: 1, sources: 2, restarts: 3 } }, { beforeRestart: { to: 1, sources: 2, restarts: 'x' } }, { beforeRestart: 'x' }];
  assert.deepEqual(restarts.map((x) => recalledFlood(row('syn-flood', 'ip:203.0.113.5', { sources: 3, dport: 80, ...x }))!.restarts), [0, 1, 3, 1, 0]);
  assert.deepEqual(recalledFloods([row('syn-wave', 'port:23', { sources: 3, dport: 23 }), row('url', 'url:x', {})]).map((r) => [r.kind, r.dport]), [['wave', 23]]);
});

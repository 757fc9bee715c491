/** A second SYN flood against the same victim, within the hour or after it: the operator sees it, its start, its sources and its count. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SynLiveBoard } from './board.js';
import { FindingsStore } from '../findings/store.js';
import type { NewFinding } from '../detector.js';
import { FindingsBudget, type FlaggedHost } from './board-findings.js';
import { FLOOD_SOURCES } from './board-groups.js';
import { EPISODE_GAP_US } from './flood-episodes.js';
import { generateSynthetic } from './synth.js';
import { floodSources, flushInto, tinyModel } from './testing.js';
import type { SynPacket } from './types.js';

const MIN = 60e6;
const synth = generateSynthetic(5, 1);
const base = synth.find((h) => h.tool === 'spoofed-flood')!.syns[0]!;

/** `n` spoofed one-SYN sources (`10.<net>.x.y`) against base's victim, 10 ms apart from `t0` (µs). */
const burst = (net: number, n: number, t0: number): SynPacket[] => Array.from({ length: n }, (_, i) => ({ ...base, src: `10.${net}.${i >> 8}.${i & 255}`, t: t0 + i * 10_000 }));

test('two floods against one victim 20 minutes apart: one row, whose explanation says there were two, with the second one\'s start, sources and count', () => {
  const store = new FindingsStore(':memory:');
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: store, flushBudgetMs: Infinity });
  const t0 = base.t;
  board.add(burst(1, 300, t0));
  board.flush();
  // quiet: the board's clock moves on (a lone client elsewhere), the flood's sources go idle
  for (let m = 1; m <= 20; m += 2) {
    board.add([{ ...base, src: '192.0.2.200', dst: '192.0.2.1', dport: 443, t: t0 + m * MIN }]);
    board.flush();
  }
  board.add(burst(2, 120, t0 + 20 * MIN));
  board.flush();
  board.settle();
  const rows = store.list({ detector: 'syn-flood' }).findings;
  assert.equal(rows.length, 1, 'one row per victim: the flood within the hour (quietUs) is one stretch');
  const f = rows[0]!;
  const d = f.explanation.detail as { sources: number; episodes?: { from: number; to: number; sources: number; examples: string[] }[]; episodeCount?: number };
  assert.equal(d.sources, 420, 'both floods\' sources');
  assert.equal(f.lastSeen, Math.floor((t0 + 20 * MIN + 119 * 10_000) / 1000), "last seen: the second flood's last SYN");
  assert.equal(f.count, 2, 'written once per flood');
  assert.equal(f.firstSeen, Math.floor(t0 / 1000), "first seen: the flood's first SYN (it was the first record's last SYN)");
  // before: "420 sources … since <the first flood's start>, e.g. 10.1.0.0 …" and nothing of the second
  assert.equal(d.episodeCount, 2);
  assert.deepEqual(d.episodes!.map((e) => [e.from, e.sources]), [[Math.floor(t0 / 1000), 300], [Math.floor((t0 + 20 * MIN) / 1000), 120]]);
  assert.match(d.episodes![1]!.examples[0]!, /^10\.2\./, "the second flood's own sources");
  const at = (us: number): string => new Date(Math.floor(us / 1000)).toISOString().slice(0, 19).replace('T', ' ');
  assert.match(f.explanation.summary, new RegExp(`: 420 sources .*; it came in 2 episodes, each after 5 minutes or more without a new source: from ${at(t0)} UTC to .*, 300 sources, e\\.g\\. 10\\.1\\.0\\.0 .*; from ${at(t0 + 20 * MIN)} UTC to .*, 120 sources, e\\.g\\. 10\\.2\\.0\\.0 .*; the evidence lists`));
  store.close();
});

test('a flood of many episodes keeps its first and latest ones, each with its own sources, and says how many there were', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  let summed: NewFinding[] = [];
  for (let k = 0; k < 7; k++) {
    const t = (10 + 10 * k) * MIN;
    b.begin(t);
    for (let i = 0; i < FLOOD_SOURCES + k; i++) b.admit({ ip: `10.${k}.0.${i}`, score: 0.9, count: 1, firstSeen: t + i, lastSeen: t + i, dst: '203.0.113.5', dport: 80 });
    summed = b.summed();
  }
  const d = summed[0]!.explanation.detail as { sources: number; episodes: { from: number; sources: number }[]; episodeCount: number; droppedSources?: number };
  assert.equal(d.episodeCount, 7);
  assert.equal(d.droppedSources, 21 + 22, "the dropped ones' sources, said apart");
  assert.deepEqual(d.episodes.map((e) => e.sources), [20, 23, 24, 25, 26], 'the first, then the latest four: each its own, the dropped ones counted in none');
  assert.equal(d.sources, 7 * FLOOD_SOURCES + 21);
  assert.match(summed[0]!.explanation.summary, /it came in 7 episodes, each after 5 minutes or more without a new source \(the first and the latest 4 shown; the 2 not shown had 43 sources\): from 1970-01-01 00:10:00 UTC/);
});

test('sources a few minutes apart are one episode: no episode text', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  b.begin(10 * MIN);
  for (let i = 0; i < 2 * FLOOD_SOURCES; i++) b.admit({ ip: `10.0.0.${i}`, score: 0.9, count: 1, firstSeen: 10 * MIN + i * (EPISODE_GAP_US / 4), lastSeen: 10 * MIN + i * (EPISODE_GAP_US / 4), dst: '203.0.113.5', dport: 80 });
  const f = b.summed()[0]!;
  assert.equal((f.explanation.detail as { episodeCount?: number }).episodeCount, undefined);
  assert.doesNotMatch(f.explanation.summary, /episode/);
});



interface FloodDetail {
  sources: number;
  examples: string[];
  episodes?: { from: number; to: number; sources: number; examples: string[] }[];
  episodeCount?: number;
  earlier?: { from: number; to: number; sources: number; examples: string[]; episodeCount: number }[];
  earlierCount?: number;
}

const ms = (us: number): number => Math.floor(us / 1000);
const utc = (us: number): string => new Date(ms(us)).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';

test('a second flood within the hour at a lower score joins the same row, which is recorded again and tells both', () => {
  const store = new FindingsStore(':memory:');
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const t1 = 10 * MIN;
  const t2 = t1 + 30 * MIN;
  flushInto(store, b, t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  flushInto(store, b, t2 + 2 * MIN, floodSources(2, 120, t2, 0.9));
  const rows = store.list({ detector: 'syn-flood' }).findings;
  assert.equal(rows.length, 1, 'one row for the victim');
  const f = rows[0]!;
  assert.equal(f.count, 2, 'recorded again');
  assert.equal(f.score, 0.99, "the row's score: the highest");
  assert.equal(f.lastSeen, ms(t2 + 119 * 10_000));
  const d = f.explanation.detail as FloodDetail;
  assert.equal(d.sources, 420, 'one flood: both episodes summed');
  assert.deepEqual(d.episodes!.map((e) => [e.from, e.sources]), [[ms(t1), 300], [ms(t2), 120]]);
  assert.match(f.explanation.summary, /: 420 sources .*it came in 2 episodes/);
  store.close();
});

test('a flood back after more than an hour of quiet at a lower score: the row tells the current flood, and the earlier one under it', () => {
  const store = new FindingsStore(':memory:');
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const t1 = 10 * MIN;
  const t2 = t1 + 3 * 60 * MIN;
  flushInto(store, b, t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  // a later flood of two episodes, quiet 20 minutes between them, each scored lower than the first flood
  flushInto(store, b, t2 + 2 * MIN, floodSources(2, 120, t2, 0.9));
  flushInto(store, b, t2 + 22 * MIN, floodSources(3, 50, t2 + 20 * MIN, 0.9));
  const rows = store.list({ detector: 'syn-flood' }).findings;
  assert.equal(rows.length, 1, 'one row for the victim');
  const f = rows[0]!;
  assert.equal(f.count, 3, 'every record counted');
  assert.equal(f.score, 0.99, "the row's score stays the highest, for sorting and filtering");
  assert.equal(f.lastSeen, ms(t2 + 20 * MIN + 49 * 10_000));
  assert.equal(f.time, ms(t2 + 20 * MIN + 49 * 10_000), "the explanation's time: the current flood's latest SYN");
  const d = f.explanation.detail as FloodDetail;
  // before: 300 sources since the first flood's start, its examples, nothing of the flood now under way
  assert.equal(d.sources, 170, "the current flood's sources");
  assert.match(d.examples[0]!, /^10\.2\./, "the current flood's examples");
  assert.deepEqual(d.episodes!.map((e) => [e.from, e.to, e.sources]), [[ms(t2), ms(t2 + 119 * 10_000), 120], [ms(t2 + 20 * MIN), ms(t2 + 20 * MIN + 49 * 10_000), 50]]);
  assert.equal(d.earlierCount, 1);
  assert.deepEqual(d.earlier!.map((e) => [e.from, e.to, e.sources, e.episodeCount]), [[ms(t1), ms(t1 + 299 * 10_000), 300, 1]]);
  assert.match(d.earlier![0]!.examples[0]!, /^10\.1\./);
  assert.match(
    f.explanation.summary,
    new RegExp(`: 170 sources .* since ${utc(t2)}, .*e\\.g\\. 10\\.2\\.0\\.0 0\\.900.*; it came in 2 episodes.*; before it, after an hour or more without a source, 1 earlier flood against it: from ${utc(t1)} to ${utc(t1 + 299 * 10_000)}, 300 sources, e\\.g\\. 10\\.1\\.0\\.0 0\\.990`),
  );
  store.close();
});

/** `n` one-SYN sources (`10.<net>.0.i`) to port 23 of as many victims (`198.51.<net>.i`), 10 ms apart from `t0` (µs): a scanning wave, no flood. */
const wave = (net: number, n: number, t0: number, score: number): FlaggedHost[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.${net}.0.${i}`, score, count: 1, firstSeen: t0 + i * 10_000, lastSeen: t0 + i * 10_000, dst: `198.51.${net}.${i}`, dport: 23 }));

test('a wave back after more than an hour of quiet at a lower score: the row tells the current wave, and the earlier one under it', () => {
  const store = new FindingsStore(':memory:');
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const t1 = 10 * MIN;
  const t2 = t1 + 3 * 60 * MIN;
  // each wave held a minute (a flood may take its sources back), then a row
  flushInto(store, b, t1 + MIN, wave(1, 12, t1, 0.99));
  flushInto(store, b, t1 + 3 * MIN, []);
  flushInto(store, b, t2 + MIN, wave(2, 7, t2, 0.8));
  flushInto(store, b, t2 + 3 * MIN, []);
  const rows = store.list({ detector: 'syn-wave' }).findings;
  assert.equal(rows.length, 1, 'one row for the port');
  const f = rows[0]!;
  assert.equal(f.score, 0.99, "the row's score stays the highest");
  assert.equal(f.time, ms(t2 + 6 * 10_000), "the explanation's time: the current wave's latest SYN");
  const d = f.explanation.detail as FloodDetail;
  // before: "12 sources … since <the first wave's start>, e.g. 10.1.0.0 …", nothing of the wave now under way
  assert.equal(d.sources, 7, "the current wave's sources");
  assert.match(d.examples[0]!, /^10\.2\./, "the current wave's examples");
  assert.equal(d.earlierCount, 1);
  assert.deepEqual(d.earlier!.map((e) => [e.from, e.to, e.sources]), [[ms(t1), ms(t1 + 11 * 10_000), 12]]);
  assert.match(f.explanation.summary, new RegExp(`^7 sources of only 1–2 SYNs each to port 23 scored ≥ 0\\.5 since ${utc(t2)}: .*; before it, after an hour or more without a source, 1 earlier wave to the port: from ${utc(t1)} to ${utc(t1 + 11 * 10_000)}, 12 sources, e\\.g\\. 10\\.1\\.0\\.0 0\\.990`));
  store.close();
});

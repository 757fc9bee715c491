/** A flood (wave) still going on when the server restarts: the board after it counts on from what its row told. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore } from '../findings/store.js';
import { FindingsBudget, type FlaggedHost } from './board-findings.js';
import { recalledFloods } from './board-recall.js';
import { floodSources, flushInto } from './testing.js';

const MIN = 60e6;
const HOUR = 60 * MIN;
const ms = (us: number): number => Math.floor(us / 1000);

interface Detail {
  sources: number;
  from: number;
  to: number;
  beforeRestart?: { to: number; sources: number; restarts: number };
  episodes?: { from: number; to: number; sources: number }[];
  episodeCount?: number;
  earlier?: { sources: number }[];
  earlierCount?: number;
}

/** `n` one-SYN sources to port 23 of as many victims (`10.<net>.0.i`, 10 ms apart from `t0`): a scanning wave. */
const wave = (net: number, n: number, t0: number): FlaggedHost[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.${net}.0.${i}`, score: 0.9, count: 1, firstSeen: t0 + i * 10_000, lastSeen: t0 + i * 10_000, dst: `198.51.${net}.${i}`, dport: 23 }));

/** The board after a restart: a new budget, recalling what `store` holds. */
const restarted = (store: FindingsStore): FindingsBudget =>
  new FindingsBudget({ threshold: 0.5, modelVersion: 'm', recall: recalledFloods([...store.list({ detector: 'syn-flood' }).findings, ...store.list({ detector: 'syn-wave' }).findings]) });

const floodRow = (store: FindingsStore): { summary: string; d: Detail } => {
  const f = store.list({ detector: 'syn-flood' }).findings[0]!;
  return { summary: f.explanation.summary, d: f.explanation.detail as Detail };
};

test('a flood going on across a restart counts on from its row: its sources before and after, and says the sum is an upper bound', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm' }), t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  const lastBefore = t1 + 299 * 10_000;
  // the server restarts; the flood goes on 10 minutes later (a new burst, within the hour)
  const t2 = t1 + 10 * MIN;
  flushInto(store, restarted(store), t2 + 3 * MIN, floodSources(2, 100, t2, 0.99));
  const { summary, d } = floodRow(store);
  // before: 100, the row counted from the restart, and its from was the restart's first source
  assert.equal(d.sources, 400);
  assert.deepEqual(d.beforeRestart, { to: ms(lastBefore), sources: 300, restarts: 1 });
  assert.deepEqual([d.from, d.to], [ms(t1), ms(t2 + 99 * 10_000)]);
  assert.deepEqual(d.episodes!.map((e) => [e.from, e.sources]), [[ms(t1), 300], [ms(t2), 100]], 'the burst before the restart and the one after');
  assert.equal(d.earlierCount, undefined, 'not an earlier flood of itself');
  assert.match(summary, /: 400 sources of 1–2 SYNs scored ≥ 0\.5 since .* \(300 of them told before the server restarted, the latest at .*, and 100 since; a source seen on both sides is counted on each, so 400 is an upper bound: its distinct sources may be fewer\)/);
  store.close();
});

test('a flood going on across two restarts says so: the totals at the latest and how many, not the latest as if it were the only one', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm' }), t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  const t2 = t1 + 10 * MIN;
  flushInto(store, restarted(store), t2 + 3 * MIN, floodSources(2, 100, t2, 0.99));
  // the server restarts again; the flood goes on 10 minutes later
  const t3 = t2 + 10 * MIN;
  flushInto(store, restarted(store), t3 + 3 * MIN, floodSources(3, 50, t3, 0.99));
  const { summary, d } = floodRow(store);
  assert.equal(d.sources, 450);
  // before: { to, sources: 400 } and the text of one restart, "400 of them told before the server restarted"
  assert.deepEqual(d.beforeRestart, { to: ms(t2 + 99 * 10_000), sources: 400, restarts: 2 });
  assert.deepEqual(d.episodes!.map((e) => e.sources), [300, 100, 50]);
  assert.match(summary, /: 450 sources .* \(400 of them told before the latest of the 2 times the server restarted during it, the latest at .*, and 50 since; a source seen on both sides of a restart is counted on each, so 450 is an upper bound: its distinct sources may be fewer\)/);
  // a third: counted on from the row's count
  flushInto(store, restarted(store), t3 + 13 * MIN, floodSources(4, 5, t3 + 10 * MIN, 0.99));
  assert.deepEqual(floodRow(store).d.beforeRestart, { to: ms(t3 + 49 * 10_000), sources: 450, restarts: 3 });
  store.close();
});

test('a flood recalled that went quiet longer than the quiet time is not counted on: the new one is counted afresh and tells it as earlier', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm' }), t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  const lastBefore = t1 + 299 * 10_000;
  // one µs past the hour after the recalled flood's last SYN: a new flood (Stretches' `>`, and FloodHistory.of's)
  const t2 = lastBefore + HOUR + 1;
  flushInto(store, restarted(store), t2 + 3 * MIN, floodSources(2, 100, t2, 0.95));
  const { summary, d } = floodRow(store);
  assert.equal(d.sources, 100);
  assert.equal(d.beforeRestart, undefined);
  assert.equal(d.from, ms(t2));
  assert.deepEqual([d.earlierCount, d.earlier!.map((e) => e.sources)], [1, [300]]);
  assert.doesNotMatch(summary, /restarted/);
  store.close();
});

test('a source exactly the quiet time after the recalled flood is that flood going on, as it would be without a restart', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm' }), t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  const t2 = t1 + 299 * 10_000 + HOUR;
  // before: not counted on (the group was new), and FloodHistory.of's `>=` told it as an earlier flood too
  flushInto(store, restarted(store), t2 + 3 * MIN, floodSources(2, 30, t2, 0.99));
  const { d } = floodRow(store);
  assert.deepEqual([d.sources, d.beforeRestart?.sources, d.earlierCount], [330, 300, undefined]);
  store.close();
});

test('a flood that went on across a restart and then went quiet is one earlier flood of the next, with its sources before and after', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm' }), t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  const b = restarted(store);
  flushInto(store, b, t1 + 13 * MIN, floodSources(2, 100, t1 + 10 * MIN, 0.99));
  const t3 = t1 + 4 * HOUR;
  flushInto(store, b, t3 + 3 * MIN, floodSources(3, 50, t3, 0.99));
  const { d } = floodRow(store);
  assert.equal(d.sources, 50);
  assert.equal(d.beforeRestart, undefined, 'the flood now began after the restart');
  // not two: the recalled flood and the same flood gone on
  assert.deepEqual([d.earlierCount, d.earlier!.map((e) => e.sources)], [1, [400]]);
  store.close();
});

test('a wave going on across a restart counts on too; one back after the quiet time does not', () => {
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  const before = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  flushInto(store, before, t1 + MIN, wave(1, 12, t1));
  flushInto(store, before, t1 + 3 * MIN, []);
  const b = restarted(store);
  flushInto(store, b, t1 + 11 * MIN, wave(2, 7, t1 + 10 * MIN));
  const w = store.list({ detector: 'syn-wave' }).findings[0]!;
  const d = w.explanation.detail as Detail;
  assert.deepEqual([d.sources, d.beforeRestart?.sources, d.from], [19, 12, ms(t1)]);
  // its sources all had one SYN, before and after: before, the text after the restart told the budgets ("19 more sources sending SYNs to port 23 …")
  assert.match(w.explanation.summary, /^19 sources of only 1–2 SYNs each to port 23 scored ≥ 0\.5 since .* \(12 of them told before the server restarted, .*, and 7 since; .* 19 is an upper bound.*\): too few SYNs for any one/);
  assert.equal((d as Detail & { allFew?: boolean }).allFew, true);
  const old = new FindingsStore(':memory:');
  const first = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  flushInto(old, first, t1 + MIN, wave(1, 12, t1));
  flushInto(old, first, t1 + 3 * MIN, []);
  const late = restarted(old);
  flushInto(old, late, t1 + 3 * HOUR, wave(2, 7, t1 + 3 * HOUR - MIN));
  flushInto(old, late, t1 + 3 * HOUR + 2 * MIN, []);
  const d2 = old.list({ detector: 'syn-wave' }).findings[0]!.explanation.detail as Detail;
  assert.deepEqual([d2.sources, d2.beforeRestart, d2.earlierCount], [7, undefined, 1]);
  store.close();
  old.close();
});

test('a wave recalled keeps its sources of 1–2 SYNs only as its row told them; not when they were not, or a source after has more, or its row is from before it said', () => {
  const t1 = 10 * MIN;
  const waveText = (hosts: FlaggedHost[], after: FlaggedHost[], strip = false): string => {
    const store = new FindingsStore(':memory:');
    // every host is summed (no budget): hosts of 5 SYNs to one port make a wave whose sources are not all few-SYN ones
    const before = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 0 });
    flushInto(store, before, t1 + MIN, hosts);
    flushInto(store, before, t1 + 3 * MIN, []);
    const recall = recalledFloods(store.list({ detector: 'syn-wave' }).findings);
    if (strip) for (const r of recall) r.allFew = false;
    flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 0, recall }), t1 + 11 * MIN, after);
    const summary = store.list({ detector: 'syn-wave' }).findings[0]!.explanation.summary;
    store.close();
    return summary;
  };
  const fiveSyns = (hs: FlaggedHost[]): FlaggedHost[] => hs.map((h) => ({ ...h, count: 5, ports: 1 }));
  const general = /^\d+ more sources sending SYNs to port 23 .* \(12 of them told before the server restarted/;
  assert.match(waveText(wave(1, 12, t1), wave(2, 7, t1 + 10 * MIN)), /^19 sources of only 1–2 SYNs each/);
  assert.match(waveText(fiveSyns(wave(1, 12, t1)), wave(2, 7, t1 + 10 * MIN)), general);
  assert.match(waveText(wave(1, 12, t1), fiveSyns(wave(2, 7, t1 + 10 * MIN))), general);
  // a row without detail.allFew (an older server's) recalls false (board-recall.test.ts): the budgets' wording, true either way
  assert.match(waveText(wave(1, 12, t1), wave(2, 7, t1 + 10 * MIN), true), general);
});

test("a flood of more bursts than kept, going on across a restart, keeps its bursts and the sources of those not kept", () => {
  const store = new FindingsStore(':memory:');
  const before = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  // 7 bursts of 30 + k sources, 10 minutes apart: the 2nd and 3rd (31 + 32 sources) not kept
  for (let k = 0; k < 7; k++) flushInto(store, before, (12 + 10 * k) * MIN, floodSources(k + 1, 30 + k, (10 + 10 * k) * MIN, 0.99));
  // the server restarts; an 8th burst 10 minutes after the 7th
  flushInto(store, restarted(store), 92 * MIN, floodSources(9, 40, 80 * MIN, 0.99));
  const { summary, d } = floodRow(store) as { summary: string; d: Detail & { droppedSources?: number } };
  assert.equal(d.episodeCount, 8);
  assert.deepEqual(d.episodes!.map((e) => e.sources), [30, 34, 35, 36, 40]);
  assert.equal(d.droppedSources, 31 + 32 + 33, 'the 4th burst joins those not kept');
  assert.equal(d.sources, 30 + 31 + 32 + 33 + 34 + 35 + 36 + 40);
  assert.match(summary, /the 3 not shown had 96 sources/);
  store.close();
});

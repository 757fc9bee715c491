/** A flood (wave) row's `beforeRestart` as the Alerts page reads it (flood-detail.ts): valid, missing, malformed, and the board's own row. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore } from '../findings/store.js';
import { FindingsBudget } from './board-findings.js';
import { recalledFloods } from './board-recall.js';
import { floodDetailOf, restartLineText } from './flood-detail.js';
import { floodSources, flushInto } from './testing.js';

const T = Date.UTC(2026, 11, 4, 12, 4, 5);
/** the page's formatTime without ms */
const time = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const oneBurst = { sources: 450, dport: 443, examples: ['198.51.100.7 0.991'], from: T - 600_000, to: T + 300_000 };

test('a flood that went on across a restart reads its sources before and since, even with one burst and nothing before', () => {
  const v = floodDetailOf('syn-flood', { ...oneBurst, beforeRestart: { to: T, sources: 400, restarts: 1 } });
  assert.ok(v !== null);
  assert.deepEqual(v.beforeRestart, { to: T, sources: 400, since: 50, restarts: 1 });
  assert.deepEqual([v.episodes, v.earlier], [[], []]);
  assert.equal(restartLineText(v.beforeRestart!, time), 'Went on across a server restart: 400 sources before it (last SYN 2026-12-04 12:04:05 UTC), 50 since — at most 450 distinct (a source on both sides is counted twice)');
  const two = floodDetailOf('syn-wave', { ...oneBurst, sources: 1, beforeRestart: { to: T, sources: 1, restarts: 2 } })!.beforeRestart!;
  assert.equal(restartLineText(two, time), 'Went on across 2 server restarts: 1 source before the latest (last SYN 2026-12-04 12:04:05 UTC), 0 since — at most 1 distinct (a source on both sides is counted twice)');
});

test('a row without beforeRestart reads none; one from before the count of restarts reads 1', () => {
  assert.equal(floodDetailOf('syn-flood', oneBurst), null, 'one burst, nothing before, no restart: nothing more to show');
  const bursts = { ...oneBurst, episodes: [{ from: T, to: T + 1000, sources: 300 }, { from: T + 900_000, to: T + 960_000, sources: 150 }], episodeCount: 2 };
  assert.equal(floodDetailOf('syn-flood', bursts)?.beforeRestart, null);
  assert.deepEqual(floodDetailOf('syn-flood', { ...oneBurst, beforeRestart: { to: T, sources: 400 } })?.beforeRestart, { to: T, sources: 400, since: 50, restarts: 1 });
});

test('a malformed beforeRestart is ignored, the lists still read', () => {
  const bursts = { ...oneBurst, episodes: [{ from: T, to: T + 1000, sources: 300 }, { from: T + 900_000, to: T + 960_000, sources: 150 }], episodeCount: 2 };
  const bad: unknown[] = [
    'x',
    [],
    null,
    { to: '12:04', sources: 400 },
    { to: Number.NaN, sources: 400 },
    { to: T, sources: -1 },
    { to: T, sources: 1.5 },
    { to: T, sources: 451 },
    { to: T, sources: 400, restarts: 0 },
    { to: T, sources: 400, restarts: 'x' },
  ];
  for (const beforeRestart of bad) {
    assert.equal(floodDetailOf('syn-flood', { ...oneBurst, beforeRestart }), null, JSON.stringify(beforeRestart));
    const v = floodDetailOf('syn-flood', { ...bursts, beforeRestart });
    assert.equal(v?.beforeRestart, null, JSON.stringify(beforeRestart));
    assert.equal(v?.episodes.length, 2);
  }
  // without a whole total, "since" cannot be said
  assert.equal(floodDetailOf('syn-flood', { ...bursts, sources: 'many', beforeRestart: { to: T, sources: 4 } })?.beforeRestart, null);
  assert.equal(floodDetailOf('syn-flood', { beforeRestart: { to: T, sources: 4 } }), null);
});

test("the board's own row of a flood across a restart reads as its line", () => {
  const MIN = 60e6;
  const store = new FindingsStore(':memory:');
  const t1 = 10 * MIN;
  flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm' }), t1 + 3 * MIN, floodSources(1, 300, t1, 0.99));
  const t2 = t1 + 10 * MIN;
  const recall = recalledFloods(store.list({ detector: 'syn-flood' }).findings);
  flushInto(store, new FindingsBudget({ threshold: 0.5, modelVersion: 'm', recall }), t2 + 3 * MIN, floodSources(2, 100, t2, 0.99));
  const f = store.list({ detector: 'syn-flood' }).findings[0]!;
  store.close();
  const v = floodDetailOf(f.detector, f.explanation.detail)!;
  assert.deepEqual(v.beforeRestart, { to: Math.floor((t1 + 299 * 10_000) / 1000), sources: 300, since: 100, restarts: 1 });
  // its last SYN before the restart: 2.99 s after the flood began, 10 minutes into the capture
  assert.equal(restartLineText(v.beforeRestart!, time), 'Went on across a server restart: 300 sources before it (last SYN 1970-01-01 00:10:02 UTC), 100 since — at most 400 distinct (a source on both sides is counted twice)');
});

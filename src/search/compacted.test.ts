/**
 * Search over an hour whose shards were merged into one (store/compaction.ts): the same answers, lines
 * in time order; a cursor issued before the merge is refused (SEARCH_CURSOR_STALE) rather than repeating
 * lines, and a search started again reads the merged shard from its newest line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Compactor, COMPACTION_DEFAULTS, ShardSet } from '../store/index.js';
import { sealedStore, storedLine } from './testing.js';
import { isAppError } from '../core/index.js';

const HOUR = 3_600_000;
const hour = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
const ALL = { from: null, to: null };
// two lanes, ten minutes, lines out of order across lanes
const lane = (k: number) => [
  Array.from({ length: 10 }, (_, m) => Array.from({ length: 9 }, (_, i) => storedLine(hour + m * 60_000 + i * 5_000 + k * 2_000, `lane${k} m${m} i${i} ${i % 3 === 0 ? 'fizz' : 'buzz'}`))).flat(),
];
const { catalog, searcher } = sealedStore('nml-compacted-', [lane(0), lane(1)]);

test('after a merge: the same counts and lines, newest first across page boundaries; an older cursor is refused, a new search is whole', async () => {
  const queries = ['fizz', 'buzz', 'lane1 AND m3', 'nothing'];
  const before = await Promise.all(queries.map(async (q) => (await searcher.count(q, ALL)).count));
  const first = await searcher.page('fizz', ALL, 7);
  assert.ok(first.cursor !== null);
  const shardsBefore = catalog.list(ALL).length;
  assert.ok(shardsBefore >= 10);

  const outcomes = await new Compactor(catalog, { ...COMPACTION_DEFAULTS, checkMs: 0, settleMs: 0, graceMs: 60_000 }, false).run();
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes));
  assert.equal(outcomes[0]!.sources, shardsBefore);
  assert.equal(catalog.list(ALL).length, 1);
  assert.deepEqual(await Promise.all(queries.map(async (q) => (await searcher.count(q, ALL)).count)), before);

  await assert.rejects(searcher.page('fizz', ALL, 7, first.cursor), (e: unknown) => isAppError(e) && e.code === 'SEARCH_CURSOR_STALE' && /merged into .*hour-0\.db/.test(e.message));

  // the whole stream again, in pages of 7: every line once, newest first
  const times: number[] = [];
  const raws = new Set<string>();
  for await (const h of searcher.stream('fizz', ALL, Infinity, 7)) {
    times.push(h.time);
    raws.add(h.raw);
  }
  assert.equal(times.length, before[0]);
  assert.equal(raws.size, before[0]);
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first over every page (the merged rows are in time order)');
});

test('late lines of a merged hour, in a minute shard of their own, are read with the hour: newest first across page boundaries', async () => {
  const h = hour - 2 * HOUR;
  const lines = [0, 1].map((k) => [Array.from({ length: 10 }, (_, m) => Array.from({ length: 6 }, (_, i) => storedLine(h + m * 60_000 + i * 7_000 + k * 3_000, `late-test lane${k} m${m} i${i} fizz`))).flat()]);
  const store = sealedStore('nml-compacted-late-', lines);
  const merged = await new Compactor(store.catalog, { ...COMPACTION_DEFAULTS, checkMs: 0, settleMs: 0, graceMs: 60_000 }, false).run();
  assert.equal(merged.length, 1, JSON.stringify(merged));
  // lines that arrive after the merge, from minute 2 of the hour: a new minute shard inside the merged one's span
  const set = new ShardSet({ dir: store.catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false });
  set.append(Array.from({ length: 9 }, (_, i) => storedLine(h + 2 * 60_000 + i * 6_000 + 500, `late-test late${i} fizz`)));
  store.catalog.apply(set.closeAll(h + 2 * HOUR));
  const listed = store.catalog.list(ALL);
  assert.equal(listed.length, 2, listed.map((s) => s.rel).join(', '));

  const total = (await store.searcher.count('fizz', ALL)).count;
  assert.equal(total, 2 * 10 * 6 + 9);
  const times: number[] = [];
  const raws = new Set<string>();
  for await (const hit of store.searcher.stream('fizz', ALL, Infinity, 7)) {
    times.push(hit.time);
    raws.add(hit.raw);
  }
  assert.equal(raws.size, total, 'every line once');
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first over every page, the late lines in their place');
});

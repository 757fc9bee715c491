/**
 * Search over an hour whose shards were merged into one (store/compaction.ts): the same answers, lines
 * in time order; a cursor issued before the merge is refused (SEARCH_CURSOR_STALE) rather than repeating
 * lines, and a search started again reads the merged shard from its newest line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Compactor, COMPACTION_DEFAULTS } from '../store/index.js';
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

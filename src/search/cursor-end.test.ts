/**
 * The cursor's end: a page carries a cursor exactly when a hit is left, so no page but the first of a
 * search with no match is empty. Before session 25 the cursor only said that shards were left: a
 * page that ended at the last match (older slots holding none, a shard cut by the range's end, a
 * lane that ran out exactly at the limit) still had one, and the next page was empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredLine } from '../store/index.js';
import type { TimeRange } from '../core/index.js';
import { sealedStore, storedLine } from './testing.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const SLOT = 60_000;
const lines: StoredLine[] = [];
const byLane: StoredLine[][] = [[], [], []];
// 5 slots × 3 lanes fed unevenly: lane 0 steady, lane 1 sparse, lane 2 only in slots 1 and 3; `hot` only in the newest two slots
for (let slot = 0, n = 0; slot < 5; slot++) {
  for (const [lane, count] of [[0, 11], [1, slot % 2 === 0 ? 4 : 9], [2, slot === 1 || slot === 3 ? 6 : 0]] as const) {
    for (let i = 0; i < count; i++) {
      const time = T0 + slot * SLOT + Math.floor((i * 59_000) / count) + lane;
      const raw = `line ${n++} l${lane} s${slot} ${i % 3 === 0 ? 'alpha' : 'beta'} ${slot >= 3 && i % 4 === 0 ? 'hot' : 'cold'}`;
      const line = storedLine(time, raw);
      byLane[lane]!.push(line);
      lines.push(line);
    }
  }
}
const { searcher } = sealedStore('nml-search-end-', byLane.map((l) => [l]), SLOT);

const RANGES: [string, TimeRange][] = [
  ['every time', { from: null, to: null }],
  ['ending inside slot 3', { from: null, to: T0 + 3 * SLOT + 31_000 }],
  ['from inside slot 1 to inside slot 3', { from: T0 + SLOT + 20_000, to: T0 + 3 * SLOT + 10_000 }],
];
// words: every line, a common one, one only in the newest slots, one only in some lanes, a phrase, a substring, none
const QUERIES: [string, (raw: string) => boolean][] = [
  ['', () => true],
  ['alpha', (r) => r.includes(' alpha ')],
  ['hot', (r) => r.endsWith(' hot')],
  ['l2', (r) => r.includes(' l2 ')],
  ['s4', (r) => r.includes(' s4 ')],
  ['l1 alpha', (r) => r.includes(' l1 ') && r.includes(' alpha ')],
  ['"line 1"', (r) => r.startsWith('line 1 ')],
  ['sub:ine', () => true],
  ['nowhere', () => false],
];

function expected(match: (raw: string) => boolean, r: TimeRange): string[] {
  return lines
    .filter((l) => match(l.raw) && (r.from === null || l.time >= r.from) && (r.to === null || l.time < r.to))
    .sort((a, b) => b.time - a.time)
    .map((l) => l.raw);
}

for (const [name, range] of RANGES) {
  test(`search pages over ${name}: a cursor exactly when a hit is left, so no empty page after the first (page sizes 1..5)`, async () => {
    for (const [q, match] of QUERIES) {
      const want = expected(match, range);
      for (let limit = 1; limit <= 5; limit++) {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages <= want.length + 1; pages++) {
          const p = await searcher.page(q, range, limit, cursor);
          const at = `q=${JSON.stringify(q)} limit=${limit} page ${pages + 1}`;
          assert.ok(p.hits.length > 0 || (pages === 0 && want.length === 0), `${at}: an empty page although hits were promised`);
          assert.ok(p.hits.length <= limit, `${at}: at most limit hits`);
          seen.push(...p.hits.map((h) => h.raw));
          cursor = p.cursor;
          assert.equal(cursor !== null, seen.length < want.length, `${at}: a cursor exactly when hits are left (${seen.length} of ${want.length} seen)`);
          if (cursor === null) break;
        }
        assert.deepEqual(seen, want, `q=${JSON.stringify(q)} limit=${limit}: every hit once, newest first`);
      }
    }
  });
}

test('a page holding the last hits has no cursor, and an export ends with it', async () => {
  const want = expected((r) => r.endsWith(' hot'), { from: null, to: null });
  const page = await searcher.page('hot', { from: null, to: null }, want.length);
  assert.equal(page.hits.length, want.length);
  assert.equal(page.cursor, null, 'nothing is left');
  const more = await searcher.page('hot', { from: null, to: null }, want.length - 1);
  assert.notEqual(more.cursor, null, 'one hit is left');
  const rest = await searcher.page('hot', { from: null, to: null }, 10, more.cursor);
  assert.deepEqual(rest.hits.map((h) => h.raw), want.slice(-1));
  assert.equal(rest.cursor, null);
  const streamed: string[] = [];
  for await (const h of searcher.stream('hot', { from: null, to: null }, Infinity, 3)) streamed.push(h.raw);
  assert.deepEqual(streamed, want);
});

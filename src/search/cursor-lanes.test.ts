/**
 * Paging when the lanes of one slot are uneven: one lane runs out of hits inside the slot while the
 * other still has some. The cursor must remember the finished lane (a review found it read again from
 * its newest line: an export yielded 4,700 lines of 4,100, and a page size of 1 looped for ever).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredLine } from '../store/index.js';
import { sealedStore, storedLine } from './testing.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const byLane: StoredLine[][] = [[], []];
// one 1-minute slot: lane 0 steady over the minute, lane 1 a burst in its last 10 s
for (let i = 0; i < 700; i++) {
  const time = T0 + Math.floor((i * 60_000) / 700);
  byLane[0]!.push(storedLine(time, `lane0 ${i} sshd`));
}
for (let i = 0; i < 120; i++) {
  const time = T0 + 50_000 + i * 10;
  byLane[1]!.push(storedLine(time, `lane1 ${i} sshd`));
}
const { searcher } = sealedStore('nml-search-lanes-', byLane.map((l) => [l]));
const ALL = { from: null, to: null };
const TOTAL = 820;

for (const limit of [1, 7, 100, 1000]) {
  test(`pages of ${limit} walk every hit exactly once when one lane runs out first`, async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages <= TOTAL + 1; pages++) {
      const p = await searcher.page('sshd', ALL, limit, cursor);
      seen.push(...p.hits.map((h) => h.raw));
      cursor = p.cursor;
      if (cursor === null) break;
    }
    assert.equal(cursor, null, 'the paging ends');
    assert.equal(new Set(seen).size, TOTAL, 'every hit');
    assert.equal(seen.length, TOTAL, 'none twice');
  });
}

test('an export streams every hit exactly once', async () => {
  const seen: string[] = [];
  for await (const h of searcher.stream('sshd', ALL, Infinity, 100)) seen.push(h.raw);
  assert.equal(seen.length, TOTAL);
  assert.equal(new Set(seen).size, TOTAL);
});

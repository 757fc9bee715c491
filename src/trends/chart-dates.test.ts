/** The dates under a trend card's lines: first, last and evenly between, at their points' places. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisDates } from './chart-dates.js';

const days = (n: number): string[] => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 8, 8) + i * 86_400_000).toISOString());

test('90 days: the first, the last and two evenly between, each where its point is drawn', () => {
  const a = axisDates(days(90));
  assert.deepEqual(
    a.map((d) => d.date),
    ['2026-09-08', '2026-10-08', '2026-11-06', '2026-12-06'],
  );
  assert.deepEqual(
    a.map((d) => d.index),
    [0, 30, 59, 89],
  );
  assert.equal(a[0]!.at, 0);
  assert.equal(a.at(-1)!.at, 1);
  assert.equal(a[1]!.at, 30 / 89);
});

test('a short line gets a date per point, never one twice; one point or none', () => {
  assert.deepEqual(
    axisDates(days(3)).map((d) => d.index),
    [0, 1, 2],
  );
  assert.deepEqual(
    axisDates(days(2)).map((d) => d.date),
    ['2026-09-08', '2026-09-09'],
  );
  assert.deepEqual(axisDates(days(1)), [{ index: 0, date: '2026-09-08', at: 0 }]);
  assert.deepEqual(axisDates([]), []);
  assert.deepEqual(
    axisDates(days(6), 3).map((d) => d.index),
    [0, 3, 5],
  );
});

// Lines that arrive late (a slow sender, a batch held back) are stored after newer lines of their slot;
// pages still list them by event time, across page boundaries too, and paging visits every line once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredLine } from '../store/index.js';
import type { Searcher } from './root.js';
import { sealedStore, storedLine } from './testing.js';

const T0 = Date.UTC(2026, 11, 2, 3, 0, 0);
// 600 lines over two one-minute slots, written in batches of 20 whose times are shuffled, and every
// fifth batch held back a few batches: arrival order is not time order inside a slot
let seed = 7;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const lines: StoredLine[] = Array.from({ length: 600 }, (_, i) => {
  const time = T0 + i * 200;
  return storedLine(time, `evt ${i} ${i % 3 === 0 ? 'login' : 'other'}`);
});
const batches: StoredLine[][] = [];
for (let i = 0; i < lines.length; i += 20) batches.push(lines.slice(i, i + 20).sort(() => rand() - 0.5));
for (let i = 4; i + 3 < batches.length; i += 5) batches.splice(i + 3, 0, batches.splice(i, 1)[0]!);
const { searcher } = sealedStore('nml-arrival-', [batches]);
const ALL = { from: null, to: null };

test('the fixture does arrive out of time order', () => {
  const arrival = batches.flat().map((l) => l.time);
  assert.ok(arrival.some((t, i) => i > 0 && t < arrival[i - 1]!));
});

test('a page lists its lines newest first by event time, whatever order they arrived in', async () => {
  for (const query of ['', 'login', '"evt 1"']) {
    const page = await searcher.page(query, ALL, 100);
    const times = page.hits.map((h) => h.time);
    assert.ok(times.length > 0, query);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! <= times[i - 1]!, `${query}: row ${i} is newer than the row above it`);
  }
});

test('a whole-slot page holds exactly the slot\'s newest lines', async () => {
  // 300 lines per slot: a page of 300 is the newer slot, in time order
  const page = await searcher.page('', ALL, 300);
  assert.deepEqual(
    page.hits.map((h) => h.raw),
    lines.slice(300).reverse().map((l) => l.raw),
  );
});

test('paging through late lines still yields every line once', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Searcher['page']>> = await searcher.page('login', ALL, 23, cursor);
    seen.push(...page.hits.map((h) => h.raw));
    cursor = page.cursor;
  } while (cursor !== null);
  const want = lines.filter((l) => l.raw.endsWith('login')).map((l) => l.raw);
  assert.equal(seen.length, want.length);
  assert.deepEqual([...seen].sort(), [...want].sort());
});

/** Every hit of `query`, page by page of `size`. */
async function paged(query: string, size: number): Promise<{ time: number; raw: string }[]> {
  const seen: { time: number; raw: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Searcher['page']>> = await searcher.page(query, ALL, size, cursor);
    seen.push(...page.hits.map((h) => ({ time: h.time, raw: h.raw })));
    cursor = page.cursor;
  } while (cursor !== null);
  return seen;
}

for (const size of [1, 7, 23, 100]) {
  test(`pages of ${size} list the lines newest first across page boundaries, late ones in their place`, async () => {
    // every line, a term, and a negated phrase (each hit's text verified)
    const oracle: Record<string, (raw: string) => boolean> = { '': () => true, login: (raw) => raw.endsWith('login'), '-"2 other"': (raw) => !/\b2 other$/.test(raw) };
    for (const [query, holds] of Object.entries(oracle)) {
      const seen = await paged(query, size);
      const want = lines.filter((l) => holds(l.raw));
      // the fixture's times are distinct: newest first is one order
      assert.deepEqual(seen.map((h) => h.raw), [...want].sort((a, b) => b.time - a.time).map((l) => l.raw), `${query} by ${size}`);
    }
  });
}

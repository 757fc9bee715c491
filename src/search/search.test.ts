import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredLine } from '../store/index.js';
import type { Searcher } from './root.js';
import { sealedStore, storedLine } from './testing.js';

// Builds a store directly (no parsing: the raw line is indexed), with 3 slots × 2 lanes.
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const lines: StoredLine[] = [];
for (let i = 0; i < 3000; i++) {
  const time = T0 + i * 60; // 3 minutes
  const word = i % 10 === 0 ? 'alpha' : 'beta';
  const extra = i === 1234 ? ' rare-needle-x 192.168.3.4' : '';
  const raw = `line ${i} ${word} failed password for user${i % 7}${extra}`;
  lines.push(storedLine(time, raw));
}
const { searcher } = sealedStore('nml-search-', [0, 1].map((lane) => [lines.filter((_, i) => i % 2 === lane)]));
const ALL = { from: null, to: null };

const expected = (pred: (raw: string, time: number) => boolean): StoredLine[] =>
  lines.filter((l) => pred(l.raw, l.time)).sort((a, b) => b.time - a.time);

test('count sums every shard and matches a scan of the lines', async () => {
  assert.equal((await searcher.count('', ALL)).count, 3000);
  assert.equal((await searcher.count('alpha', ALL)).count, 300);
  assert.equal((await searcher.count('alpha OR needle', ALL)).count, 301);
  assert.equal((await searcher.count('beta -user3', ALL)).count, expected((r) => r.includes('beta') && !r.endsWith('user3')).length);
  assert.equal((await searcher.count('"password for"', ALL)).count, 3000);
  assert.equal((await searcher.count('"for password"', ALL)).count, 0);
});

test('time ranges cut inside a shard exactly', async () => {
  const range = { from: T0 + 30_000, to: T0 + 90_000 };
  const want = expected((r, t) => r.includes('alpha') && t >= range.from && t < range.to);
  assert.equal((await searcher.count('alpha', range)).count, want.length);
  const page = await searcher.page('alpha', range, 1000);
  assert.deepEqual(page.hits.map((h) => h.raw), want.map((l) => l.raw));
});

test('pages are newest first and the cursor walks every hit exactly once', async () => {
  const want = expected((r) => r.includes('alpha'));
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<Searcher['page']>> = await searcher.page('alpha', ALL, 37, cursor);
    seen.push(...page.hits.map((h) => h.raw));
    cursor = page.cursor;
    pages++;
  } while (cursor !== null && pages < 100);
  assert.deepEqual(seen, want.map((l) => l.raw));
});

test('substring search finds text inside tokens and verifies it', async () => {
  const r = await searcher.page('sub:"168.3"', ALL, 10);
  assert.deepEqual(r.hits.map((h) => h.raw), [lines[1234]!.raw]);
  assert.equal((await searcher.count('sub:"needle-x 192"', ALL)).count, 1);
});

test('stream yields every hit across pages', async () => {
  let n = 0;
  for await (const h of searcher.stream('beta', ALL, Infinity, 100)) {
    assert.ok(h.raw.includes('beta'));
    n++;
  }
  assert.equal(n, 2700);
});

test('a bad cursor or query is a bad_request error naming the problem', async () => {
  await assert.rejects(searcher.page('alpha', ALL, 10, 'garbage!'), (e: { code: string; kind: string }) => e.code === 'SEARCH_BAD_CURSOR' && e.kind === 'bad_request');
  // forged positions that are not (time, rowid, top) whole numbers: a clear refusal, not an internal error
  const first = await searcher.page('alpha', ALL, 10);
  const state = JSON.parse(Buffer.from(first.cursor!, 'base64url').toString()) as { v: number; slot: number; pos: Record<string, unknown> };
  const forge = (pos: unknown, v = state.v): string =>
    Buffer.from(JSON.stringify({ ...state, v, pos: Object.fromEntries(Object.keys(state.pos).map((k) => [k, pos])) })).toString('base64url');
  for (const pos of [1.5, 1e300, -7, 12, [T0, 1.5, 3], [T0, -1, 3], [1e300, 0, 3], [T0, 0], 'x']) {
    await assert.rejects(searcher.page('alpha', ALL, 10, forge(pos)), (e: { code: string }) => e.code === 'SEARCH_BAD_CURSOR', JSON.stringify(pos));
  }
  // a cursor of the version that paged by rowid (a page left open across an upgrade) says to start again
  await assert.rejects(
    searcher.page('alpha', ALL, 10, forge(12, 1)),
    (e: { code: string; message: string }) => e.code === 'SEARCH_BAD_CURSOR' && /earlier version .*start the search again/.test(e.message),
  );
  // a cursor is a position in one query's matches: under another query it is refused, not followed mid-stream
  await assert.rejects(searcher.page('beta', ALL, 10, first.cursor), (e: { code: string; message: string }) => e.code === 'SEARCH_BAD_CURSOR' && /another query/.test(e.message));
  assert.equal((await searcher.page('alpha', ALL, 10, first.cursor)).hits.length, 10, 'the same query pages on');
  await assert.rejects(searcher.count('(alpha', ALL), (e: { code: string; message: string }) => e.code === 'QUERY_SYNTAX' && /column/.test(e.message));
});

test('a cancelled search rejects with SEARCH_CANCELLED and the pool keeps answering', async () => {
  const before = (await searcher.count('"failed password"', ALL)).count;
  const gone = new AbortController();
  gone.abort();
  await assert.rejects(searcher.count('beta', ALL, gone.signal), { code: 'SEARCH_CANCELLED' });
  await assert.rejects(searcher.page('beta', ALL, 10, null, gone.signal), { code: 'SEARCH_CANCELLED' });
  // cancelled while its jobs are queued or running (a verify-heavy phrase query)
  const mid = new AbortController();
  const running = searcher.histogram('"failed password" user3', { from: T0, to: T0 + 180_000 }, 60, mid.signal);
  mid.abort();
  await assert.rejects(running, { code: 'SEARCH_CANCELLED' });
  assert.equal((await searcher.count('"failed password"', ALL)).count, before, 'later searches answer as before');
});

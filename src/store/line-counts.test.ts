import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardReader } from './shard-reader.js';
import { ShardWriter, type StoredLine } from './shard-writer.js';
import { BLOCK_LINES } from './schema.js';
import { countLines, forgetLineCounts, type BlockCounts } from './line-counts.js';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'nml-line-counts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const linesOf = (n: number, from = 0): StoredLine[] =>
  Array.from({ length: n }, (_, i) => ({ time: T0 + from + i, receivedAt: T0 + from + i, source: 't', raw: `line ${from + i}`, text: `line ${from + i}` }));

/** a fresh reader per count, as a search worker opens an open shard per job */
const countFresh = (path: string): number => {
  const r = new ShardReader(path);
  try {
    return r.count(null);
  } finally {
    r.close();
  }
};

/** a real reader whose calls are recorded */
function spied(path: string): { shard: BlockCounts; after: number[]; close(): void } {
  const r = new ShardReader(path);
  const after: number[] = [];
  return {
    after,
    shard: { path, linesAfter: (id) => (after.push(id), r.linesAfter(id)), blockMark: (id) => r.blockMark(id) },
    close: () => r.close(),
  };
}

test('an open shard counted while it grows: every count is its lines, and each later count reads only the blocks added since', () => {
  forgetLineCounts();
  const path = join(dir, 'grow.db');
  const w = new ShardWriter(path, T0, 3_600_000, 0);
  let total = 0;
  const reads: number[] = [];
  const lastIds: number[] = [];
  let blocks = 0;
  for (const n of [1, 600, 0, 257, 3]) {
    blocks += Math.ceil(n / BLOCK_LINES);
    if (n > 0) w.append(linesOf(n, total));
    total += n;
    assert.equal(countFresh(path), total);
    const s = spied(path);
    assert.equal(countLines(s.shard), total);
    reads.push(...s.after);
    lastIds.push(blocks - 1);
    s.close();
  }
  // each append closes its last block; the fresh reader's count just before read up to the last one, so
  // the recorded count reads only after it (nothing), never from the start
  assert.deepEqual(reads, lastIds);
  w.close();
});

test('a file replaced at the same path (a merge, retention and a late line) is counted anew, not from the memo', () => {
  forgetLineCounts();
  const path = join(dir, 'replaced.db');
  const w = new ShardWriter(path, T0, 3_600_000, 0);
  w.append(linesOf(700));
  w.close();
  assert.equal(countFresh(path), 700);
  // another file with as many blocks (so a block of the remembered id exists) but other lines in them
  const other = join(dir, 'other.db');
  const w2 = new ShardWriter(other, T0, 3_600_000, 0);
  w2.append(linesOf(520, 5_000));
  w2.close();
  renameSync(other, path);
  const s = spied(path);
  assert.equal(countLines(s.shard), 520);
  assert.deepEqual(s.after, [-1]);
  s.close();
  assert.equal(countFresh(path), 520);
});

test('a remembered block that no longer matches (same inode, other content) makes a full recount', () => {
  forgetLineCounts();
  const path = join(dir, 'mark.db');
  const w = new ShardWriter(path, T0, 3_600_000, 0);
  w.append(linesOf(300));
  w.close();
  const s = spied(path);
  assert.equal(countLines(s.shard), 300);
  // the same reader, told that the last block now reads otherwise
  const changed: BlockCounts = { path, linesAfter: s.shard.linesAfter, blockMark: (id) => `${s.shard.blockMark(id)} changed` };
  assert.equal(countLines(changed), 300);
  assert.deepEqual(s.after, [-1, -1]);
  s.close();
});

test('counts with a query or pinned below a rowid are not taken from the memo', () => {
  forgetLineCounts();
  const path = join(dir, 'pinned.db');
  const w = new ShardWriter(path, T0, 3_600_000, 0);
  w.append(linesOf(300));
  const r = new ShardReader(path);
  assert.equal(r.count(null), 300);
  assert.equal(r.count(null, 100), 100);
  assert.equal(r.count('"line"'), 300);
  w.append(linesOf(10, 300));
  assert.equal(r.count(null), 310);
  r.close();
  w.close();
});

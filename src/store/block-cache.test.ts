import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardWriter, type StoredLine } from './shard-writer.js';
import { ShardReader } from './shard-reader.js';
import { BLOCK_LINES } from './schema.js';
import { BLOCK_CACHE_CHARS, blockCacheStats, cacheBlock, cachedBlock, readerKey } from './block-cache.js';

test('a page over more than 64 blocks of one shard is decoded once: asked again, every block is a cache hit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-block-cache-'));
  try {
    const path = join(dir, 's.db');
    const w = new ShardWriter(path, 0, 3_600_000, 0, false);
    const lines: StoredLine[] = Array.from({ length: 100 * BLOCK_LINES }, (_, i) => ({ time: i, receivedAt: i, source: 's', raw: `line ${i}`, text: `line ${i}` }));
    w.append(lines);
    w.seal(false);
    const r = new ShardReader(path);
    // one row of each of 100 blocks
    const rowids = Array.from({ length: 100 }, (_, b) => b * BLOCK_LINES + 5);
    const first = r.lines(rowids);
    assert.deepEqual(first.map((h) => h.raw), rowids.map((id) => `line ${id}`));
    const before = blockCacheStats();
    const again = r.lines(rowids);
    const after = blockCacheStats();
    assert.deepEqual(again, first);
    assert.equal(after.misses - before.misses, 0, 'nothing decoded again');
    assert.equal(after.hits - before.hits, 100);
    // another reader of the same file has blocks of its own (a file made again at a path is another file)
    const other = new ShardReader(path);
    const m = blockCacheStats().misses;
    other.lines(rowids.slice(0, 3));
    assert.equal(blockCacheStats().misses - m, 3);
    r.close();
    other.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cache holds at most BLOCK_CACHE_CHARS characters of text, dropping the least recently used', () => {
  const reader = readerKey();
  // eight fit (with the 64 counted for each block's arrays); blocks of other tests, older, go first
  const big = (c: string) => ({ raw: [c.repeat(BLOCK_CACHE_CHARS / 8 - 100)], receivedAt: [0], source: ['s'] });
  for (let i = 0; i < 8; i++) cacheBlock(reader, i, big(String(i % 10)));
  // block 0 used again: the least recently used is now block 1
  assert.ok(cachedBlock(reader, 0) !== undefined);
  cacheBlock(reader, 8, big('x'));
  assert.ok(blockCacheStats().chars <= BLOCK_CACHE_CHARS);
  assert.ok(cachedBlock(reader, 0) !== undefined, 'recently used: kept');
  assert.equal(cachedBlock(reader, 1), undefined, 'least recently used: dropped');
  assert.ok(cachedBlock(reader, 8) !== undefined);
});

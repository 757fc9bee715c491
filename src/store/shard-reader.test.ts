import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardSet } from './shard-set.js';
import { ShardReader } from './shard-reader.js';
import { BLOCK_LINES } from './schema.js';
import type { StoredLine } from './shard-writer.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

test("a row's time is the one stored, read block by block at first and then every block's at once, in any order", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-reader-'));
  try {
    // 300 blocks (more than a reader reads one by one); times out of order within and across commits
    const n = 300 * BLOCK_LINES;
    const timeOf = (i: number): number => T0 + ((i * 7919) % n) * 3;
    const lines: StoredLine[] = Array.from({ length: n }, (_, i) => ({ time: timeOf(i), receivedAt: T0, source: 's', raw: `row ${i}`, text: `row ${i}` }));
    const set = new ShardSet({ dir, lane: 0, slotMs: 3_600_000, sealIdleMs: 0, maxOpenShards: 2, optimizeOnSeal: false });
    // commits of whole blocks, so that row i is rowid i
    for (let at = 0; at < n; at += 40 * BLOCK_LINES) set.append(lines.slice(at, at + 40 * BLOCK_LINES));
    const [shard] = set.closeAll(T0 + 7_200_000);
    assert.equal(shard!.stats.rows, n);
    const reader = new ShardReader(join(dir, shard!.rel));
    try {
      // rows of ~200 distinct blocks, each asked for twice, in a scattered order
      const asked = Array.from({ length: 400 }, (_, k) => ((k % 200) * 191 * BLOCK_LINES + k * 37) % n);
      for (const rowid of asked) assert.equal(reader.timeOf(rowid), timeOf(rowid), `row ${rowid}`);
      assert.deepEqual(reader.lines([n - 1, 0]).map((h) => h.time), [timeOf(n - 1), timeOf(0)]);
      reader.refresh();
      for (const rowid of asked.slice(0, 50).reverse()) assert.equal(reader.timeOf(rowid), timeOf(rowid), `row ${rowid} after refresh`);
    } finally {
      reader.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Catalog } from './catalog.js';
import { relationRelPath } from './relation-files.js';
import { applyRetention } from './retention.js';

test('retention over more shards than a spread call can take (200,000) still removes the relation files before the oldest shard left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-retention-'));
  try {
    const t0 = Date.UTC(2026, 0, 1);
    // a month of one-minute shards over five lanes is 216,000; newest first, as the catalog lists them
    const shards = Array.from({ length: 200_000 }, (_, i) => ({ rel: i, path: '', slotStart: t0 + i * 60_000, slotEnd: t0 + (i + 1) * 60_000, sealed: true, bytes: 1 })).reverse();
    const removed = new Set<number>();
    const problems: string[] = [];
    const catalog = {
      refreshSizes: () => undefined,
      all: () => shards.filter((s) => !removed.has(s.rel)),
      remove: (rel: number) => removed.add(rel) !== undefined,
      problem: (m: string) => problems.push(m),
    } as unknown as Catalog;
    // the first hour's relation file: it goes once that hour's shards are gone
    const relations = join(dir, 'relations');
    const period = join(relations, relationRelPath(t0, 3_600_000, 0));
    mkdirSync(dirname(period), { recursive: true });
    writeFileSync(period, 'x');
    // 61 bytes over budget (the relation file counts): the first hour's 60 shards go, and its relation file with them
    const result = applyRetention(catalog, { maxAgeMs: null, maxBytes: 200_000 - 60 }, t0 + 2 * 3_600_000, relations);
    assert.equal(result.error, undefined);
    assert.equal(result.removed, 60);
    assert.deepEqual([...removed].sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i), 'the oldest first');
    assert.equal(existsSync(period), false, 'a period ending before the oldest shard left is gone with it');
    assert.equal(result.removedRelationFiles, 1);
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

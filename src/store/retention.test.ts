import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Catalog } from './catalog.js';
import { relationRelPath } from './relation-files.js';
import { applyRetention } from './retention.js';
import { Store, STORE_DEFAULTS, type RetentionReport } from './store.js';
import { PLAIN_LANE } from './testing/lanes.js';

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
      forgetLostBefore: () => 0,
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

test('a pass counts the lines of the shards it removed, and how many went for their age rather than the byte budget', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const now = t0 + 10 * 3_600_000;
  // newest first: two shards past a 5-hour limit (file written then too), three recent ones of 100 bytes each
  const shards = [9, 8, 7, 1, 0].map((h) => ({ rel: String(h), path: '', slotStart: t0 + h * 3_600_000, slotEnd: t0 + h * 3_600_000 + 60_000, sealed: true, bytes: 100, rows: 10 + h }));
  const removed = new Set<string>();
  const catalog = {
    refreshSizes: () => undefined,
    all: () => shards.filter((s) => !removed.has(s.rel)),
    remove: (rel: string) => removed.add(rel) !== undefined,
    problem: () => undefined,
    forgetLostBefore: () => 0,
  } as unknown as Catalog;
  // writtenAt reads a missing path as written long ago: old by both clocks once past the limit
  const result = applyRetention(catalog, { maxAgeMs: 5 * 3_600_000, maxBytes: 250 }, now);
  assert.deepEqual([...removed], ['0', '1', '7'], 'the two old ones for their age, then the oldest recent one for the budget');
  assert.equal(result.removed, 3);
  assert.equal(result.removedForAge, 2);
  assert.equal(result.removedLines, 10 + 11 + 17);
  assert.equal(result.removedBytes, 300);
});

test('a retention pass that removes shards is reported to the store hook (what, why, the oldest time kept), and counted since start in stats', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-retention-store-'));
  const reports: RetentionReport[] = [];
  const config = { ...STORE_DEFAULTS, lanes: 1, relations: { ...STORE_DEFAULTS.relations, enabled: false }, retention: { maxAgeMs: null, maxBytes: 1 }, retentionCheckMs: 3_600_000 };
  const store = new Store(dir, config, PLAIN_LANE, {}, { onRetention: (r) => reports.push(r) });
  try {
    const hourAgo = Date.now() - 3_600_000;
    const lines = (n: number, t: number) => Array.from({ length: n }, (_, i) => ({ line: `line ${i}`, receivedAt: t, source: 's' }));
    assert.equal(store.runRetention().removed, 0);
    assert.equal(reports.length, 0, 'a pass that removes nothing says nothing');
    await store.writer.write([...lines(3, hourAgo - 3_600_000), ...lines(2, hourAgo)]);
    await store.writer.flush();
    const bytes = store.catalog.summary().bytes;
    const first = store.runRetention();
    assert.equal(first.removed, 2);
    assert.equal(reports.length, 1);
    const { message, ...report } = reports[0]!;
    assert.deepEqual(report, { shards: 2, lines: 5, bytes, relationFiles: 0, reason: 'size', oldestKept: null });
    assert.match(message, /^store: retention removed 2 shard\(s\), 5 line\(s\) and \d+ bytes, to bring the data under retention\.maxBytes \(1 bytes\); no line is left$/);
    // a line of a slot still open (ten minutes ahead): its shard is not sealed, so it is kept
    const ahead = Date.now() + 600_000;
    await store.writer.write([...lines(4, hourAgo), ...lines(1, ahead)]);
    await store.writer.flush();
    store.runRetention();
    assert.deepEqual([reports[1]!.shards, reports[1]!.lines, reports[1]!.oldestKept], [1, 4, ahead]);
    assert.match(reports[1]!.message, new RegExp(`; the oldest line kept is from ${new Date(ahead).toISOString()}$`));
    const stats = store.stats();
    assert.deepEqual([stats.retentionRemovedShards, stats.retentionRemovedLines], [3, 9], 'both passes, added up');
    assert.equal(stats.retentionRemovedBytes, reports[0]!.bytes + reports[1]!.bytes);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store opened with a retention limit applies it at once, not one check interval later', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-retention-start-'));
  const base = { ...STORE_DEFAULTS, lanes: 1, relations: { ...STORE_DEFAULTS.relations, enabled: false }, retentionCheckMs: 3_600_000 };
  try {
    const old = Date.now() - 3 * 86_400_000;
    const first = new Store(dir, base, PLAIN_LANE);
    await first.writer.write(Array.from({ length: 5 }, (_, i) => ({ line: `old line ${i}`, receivedAt: old, source: 's' })));
    await first.writer.flush();
    await first.close();
    const reports: RetentionReport[] = [];
    // by size: by age a shard written within the limit is kept, whatever its lines' time (a backfilled log)
    const store = new Store(dir, { ...base, retention: { maxAgeMs: null, maxBytes: 1 } }, PLAIN_LANE, {}, { onRetention: (r) => reports.push(r) });
    try {
      assert.equal(reports.length, 1, 'the pass at start reported');
      assert.deepEqual([reports[0]!.lines, reports[0]!.reason], [5, 'size']);
      assert.equal(store.catalog.summary().rows, 0);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Each commit waits for the disk unless configured otherwise (store.fsyncCommits): an acknowledged line
 * survives a power loss, not only nml being killed. Checked on the files' own setting, as SQLite reads it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ShardWriter } from './shard-writer.js';
import { RelationWriter } from './relation-writer.js';
import { STORE_DEFAULTS } from './store.js';
import { resolveConfig } from '../config.js';
import type { ConfigPatch } from '../config-types.js';

const FULL = 2;
const OFF = 0;
const synchronous = (w: unknown): number => ((w as { db: Database.Database }).db.pragma('synchronous', { simple: true }) as number);

test('shards are written with synchronous=FULL by default and OFF when fsyncCommits is false', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-durable-'));
  try {
    assert.equal(STORE_DEFAULTS.fsyncCommits, true);
    const t0 = Date.UTC(2026, 0, 5, 10);
    const durable = new ShardWriter(join(dir, 'a.db'), t0, 60_000, 0);
    assert.equal(synchronous(durable), FULL);
    durable.seal(false);
    const fast = new ShardWriter(join(dir, 'b.db'), t0, 60_000, 0, false);
    assert.equal(synchronous(fast), OFF);
    fast.seal(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('relation files follow the same setting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-durable-'));
  try {
    const t0 = Date.UTC(2026, 0, 5, 10);
    for (const [fsync, want] of [[undefined, FULL], [false, OFF]] as const) {
      const w = new RelationWriter({ dir: join(dir, String(fsync)), lane: 0, periodMs: 3_600_000, maxOpen: 2, ...(fsync === undefined ? {} : { fsync }) });
      w.append([{ time: t0, relations: [{ kind: 'query', from: '10.0.0.1', to: 'example.com' }] }]);
      const open = (w as unknown as { open: Map<number, { db: Database.Database }> }).open;
      assert.equal(open.size, 1);
      assert.equal(synchronous([...open.values()][0]), want);
      w.closeAll();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('store.fsyncCommits is a configuration key: false is taken, a string is refused naming it', () => {
  assert.equal(resolveConfig().store.fsyncCommits, true);
  assert.equal(resolveConfig({ store: { fsyncCommits: false } }).store.fsyncCommits, false);
  assert.throws(() => resolveConfig({ store: { fsyncCommits: 'no' } } as unknown as ConfigPatch), /store\.fsyncCommits/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { isAppError } from '../core/index.js';
import { ShardSet } from './shard-set.js';
import { ShardWriter } from './shard-writer.js';
import { storageError } from './storage-errors.js';
import { Store, STORE_DEFAULTS, type StoreConfig } from './store.js';
import { WriterPool } from './writer-pool.js';
import { PLAIN_LANE } from './testing/lanes.js';
import { outcome } from './testing/outcome.js';
import { canMountTmpfs, mountTmpfs } from './testing/tmpfs.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-store-disk-'));
// hourShardsAfterMs null: these tests' old lines make one shard a minute, not one an hour (shard-set.ts)
const CONFIG: StoreConfig = { ...STORE_DEFAULTS, lanes: 1, hourShardsAfterMs: null, relations: { ...STORE_DEFAULTS.relations, enabled: false } };
const MINUTE = 60_000;

/** Lines an hour old, one per minute slot. */
const oldLines = (n: number) => Array.from({ length: n }, (_, i) => ({ line: `line ${i}`, receivedAt: Date.now() - 3_600_000 - i * MINUTE, source: 's' }));

/** Descriptors of this process (its worker threads included) open on files under `dir`. */
function openFiles(dir: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((p) => p.startsWith(dir));
}

const dbFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.db')) : []);

test('a catalog that cannot record sealed shards (disk full) neither ends the process nor leaves batches unsettled; the next start records them', async () => {
  const dir = tmp();
  try {
    const problems: string[] = [];
    const store = new Store(dir, CONFIG, PLAIN_LANE, {}, { onProblem: (m) => problems.push(m) });
    // the catalog's file may not grow: SQLITE_FULL, as on a full disk
    const db = (store.catalog as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    try {
      assert.equal(await outcome(store.writer.write(oldLines(300))), 'stored');
      assert.equal(await outcome(store.writer.flush()), 'stored', 'the flush that seals them settles');
      const sealed = store.catalog.all().filter((s) => s.sealed);
      assert.equal(sealed.length, 300, 'memory knows every sealed shard: searchable now');
      assert.ok(problems.some((p) => /could not be recorded in .*catalog\.db \(SQLITE_FULL/.test(p) && /free space/.test(p)), problems[0]);
    } finally {
      await store.close();
    }
    const again = new Store(dir, CONFIG, PLAIN_LANE);
    try {
      assert.equal(again.catalog.all().filter((s) => s.sealed && s.rows === 1).length, 300, 'reconciliation measured and recorded them');
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a writer pool whose shard listener throws still settles the batches of that message and reports the failure', async () => {
  const dir = tmp();
  const problems: string[] = [];
  const pool = new WriterPool({
    workerUrl: PLAIN_LANE,
    lanes: 1,
    highWaterLines: 1000,
    laneData: {
      shardSet: { dir, slotMs: MINUTE, sealIdleMs: 5000, maxOpenShards: 4, optimizeOnSeal: false },
      sealCheckMs: 1000,
      maxLinesPerCommit: 1000,
      prepareOptions: {},
      relations: null,
    },
    onShardEvents: () => {
      throw new Error('catalog write failed');
    },
    onProblem: (m) => problems.push(m),
  });
  try {
    assert.equal(await outcome(pool.write(oldLines(3))), 'stored');
    assert.equal(await outcome(pool.flush()), 'stored');
    assert.ok(problems.length >= 2 && problems.every((p) => p.includes('catalog write failed')));
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Makes unlinkSync and rmSync throw EACCES for paths containing `part` while `run` runs (a folder another user owns). */
async function denyDelete<T>(part: string, run: () => Promise<T> | T): Promise<T> {
  const real = { unlinkSync: fs.unlinkSync, rmSync: fs.rmSync };
  const deny = <F extends (path: fs.PathLike, ...rest: never[]) => void>(f: F): F =>
    ((path: fs.PathLike, ...rest: never[]) => {
      if (String(path).includes(part)) throw Object.assign(new Error(`EACCES: permission denied, unlink '${String(path)}'`), { code: 'EACCES' });
      return f(path, ...rest);
    }) as F;
  fs.unlinkSync = deny(real.unlinkSync);
  fs.rmSync = deny(real.rmSync);
  syncBuiltinESMExports();
  try {
    return await run();
  } finally {
    fs.unlinkSync = real.unlinkSync;
    fs.rmSync = real.rmSync;
    syncBuiltinESMExports();
  }
}

test('retention keeps a shard it cannot delete, says why, and goes on with the others', async () => {
  const dir = tmp();
  try {
    const problems: string[] = [];
    const store = new Store(dir, { ...CONFIG, retention: { maxAgeMs: null, maxBytes: 1 }, retentionCheckMs: 3_600_000 }, PLAIN_LANE, {}, { onProblem: (m) => problems.push(m) });
    try {
      const t = Date.UTC(2026, 0, 5, 10);
      await store.writer.write([
        { line: 'hour ten', receivedAt: t, source: 's' },
        { line: 'hour eleven', receivedAt: t + 3_600_000, source: 's' },
      ]);
      await store.writer.flush();
      const [eleven, ten] = store.catalog.all();
      // the hour folder of 10:00 was made by another user
      const result = await denyDelete(`${join('2026', '01', '05', '10')}`, () => store.runRetention());
      assert.equal(result.removed, 1, 'the shard of 11:00 was removed');
      assert.equal(result.failed, 1);
      assert.equal(store.lastRetention, result);
      assert.equal(store.stats().retentionFailed, 1, '/api/stats and /metrics show it');
      assert.deepEqual(store.catalog.all().map((s) => s.rel), [ten!.rel], 'the one it could not delete is still listed');
      assert.ok(existsSync(ten!.path) && !existsSync(eleven!.path));
      assert.ok(problems.some((p) => p.includes(ten!.path) && /EACCES/.test(p) && /kept/.test(p)), problems.join('\n'));
      assert.ok(store.stats().problems.some((p) => p.includes(ten!.path) && /kept/.test(p)), 'the problem is in /api/stats and /api/live too');
      // the next pass, allowed again, removes it
      assert.equal(store.runRetention().removed, 1);
      assert.equal(store.catalog.all().length, 0);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a retention pass that fails is recorded in lastRetention and the problems, never thrown out of its timer', async () => {
  const dir = tmp();
  try {
    const problems: string[] = [];
    const store = new Store(dir, { ...CONFIG, retention: { maxAgeMs: MINUTE, maxBytes: null }, retentionCheckMs: 50 }, PLAIN_LANE, {}, { onProblem: (m) => problems.push(m) });
    try {
      const refresh = store.catalog.refreshSizes.bind(store.catalog);
      store.catalog.refreshSizes = () => {
        throw new Error('EIO: i/o error, stat');
      };
      const result = store.runRetention();
      assert.match(result.error ?? '', /retention pass failed \(EIO/);
      // the timer's passes fail the same way; this process is still here to see them
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(problems.filter((p) => /retention pass failed/.test(p)).length >= 2);
      assert.match(store.lastRetention.error ?? '', /EIO/);
      store.catalog.refreshSizes = refresh;
      assert.match(store.stats().retentionError ?? '', /EIO/, '/api/stats shows it');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shard whose file cannot be created leaves neither a file nor an open descriptor, and its slot is written once it can be', () => {
  const dir = tmp();
  try {
    const set = new ShardSet({ dir, lane: 0, slotMs: MINUTE, sealIdleMs: 1000, maxOpenShards: 4, optimizeOnSeal: false });
    const t0 = Date.UTC(2026, 0, 5, 10);
    const hour = join(dir, '2026', '01', '05', '10');
    // a directory where its WAL must go: SQLite cannot create it, as on a failing disk
    mkdirSync(join(hour, '0000-w0-0.db-wal'), { recursive: true });
    const line = { time: t0 + 1, receivedAt: t0, source: 's', raw: 'retry', text: 'retry' };
    for (let i = 0; i < 5; i++) assert.throws(() => set.append([line]));
    assert.deepEqual(dbFiles(dir), [], 'no empty shard file per attempt');
    assert.deepEqual(openFiles(dir), [], 'no descriptor left per attempt');
    rmSync(join(hour, '0000-w0-0.db-wal'), { recursive: true });
    const [ev] = set.append([line]);
    assert.equal(ev!.seq, 0, 'the slot gets its first file, not the sixth');
    set.closeAll(Date.now());
    // a writer constructor alone, too
    mkdirSync(join(hour, 'x.db-wal'));
    assert.throws(() => new ShardWriter(join(hour, 'x.db'), t0, MINUTE, 0));
    assert.equal(existsSync(join(hour, 'x.db')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('full, read-only and failing disks are STORE_DISK_FULL, STORE_READ_ONLY and STORE_IO_ERROR, saying what to do; other errors pass unchanged', () => {
  const err = (code: string) => Object.assign(new Error(`${code} from below`), { code });
  for (const code of ['SQLITE_FULL', 'ENOSPC']) {
    const e = storageError(err(code), '/data/shards/a.db');
    assert.ok(isAppError(e) && e.code === 'STORE_DISK_FULL' && e.kind === 'unavailable' && e.message.includes('/data/shards/a.db') && /free space/.test(e.message), String(e));
  }
  for (const code of ['SQLITE_READONLY', 'EROFS']) {
    const e = storageError(err(code), '/data/shards/a.db');
    assert.ok(isAppError(e) && e.code === 'STORE_READ_ONLY' && e.kind === 'unavailable' && /check the mount/.test(e.message), String(e));
  }
  for (const code of ['SQLITE_IOERR_WRITE', 'SQLITE_IOERR', 'EIO', 'EFBIG']) {
    const e = storageError(err(code), '/data/shards/a.db');
    assert.ok(isAppError(e) && e.code === 'STORE_IO_ERROR' && e.kind === 'unavailable' && e.message.includes('/data/shards/a.db') && /dmesg/.test(e.message) && e.details?.['cause'] === code, String(e));
  }
  for (const code of ['SQLITE_READONLY_DBMOVED', 'SQLITE_CORRUPT', '']) {
    const e = err(code);
    assert.equal(storageError(e, '/x'), e);
  }
});

test('on a full disk a write is refused as STORE_DISK_FULL, retries leave no empty shard or descriptor, and it is stored once there is room', { skip: !canMountTmpfs() && 'cannot mount a tmpfs here (needs root)' }, async () => {
  const disk = mountTmpfs(1024)!;
  try {
    const dir = join(disk.dir, 'data');
    const store = new Store(dir, CONFIG, PLAIN_LANE);
    try {
      disk.fill();
      const t0 = Date.UTC(2026, 0, 5, 10);
      const shards = join(dir, 'shards');
      const before = openFiles(shards).length;
      for (let i = 0; i < 10; i++) {
        const p = store.writer.write([{ line: `retry ${i}`, receivedAt: t0 + 1, source: 's' }]);
        await assert.rejects(p, (e) => isAppError(e) && e.code === 'STORE_DISK_FULL' && /free space/.test(e.message));
      }
      assert.deepEqual(dbFiles(shards), []);
      assert.equal(openFiles(shards).length, before);
      disk.free();
      assert.equal(await outcome(store.writer.write([{ line: 'room again', receivedAt: t0 + 2, source: 's' }])), 'stored');
      assert.equal(dbFiles(shards).length, 1);
    } finally {
      disk.free();
      await store.close();
    }
  } finally {
    disk.close();
  }
});

test('a data directory on a read-only mount is STORE_DATA_DIR naming it; a shard that cannot be created there is STORE_READ_ONLY', { skip: !canMountTmpfs() && 'cannot mount a tmpfs here (needs root)' }, () => {
  const disk = mountTmpfs(4096)!;
  try {
    const dir = join(disk.dir, 'data');
    const shards = join(dir, 'shards');
    const t0 = Date.UTC(2026, 0, 5, 10);
    const line = (t: number) => ({ time: t, receivedAt: t, source: 's', raw: 'x', text: 'x' });
    const before = new ShardSet({ dir: shards, lane: 0, slotMs: MINUTE, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false });
    before.append([line(t0)]);
    before.closeAll(Date.now());
    // a disk error remounts it read-only (nothing open on it: a busy mount cannot be switched here)
    disk.readOnly();
    assert.throws(
      () => new Store(dir, CONFIG, PLAIN_LANE),
      (e) => isAppError(e) && e.code === 'STORE_DATA_DIR' && e.message.includes(dir) && /read-only/.test(e.message) && !/internal/.test(e.message),
    );
    const after = new ShardSet({ dir: shards, lane: 0, slotMs: MINUTE, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false });
    for (const t of [t0 + 1, t0 + 3_600_000]) {
      assert.throws(
        () => after.append([line(t)]),
        (e: Error) => isAppError(e.cause) && e.cause.code === 'STORE_READ_ONLY' && /check the mount/.test(e.cause.message),
      );
    }
  } finally {
    disk.close();
  }
});

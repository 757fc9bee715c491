import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isAppError } from '../core/index.js';
import { Catalog } from './catalog.js';
import { ShardSet } from './shard-set.js';
import { ShardReader } from './shard-reader.js';
import { openForReading, sqliteAccessProblem } from './sqlite-read.js';
import { Store, STORE_DEFAULTS } from './store.js';
import { PLAIN_LANE } from './testing/lanes.js';
import { outcome } from './testing/outcome.js';
import { readOnlyDir } from './testing/read-only-dir.js';

const MINUTE = 60_000;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-sqlite-read-'));
const files = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();
const line = (time: number) => ({ time, receivedAt: time, source: 's', raw: `x ${time}`, text: `x ${time}` });
const noReadOnlyDir = readOnlyDir();
noReadOnlyDir?.close();
const skip = noReadOnlyDir === null && 'no folder can be made read-only here (root without a tmpfs mount)';

test('on a disk made read-only after the writer stopped, a reader catalog lists the shards and reads a WAL shard closed unsealed, making no file', { skip }, () => {
  const ro = readOnlyDir()!;
  try {
    const dir = join(ro.dir, 'data');
    const writer = new Catalog(dir, MINUTE);
    const set = new ShardSet({ dir: writer.shardsDir, lane: 0, slotMs: MINUTE, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false });
    const past = Date.UTC(2026, 0, 5, 10);
    writer.apply(set.append([line(past), line(past + 1)]));
    writer.apply(set.sealDue(Date.now(), true));
    // the current slot is closed without sealing: its file stays in WAL mode, with no -wal left
    writer.apply(set.append([line(Date.now())]));
    writer.apply(set.closeAll(Date.now()));
    writer.close();
    const before = files(dir);
    ro.freeze();

    const reader = new Catalog(dir, MINUTE, false);
    try {
      assert.deepEqual(reader.problems, []);
      const shards = reader.all();
      assert.deepEqual(shards.map((s) => [s.sealed, s.rows]).sort(), [[false, 1], [true, 2]]);
      for (const s of shards) {
        const r = new ShardReader(s.path);
        try {
          assert.equal(r.count(null), s.rows, s.rel);
        } finally {
          r.close();
        }
      }
    } finally {
      reader.close();
    }
    assert.deepEqual(files(dir), before, 'nothing was created beside the files');
  } finally {
    ro.close();
  }
});

test('a write-ahead log with commits in it and no -shm that can be made: STORE_DATA_DIR naming the file and what to do, not an SQLite error', { skip }, () => {
  const ro = readOnlyDir()!;
  const src = tmp();
  try {
    const dir = join(ro.dir, 'data');
    mkdirSync(join(dir, 'shards'), { recursive: true });
    const db = new Database(join(src, 'catalog.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE shards(rel TEXT PRIMARY KEY, slot_start INTEGER, slot_end INTEGER, lane INTEGER, seq INTEGER, rows INTEGER, tmin INTEGER, tmax INTEGER, bytes INTEGER)');
    // a copy taken while the writer ran: the database and its log, not the -shm
    for (const f of ['catalog.db', 'catalog.db-wal']) copyFileSync(join(src, f), join(dir, f));
    db.close();
    ro.freeze();
    assert.throws(
      () => new Catalog(dir, MINUTE, false),
      (e) =>
        isAppError(e) &&
        e.code === 'STORE_DATA_DIR' &&
        e.message.includes(join(dir, 'catalog.db')) &&
        /catalog\.db-wal/.test(e.message) &&
        (ro.how === 'mount' ? /mounted read-only.*mount it read-write/ : /may not write its folder.*chown, chmod/).test(e.message) &&
        !/move .*aside/.test(e.message),
    );
  } finally {
    ro.close();
    rmSync(src, { recursive: true, force: true });
  }
});

test('beside a writer, a database opened for reading sees each commit in place (no copy in memory) and writes nothing', () => {
  const dir = tmp();
  try {
    const path = join(dir, 'x.db');
    const w = new Database(path);
    w.pragma('journal_mode = WAL');
    w.exec('CREATE TABLE t(x)');
    w.prepare('INSERT INTO t VALUES (1)').run();
    const r = openForReading(path);
    try {
      assert.equal(r.memory, false);
      const count = r.prepare('SELECT count(*) AS n FROM t');
      assert.equal((count.get() as { n: number }).n, 1);
      w.prepare('INSERT INTO t VALUES (2)').run();
      assert.equal((count.get() as { n: number }).n, 2, 'the later commit');
      assert.throws(() => r.prepare('INSERT INTO t VALUES (3)').run(), (e: Error & { code?: string }) => e.code === 'SQLITE_READONLY');
    } finally {
      r.close();
      w.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a reader's catalog beside a running store lists the lines committed to a shard still open", async () => {
  const dir = tmp();
  try {
    const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 1, relations: { ...STORE_DEFAULTS.relations, enabled: false } }, PLAIN_LANE);
    try {
      const now = Date.now();
      assert.equal(await outcome(store.writer.write([1, 2, 3].map((i) => ({ line: `open ${i}`, receivedAt: now + i, source: 's' })))), 'stored');
      const reader = new Catalog(dir, STORE_DEFAULTS.slotMs, false);
      try {
        assert.equal(reader.summary().rows, 3);
        assert.ok(reader.all().every((s) => !s.sealed));
      } finally {
        reader.close();
      }
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that cannot be got at is told as such with what to do; a damaged one is left to its caller', () => {
  const dir = tmp();
  try {
    const path = join(dir, 'users.db');
    writeFileSync(path, '');
    const err = (code: string) => Object.assign(new Error(`${code} from below`), { code });
    for (const code of ['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_READONLY_DIRECTORY', 'EROFS', 'EACCES', 'EPERM']) {
      for (const write of [false, true]) {
        const why = sqliteAccessProblem(err(code), path, write);
        assert.ok(why !== null && why.includes(code) && /no sign of a damaged file/.test(why) && !/move .*aside/.test(why), `${code}: ${why}`);
      }
    }
    for (const code of ['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_READONLY_DBMOVED', 'SQLITE_FULL', '']) assert.equal(sqliteAccessProblem(err(code), path), null, code);
    assert.match(sqliteAccessProblem(err('SQLITE_CANTOPEN'), join(dir, 'gone.db'))!, /does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, existsSync, renameSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ShardSet } from './shard-set.js';
import { ShardReader } from './shard-reader.js';
import { Catalog } from './catalog.js';
import { Store, STORE_DEFAULTS } from './store.js';
import { PLAIN_LANE } from './testing/lanes.js';
import { applyRetention } from './retention.js';
import { TYPED_MARK } from './terms.js';
import type { StoredLine } from './shard-writer.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-store-'));

function line(i: number, time: number, extra = ''): StoredLine {
  const raw = `<13>Nov 28 12:00:00 web-01 sshd[1]: message ${i} from 10.0.0.${i % 250}${extra}`;
  return { time, receivedAt: time + 5, source: 'test', raw, text: raw + '\n' + TYPED_MARK + 'app_sshd' };
}

test('lines appended to a shard are counted, listed newest first and read back exactly', () => {
  const dir = tmp();
  try {
    const set = new ShardSet({ dir, lane: 0, slotMs: 60_000, sealIdleMs: 1000, maxOpenShards: 4, optimizeOnSeal: true });
    const lines = Array.from({ length: 1000 }, (_, i) => line(i, T0 + i * 10, i === 777 ? ' needle42' : ''));
    const events = set.append(lines);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.stats.rows, 1000);
    const r = new ShardReader(join(dir, events[0]!.rel));
    assert.equal(r.count(null), 1000);
    assert.equal(r.count('"needle42"'), 1);
    assert.equal(r.count('"message"'), 1000);
    assert.equal(r.count(`"${TYPED_MARK}app_sshd"`), 1000);
    assert.equal(r.count('"app_sshd"'), 0, 'typed terms are not reachable without the mark');
    const top = [...r.rowidsDesc('"message"', null)].slice(0, 3);
    const hits = r.lines(top);
    assert.deepEqual(hits.map((h) => h.raw), [lines[999]!.raw, lines[998]!.raw, lines[997]!.raw]);
    assert.equal(hits[0]!.time, lines[999]!.time);
    assert.equal(hits[0]!.receivedAt, lines[999]!.receivedAt);
    assert.equal(hits[0]!.source, 'test');
    const [needle] = r.lines([...r.rowidsDesc('"needle42"', null)]);
    assert.equal(needle!.raw, lines[777]!.raw);
    r.close();
    const sealed = set.sealDue(T0 + 3600_000, true);
    assert.equal(sealed.length, 1);
    assert.equal(sealed[0]!.kind, 'sealed');
    assert.equal(existsSync(join(dir, events[0]!.rel) + '-wal'), false, 'sealed shard is one file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines go to the shard of their time slot; a sealed slot gets a new sequence file', () => {
  const dir = tmp();
  try {
    const set = new ShardSet({ dir, lane: 1, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false });
    const ev = set.append([line(1, T0 + 1000), line(2, T0 + 61_000), line(3, T0 + 2000)]);
    assert.deepEqual(ev.map((e) => [e.slotStart - T0, e.stats.rows]).sort(), [[0, 2], [60_000, 1]]);
    set.sealDue(T0 + 10 * 60_000, true);
    const again = set.append([line(4, T0 + 3000)]);
    assert.equal(again[0]!.seq, 1);
    assert.match(again[0]!.rel, /1200\d\d-w1-1\.db$|1200-w1-1\.db$|00-w1-1\.db$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the catalog recovers shards a writer left open and lists them by time', () => {
  const dir = tmp();
  try {
    // a writer killed with SIGKILL after committing, shards neither sealed nor closed
    const script = `
      const { ShardSet } = await import(${JSON.stringify(new URL(import.meta.url.endsWith('.ts') ? './shard-set.ts' : './shard-set.js', import.meta.url).href)});
      const set = new ShardSet({ dir: ${JSON.stringify(join(dir, 'shards'))}, lane: 0, slotMs: 60000, sealIdleMs: 1000, maxOpenShards: 4, optimizeOnSeal: false });
      const l = (t) => ({ time: t, receivedAt: t, source: 's', raw: 'x ' + t, text: 'x ' + t });
      set.append([l(${T0 + 1000}), l(${T0 + 121_000})]);
      process.kill(process.pid, 'SIGKILL');`;
    // from source the child needs tsx too (process.execArgv carries `--import tsx`)
    const r = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', script]);
    assert.equal(r.signal, 'SIGKILL', r.stderr.toString());
    const catalog = new Catalog(dir, 60_000);
    const all = catalog.list({ from: null, to: null });
    assert.equal(all.length, 2);
    assert.ok(all[0]!.slotStart > all[1]!.slotStart, 'newest first');
    assert.ok(all.every((s) => s.sealed && s.rows === 1));
    assert.equal(catalog.list({ from: T0 + 120_000, to: null }).length, 1);
    catalog.close();
    // a catalog that is not a database: a clear error naming it; moved aside, it is rebuilt from the shards
    const path = join(dir, 'catalog.db');
    for (const f of ['catalog.db-wal', 'catalog.db-shm']) rmSync(join(dir, f), { force: true });
    writeFileSync(path, 'not a database, just some bytes that are long enough to hold a header '.repeat(4));
    assert.throws(() => new Catalog(dir, 60_000), (e: Error & { code?: string }) => e.code === 'STORE_CATALOG_CORRUPT' && e.message.includes(path) && /rebuilt from the shards/.test(e.message));
    renameSync(path, path + '.bad');
    const rebuilt = new Catalog(dir, 60_000);
    assert.equal(rebuilt.list({ from: null, to: null }).length, 2);
    rebuilt.close();
    // damage past its first page shows only when the rows are read: the same error, not a crash with a stack
    // (found by review: every command, serve included, ended in "internal error: database disk image is malformed")
    const db = new Database(path);
    const add = db.prepare('INSERT INTO shards(rel, slot_start, slot_end, lane, seq, rows, tmin, tmax, bytes) VALUES (?, 0, 60000, 0, 0, 1, 0, 0, 1)');
    db.transaction(() => {
      for (let i = 0; i < 400; i++) add.run(`1999/01/01/00/${String(i).padStart(4, '0')}-w0-0.db/${'x'.repeat(60)}`);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096);
    closeSync(fd);
    assert.throws(() => new Catalog(dir, 60_000), (e: Error & { code?: string }) => e.code === 'STORE_CATALOG_CORRUPT' && e.message.includes(path) && /move the file aside/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the writer pool acknowledges only committed batches and reports shards to the catalog', async () => {
  const dir = tmp();
  const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 2 }, PLAIN_LANE);
  try {
    const now = Date.now();
    const writes: Promise<void>[] = [];
    for (let b = 0; b < 20; b++) {
      writes.push(store.writer.write(Array.from({ length: 500 }, (_, i) => ({ line: `batch ${b} line ${i} word${i % 7}`, receivedAt: now, source: 'test' }))));
    }
    await Promise.all(writes);
    assert.equal(store.writer.committedLines, 10_000);
    const shards = store.catalog.all();
    assert.ok(shards.length >= 1 && shards.length <= 4);
    let total = 0;
    for (const s of shards) {
      const r = new ShardReader(s.path);
      total += r.count('"word3"');
      r.close();
    }
    assert.equal(total, (10_000 / 500) * 71);
    assert.equal(store.stats().rows, 10_000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention removes sealed shards past the age limit, then oldest first over the byte budget', () => {
  const dir = tmp();
  try {
    const set = new ShardSet({ dir: join(dir, 'shards'), lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
    for (let m = 0; m < 5; m++) set.append([line(m, T0 + m * 60_000)]);
    set.sealDue(T0 + 3600_000, true);
    const catalog = new Catalog(dir, 60_000);
    assert.equal(catalog.all().length, 5);
    // written today: nothing is past the age limit by its file, whatever its lines' own time (a device's clock at 1970, a replayed log)
    assert.equal(applyRetention(catalog, { maxAgeMs: 3 * 60_000, maxBytes: null }, Date.now()).removed, 0);
    // written when their slots ended
    for (const s of catalog.all()) utimesSync(s.path, new Date(s.slotEnd), new Date(s.slotEnd));
    const r1 = applyRetention(catalog, { maxAgeMs: 3 * 60_000, maxBytes: null }, T0 + 5 * 60_000);
    assert.equal(r1.removed, 2);
    const one = catalog.all()[0]!.bytes;
    const r2 = applyRetention(catalog, { maxAgeMs: null, maxBytes: one * 2 }, T0 + 5 * 60_000);
    assert.equal(r2.removed, 1);
    assert.deepEqual(catalog.all().map((s) => s.slotStart - T0), [4 * 60_000, 3 * 60_000]);
    catalog.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data directory the store creates is owner-only (its log lines are not every local user\'s to read); one that exists keeps its mode', async () => {
  const parent = tmp();
  const made = join(parent, 'new', 'data');
  const kept = join(parent, 'kept');
  mkdirSync(kept, { mode: 0o755 });
  chmodSync(kept, 0o755);
  const stores = [new Store(made, { ...STORE_DEFAULTS, lanes: 1 }, PLAIN_LANE), new Store(kept, { ...STORE_DEFAULTS, lanes: 1 }, PLAIN_LANE)];
  try {
    assert.equal(statSync(made).mode & 0o777, 0o700 & ~process.umask());
    assert.equal(statSync(made).mode & 0o077, 0, 'no access for group or others');
    assert.equal(statSync(kept).mode & 0o777, 0o755, 'an existing folder is left as the operator made it');
  } finally {
    for (const s of stores) await s.close();
    rmSync(parent, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShardSet } from './shard-set.js';
import { ShardReader } from './shard-reader.js';
import { Catalog } from './catalog.js';
import { BLOCK_LINES, SCHEMA_VERSION } from './schema.js';
import type { StoredLine } from './shard-writer.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const MINUTE = 60_000;

function lines(minute: number, n: number): StoredLine[] {
  return Array.from({ length: n }, (_, i) => {
    const raw = `<13>Nov 28 12:00:00 web-01 sshd[1]: minute${minute} line ${i}`;
    return { time: T0 + minute * MINUTE + i, receivedAt: T0, source: 'test', raw, text: raw };
  });
}

function metaOf(path: string): Map<string, string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return new Map((db.prepare('SELECT k, v FROM meta').all() as { k: string; v: string }[]).map((r) => [r.k, r.v]));
  } finally {
    db.close();
  }
}

function journalMode(path: string): unknown {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('journal_mode', { simple: true });
  } finally {
    db.close();
  }
}

test('a new shard starts from the empty image stamped with its slot and lane, in WAL mode while written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-shardset-'));
  try {
    const set = new ShardSet({ dir, lane: 3, slotMs: MINUTE, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false });
    const [a] = set.append(lines(0, 10));
    const [b] = set.append(lines(1, 20));
    for (const [e, minute] of [[a!, 0], [b!, 1]] as const) {
      const path = join(dir, e.rel);
      const meta = metaOf(path);
      assert.equal(meta.get('slot_start'), String(T0 + minute * MINUTE), 'each shard has its own slot, not the first one stamped');
      assert.equal(meta.get('slot_ms'), String(MINUTE));
      assert.equal(meta.get('lane'), '3');
      assert.equal(meta.get('schema_version'), String(SCHEMA_VERSION));
      assert.equal(meta.get('block_lines'), String(BLOCK_LINES));
      assert.equal(journalMode(path), 'wal');
    }
    const sealed = set.sealDue(T0 + 10 * MINUTE, true);
    assert.equal(sealed.length, 2);
    for (const e of sealed) {
      const path = join(dir, e.rel);
      assert.equal(journalMode(path), 'delete', 'a sealed shard is one self-contained file');
      assert.equal(existsSync(path + '-wal'), false);
      const r = new ShardReader(path);
      assert.equal(r.count(null), e.stats.rows);
      r.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a parked shard is sealed with the rows its writer counted, and a vanished one is not created again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-shardset-'));
  try {
    // one open shard at a time, a slot idle for an hour before it is due: every older slot is parked
    const set = new ShardSet({ dir, lane: 0, slotMs: MINUTE, sealIdleMs: 3_600_000, maxOpenShards: 1, optimizeOnSeal: false });
    const events = [...set.append(lines(0, 300)), ...set.append(lines(1, 50)), ...set.append(lines(2, 7))];
    const rels = [...new Set(events.map((e) => e.rel))];
    assert.equal(rels.length, 3);
    assert.ok(events.every((e) => e.kind === 'updated'), 'parked, not sealed');
    rmSync(join(dir, rels[1]!));
    const sealed = set.sealDue(Date.now(), true);
    const byRel = new Map(sealed.map((e) => [e.rel, e]));
    assert.deepEqual([...byRel.keys()].sort(), [...rels].sort());
    assert.deepEqual(
      rels.map((rel) => byRel.get(rel)!.stats.rows),
      [300, 50, 7],
    );
    assert.equal(byRel.get(rels[1]!)!.kind, 'sealed');
    assert.equal(existsSync(join(dir, rels[1]!)), false, 'the missing file stays missing for the catalog to name');
    for (const rel of [rels[0]!, rels[2]!]) {
      const path = join(dir, rel);
      assert.equal(journalMode(path), 'delete');
      const r = new ShardReader(path);
      assert.equal(r.count(null), byRel.get(rel)!.stats.rows);
      assert.equal(r.count('"minute0"') + r.count('"minute2"'), byRel.get(rel)!.stats.rows);
      r.close();
    }
    assert.equal(set.sealDue(Date.now(), true).length, 0, 'nothing is sealed twice');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a line of an hour that ended hourShardsAfterMs before it arrived goes to the lane's shard of the whole hour, listed as the hour", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-shardset-'));
  try {
    const HOUR = 3_600_000;
    const set = new ShardSet({ dir: join(dir, 'shards'), lane: 1, slotMs: MINUTE, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false, hourShardsAfterMs: 600_000 });
    // while the hour was recent: its minute 0 goes to a minute shard
    const early = set.append(lines(0, 5), T0 + 5 * MINUTE);
    assert.deepEqual(early.map((e) => [e.slotStart, e.slotMs]), [[T0, MINUTE]]);
    // 10 minutes after the hour ended: lines of minutes 0, 7 and 59 go to one shard of the whole hour,
    // beside the open minute-0 shard (the two share a start); a line of the current minute does not
    const late = set.append([...lines(0, 3), ...lines(7, 4), ...lines(59, 2), ...lines(70, 1)], T0 + HOUR + 600_000);
    const byRel = new Map(late.map((e) => [e.rel, e]));
    assert.equal(byRel.size, 2, [...byRel.keys()].join(', '));
    const hour = [...byRel.values()].find((e) => e.slotMs === HOUR)!;
    assert.match(hour.rel, /^2026\/11\/28\/12\/hour-w1-0\.db$/);
    assert.equal(hour.slotStart, T0);
    assert.equal(hour.stats.rows, 9);
    const minute = [...byRel.values()].find((e) => e.slotMs === MINUTE)!;
    assert.equal(minute.slotStart, T0 + 70 * MINUTE);
    assert.equal(set.slotKey(T0 + 7 * MINUTE, T0 + HOUR + 599_999), String(T0 + 7 * MINUTE), 'not yet settled: its minute');
    assert.notEqual(set.slotKey(T0, T0 + HOUR + 600_000), set.slotKey(T0, T0 + 5 * MINUTE), 'an hour and its minute 0 are different slots');
    const sealed = set.closeAll(T0 + 2 * HOUR);
    assert.equal(sealed.length, 3);
    assert.equal(metaOf(join(dir, 'shards', hour.rel)).get('slot_ms'), String(HOUR));
    const r = new ShardReader(join(dir, 'shards', hour.rel));
    assert.deepEqual([r.count('"minute0"'), r.count('"minute7"'), r.count('"minute59"')], [3, 4, 2]);
    assert.equal(r.timeOf([...r.rowidsDesc('"minute59"', null)][0]!), T0 + 59 * MINUTE + 1);
    r.close();
    // the catalog lists it as the hour it holds: from the events, and from the files at the next start
    const catalog = new Catalog(dir, MINUTE);
    const listed = catalog.list({ from: null, to: null }).find((s) => s.rel === hour.rel)!;
    assert.deepEqual([listed.slotStart, listed.slotEnd, listed.lane, listed.rows], [T0, T0 + HOUR, 1, 9]);
    catalog.close();
    const fresh = new Catalog(join(dir, 'other'), MINUTE);
    fresh.apply(sealed);
    assert.equal(fresh.all().find((s) => s.rel === hour.rel)!.slotEnd, T0 + HOUR);
    fresh.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a lane's shard of a whole hour that reaches hourShardRows is sealed, and the hour's next lines start another", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-shardset-'));
  try {
    const set = new ShardSet({ dir, lane: 0, slotMs: MINUTE, sealIdleMs: 3_600_000, maxOpenShards: 4, optimizeOnSeal: false, hourShardsAfterMs: 0, hourShardRows: 100 });
    const now = T0 + 2 * 3_600_000;
    const first = set.append(lines(1, 60), now);
    assert.deepEqual(first.map((e) => e.kind), ['updated'], 'under the cap: open');
    const second = set.append(lines(2, 60), now);
    assert.deepEqual(second.map((e) => [e.kind, e.seq, e.stats.rows]), [['updated', 0, 120], ['sealed', 0, 120]]);
    const third = set.append(lines(3, 10), now);
    assert.deepEqual(third.map((e) => [e.kind, e.seq, e.stats.rows]), [['updated', 1, 10]]);
    assert.match(third[0]!.rel, /hour-w0-1\.db$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

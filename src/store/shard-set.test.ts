import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShardSet } from './shard-set.js';
import { ShardReader } from './shard-reader.js';
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

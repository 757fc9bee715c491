import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isAppError } from '../core/index.js';
import { mergeShards, replacedBy, type MergeSource } from './shard-merge.js';
import { ShardReader, type StoredHit } from './shard-reader.js';
import { ShardWriter, type StoredLine } from './shard-writer.js';
import { rawIndexText, typedTerm } from './terms.js';

const HOUR = Date.UTC(2026, 10, 28, 12, 0, 0);
const MINUTE = 60_000;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-merge-'));

let serial = 0;
/** A line with a word of its own (`idN`), so that each row can be found alone in the index. */
function line(time: number, words: string, host = 'web-01'): StoredLine {
  const id = serial++;
  const raw = words === '' ? '' : `<13>Nov 28 ${host} sshd[1]: ${words} id${id}`;
  const text = raw === '' ? '' : `${rawIndexText(raw)} ${typedTerm('host', host)}`;
  return { time, receivedAt: time + 5 + (id % 3), source: id % 2 === 0 ? 'udp/10.0.0.1' : 'tcp/10.0.0.2', raw, text };
}

/** A sealed one-minute shard written in several small appends (so its blocks are partial). */
function shard(dir: string, minute: number, lane: number, batches: StoredLine[][], optimize = true): MergeSource {
  const rel = `${String(minute).padStart(2, '0')}00-w${lane}-0.db`;
  const w = new ShardWriter(join(dir, rel), HOUR + minute * MINUTE, MINUTE, lane, false);
  for (const b of batches) w.append(b);
  w.seal(optimize);
  return { path: join(dir, rel), rel };
}

function allRows(path: string): StoredHit[] {
  const r = new ShardReader(path);
  try {
    return r.lines([...r.rowidsDesc(null, null)].reverse());
  } finally {
    r.close();
  }
}

const plain = (h: StoredHit): Omit<StoredHit, 'rowid'> => ({ time: h.time, receivedAt: h.receivedAt, source: h.source, raw: h.raw });
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Four sources in an order that is not time order, with ties across sources and lines out of order within each. */
function sources(dir: string): MergeSource[] {
  const at = (minute: number, s: number): number => HOUR + minute * MINUTE + s * 1000;
  return [
    shard(dir, 5, 0, [
      [line(at(5, 30), 'message accepted'), line(at(5, 10), 'message rare42'), line(at(5, 10), 'message tie first')],
      Array.from({ length: 140 }, (_, i) => line(at(5, 59 - (i % 60)), `message accepted user${i % 7}`)),
      [line(at(5, 20), ''), line(at(5, 20), 'Ünïcode ΣΟΦΙΑ message')],
    ]),
    shard(dir, 5, 1, [
      [line(at(5, 10), 'message tie second', 'db-02'), line(at(5, 0), 'message failed', 'db-02')],
      Array.from({ length: 30 }, (_, i) => line(at(5, i), `message failed code${i % 3}`, 'db-02')),
    ]),
    shard(dir, 2, 0, [Array.from({ length: 50 }, (_, i) => line(at(2, 49 - i), `message onlyinc ${i % 2 === 0 ? 'accepted' : 'failed'}`))]),
    // sealed without optimize: several index segments, as a shard sealed in a hurry is
    shard(dir, 59, 2, [[line(at(59, 1), 'message late')], [line(at(59, 0), 'message late')], [line(at(59, 2), 'message late accepted')]], false),
  ];
}

test('merged shards hold every row in event-time order and answer every query as their sources together do', () => {
  const dir = tmp();
  try {
    const src = sources(dir);
    const before = src.map((s) => digest(s.path));
    const out = join(dir, 'hour.db');
    writeFileSync(`${out}.tmp`, 'left by a merge that was killed');
    const res = mergeShards(src, out, { slotStart: HOUR, slotMs: 3_600_000, lane: 0, replaces: src.map((s) => s.rel) });

    const expected = src.flatMap((s) => allRows(s.path).map(plain));
    assert.equal(res.rows, expected.length);
    assert.equal(res.tmin, Math.min(...expected.map((l) => l.time)));
    assert.equal(res.tmax, Math.max(...expected.map((l) => l.time)));
    assert.equal(res.bytes, statSync(out).size);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('hour')), ['hour.db'], 'no temp file or journal is left');
    assert.deepEqual(src.map((s) => digest(s.path)), before, 'the sources are unchanged');

    // rowid order is event-time order; ties keep source order, then the sources' rowid order (a stable sort)
    const merged = allRows(out);
    assert.deepEqual(merged.map((h) => h.rowid), Array.from({ length: expected.length }, (_, i) => i), 'rows fill full blocks');
    const stable = expected.map((l, i) => ({ l, i })).sort((a, b) => a.l.time - b.l.time || a.i - b.i);
    assert.deepEqual(merged.map(plain), stable.map((x) => x.l));
    const ties = merged.filter((h) => / tie /.test(h.raw)).map((h) => h.raw.split(' ').slice(-2, -1)[0]);
    assert.deepEqual(ties, ['first', 'second']);

    const readers = [out, ...src.map((s) => s.path)].map((p) => new ShardReader(p));
    const [m, ...rs] = readers as [ShardReader, ...ShardReader[]];
    try {
      const queries: [string, number][] = [
        ['"message"', expected.length - 1],
        ['"rare42"', 1],
        ['"message" AND "accepted"', 167],
        [`"${typedTerm('host', 'db-02')}"`, 32],
        ['"onlyinc"', 50],
        ['"nowhere"', 0],
        ['"ünïcode" AND "σοφια"', 1],
        ['"user3" OR "code1"', 20 + 10],
        [null as unknown as string, expected.length],
      ];
      for (const [q, want] of queries) {
        const sum = rs.reduce((n, r) => n + r.count(q), 0);
        assert.equal(sum, want, `sources: ${q}`);
        assert.equal(m.count(q), want, `merged: ${q}`);
      }
      // each row's own word finds that row and no other: the index rows went to the new rowids
      for (const h of merged) {
        const id = /id(\d+)$/.exec(h.raw)?.[1];
        if (id !== undefined) assert.deepEqual([...m.rowidsDesc(`"id${id}"`, null)], [h.rowid], h.raw);
      }
    } finally {
      for (const r of readers) r.close();
    }

    assert.deepEqual(replacedBy(out), src.map((s) => s.rel));
    assert.deepEqual(replacedBy(src[0]!.path), []);
    const db = new Database(out, { readonly: true });
    try {
      const meta = Object.fromEntries((db.prepare('SELECT k, v FROM meta').all() as { k: string; v: string }[]).map((r) => [r.k, r.v]));
      assert.equal(meta.slot_start, String(HOUR));
      assert.equal(meta.slot_ms, '3600000');
      assert.equal(meta.lane, '0');
      assert.equal(meta.block_lines, '128');
      assert.ok(Number(meta.sealed_at) > 0);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a row outside the merged slot fails the merge and leaves neither the shard nor its temp file', () => {
  const dir = tmp();
  try {
    const src = sources(dir);
    const out = join(dir, 'hour.db');
    assert.throws(
      () => mergeShards(src, out, { slotStart: HOUR, slotMs: 3 * MINUTE, lane: 0, replaces: [] }),
      (e: unknown) => isAppError(e) && e.code === 'STORE_MERGE_FAILED' && e.kind === 'unavailable' && e.message.includes('0500-w0-0.db') && /outside the merged slot/.test(e.message),
    );
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('hour')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an index entry for a row no block holds fails the merge, naming the shard and the row', () => {
  // past every block, and inside a block's ids but past its rows (which would otherwise be given to another row)
  for (const ghost of [99999, 120]) {
    const dir = tmp();
    try {
      const src = sources(dir);
      const r = new ShardReader(src[2]!.path);
      assert.ok((r.block(0)?.raw.length ?? 0) <= 120, 'block 0 is partial');
      r.close();
      const db = new Database(src[2]!.path);
      db.prepare("INSERT INTO idx(rowid, t) VALUES (?, 'ghost')").run(ghost);
      db.close();
      const out = join(dir, 'hour.db');
      assert.throws(
        () => mergeShards(src, out, { slotStart: HOUR, slotMs: 3_600_000, lane: 0, replaces: [], fsync: false }),
        (e: unknown) => isAppError(e) && e.code === 'STORE_MERGE_FAILED' && e.message.includes(src[2]!.rel) && e.message.includes(`row ${ghost}, which no block holds`),
      );
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('hour')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('an index whose terms do not come back as themselves fails the merge, naming the term', () => {
  const dir = tmp();
  try {
    const src = sources(dir);
    // a source indexed by another tokenizer (one keeping '-'): its term "odd-term", joined into a row's
    // text for the merged shard's tokenizer, is two terms there ("odd", first in order, and "term")
    const r = new ShardReader(src[1]!.path);
    const rowids = [...r.rowidsDesc(null, null)];
    r.close();
    const db = new Database(src[1]!.path);
    db.exec('DROP TABLE idx');
    db.exec(`CREATE VIRTUAL TABLE idx USING fts5(t, content='', detail=none, columnsize=0, tokenize="unicode61 remove_diacritics 0 tokenchars '-'")`);
    const put = db.prepare("INSERT INTO idx(rowid, t) VALUES (?, 'odd-term')");
    for (const rowid of rowids) put.run(rowid);
    db.close();
    const out = join(dir, 'hour.db');
    assert.throws(
      () => mergeShards(src, out, { slotStart: HOUR, slotMs: 3_600_000, lane: 0, replaces: [], fsync: false }),
      (e: unknown) => isAppError(e) && e.code === 'STORE_MERGE_FAILED' && e.message.includes(`index term "odd" is in ${rowids.length} more rows of the merged shard than of the sources`),
    );
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('hour')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a merge given up just before its rename leaves no shard and does not touch its temporary path (another process may own it by then)', () => {
  const dir = tmp();
  try {
    const out = join(dir, 'hour.db');
    let asked = 0;
    assert.throws(
      () => mergeShards([], out, { slotStart: HOUR, slotMs: 3_600_000, lane: 0, replaces: [], fsync: false, abandoned: () => ++asked > 0 }),
      (e: unknown) => isAppError(e) && e.code === 'STORE_MERGE_FAILED' && /given up/.test(e.message),
    );
    assert.equal(asked, 1);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('hour')), ['hour.db.tmp'], 'left for the next start to delete');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no sources merge into an empty shard', () => {
  const dir = tmp();
  try {
    const out = join(dir, 'hour.db');
    assert.deepEqual({ ...mergeShards([], out, { slotStart: HOUR, slotMs: 3_600_000, lane: 3, replaces: [], fsync: false }), bytes: 0 }, { rows: 0, tmin: null, tmax: null, bytes: 0 });
    const r = new ShardReader(out);
    assert.equal(r.count(null), 0);
    r.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('merge time for ~50k rows (measured, not asserted)', () => {
  const dir = tmp();
  try {
    const hosts = ['web-01', 'web-02', 'db-01', 'mail-03'];
    const src: MergeSource[] = [];
    // 50 one-minute shards on two lanes, 1,000 lines each in commits of 20 (partial blocks, as at a low rate)
    for (let s = 0; s < 50; s++) {
      const minute = Math.floor(s / 2);
      const lines = Array.from({ length: 1000 }, (_, i) =>
        line(HOUR + minute * MINUTE + ((i * 7919) % MINUTE), `session opened for user u${i % 97} from 10.1.${i % 13}.${i % 251} port ${40000 + (i % 5000)} ssh2 req${s}_${i}`, hosts[i % 4]),
      );
      const batches = Array.from({ length: 50 }, (_, b) => lines.slice(b * 20, b * 20 + 20));
      src.push(shard(dir, minute, s % 2, batches));
    }
    const out = join(dir, 'hour.db');
    const t0 = performance.now();
    const res = mergeShards(src, out, { slotStart: HOUR, slotMs: 3_600_000, lane: 0, replaces: src.map((s) => s.rel) });
    const ms = performance.now() - t0;
    const srcBytes = src.reduce((n, s) => n + statSync(s.path).size, 0);
    console.log(`merge: ${res.rows} rows from ${src.length} shards in ${ms.toFixed(0)} ms (${((ms * 1000) / res.rows).toFixed(1)} µs/row); ${srcBytes} bytes → ${res.bytes}`);
    assert.equal(res.rows, 50_000);
    assert.equal(existsSync(out), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

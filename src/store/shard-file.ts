/** Whole-file operations on a shard outside any writer: measure, and seal one a crashed writer left open. */
import Database from 'better-sqlite3';
import { openForReading } from './sqlite-read.js';

export function inspectShard(path: string): { rows: number; tmin: number | null; tmax: number | null; slotMs: number | null } {
  const db = openForReading(path);
  try {
    const meta = new Map((db.prepare('SELECT k, v FROM meta').all() as { k: string; v: string }[]).map((r) => [r.k, r.v]));
    const slot = Number(meta.get('slot_start'));
    // the slot length the shard was written with, which may differ from today's configuration
    const slotMs = meta.has('slot_ms') ? Number(meta.get('slot_ms')) : null;
    const r = db.prepare('SELECT sum(n) AS rows, min(tmin) AS tmin, max(tmax) AS tmax FROM blocks').get() as {
      rows: number | null;
      tmin: number | null;
      tmax: number | null;
    };
    return { rows: r.rows ?? 0, tmin: r.tmin === null ? null : slot + r.tmin, tmax: r.tmax === null ? null : slot + r.tmax, slotMs };
  } finally {
    db.close();
  }
}

/** Opening a WAL database as a writer replays its committed transactions; then fold the WAL in. */
export function sealShardFile(path: string): void {
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

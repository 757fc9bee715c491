/** Whole-file operations on a shard outside any writer: measure, and seal one a crashed writer left open. */
import Database from 'better-sqlite3';

export function inspectShard(path: string): { rows: number; tmin: number | null; tmax: number | null } {
  const db = new Database(path, { readonly: true });
  try {
    const slot = Number((db.prepare("SELECT v FROM meta WHERE k = 'slot_start'").get() as { v: string }).v);
    const r = db.prepare('SELECT sum(n) AS rows, min(tmin) AS tmin, max(tmax) AS tmax FROM blocks').get() as {
      rows: number | null;
      tmin: number | null;
      tmax: number | null;
    };
    return { rows: r.rows ?? 0, tmin: r.tmin === null ? null : slot + r.tmin, tmax: r.tmax === null ? null : slot + r.tmax };
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

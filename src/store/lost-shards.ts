/**
 * Shards the catalog lists whose file is gone (deleted or moved by hand, a restore that missed it): their
 * lines are no longer searchable, and the operator is told at every open (`nml stats`, the server log)
 * which files and how many lines, until the file is back (it is searched again) or the loss is accepted
 * (`nml stats --forget-lost`, which empties the list). A writer's catalog moves such a row from `shards`
 * to `lost_shards` at open; a reader's only reports it. A file the operator moved to `quarantine/` (the
 * remedy for a damaged shard) was removed on purpose: told once, not kept.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MISSING_SHARD_TODO } from './shard-damage.js';

export interface LostShard {
  rel: string;
  rows: number;
  /** the time it held: its lines' bounds, or its slot's when it recorded none (ms) */
  from: number;
  to: number;
}

export const CREATE_LOST = 'CREATE TABLE IF NOT EXISTS lost_shards(rel TEXT PRIMARY KEY, rows INTEGER, tmin INTEGER, tmax INTEGER, noticed INTEGER)';

/** A catalog row as lost: its file, lines and time span. */
export function lostShard(info: { rel: string; rows: number; tmin: number | null; tmax: number | null; slotStart: number; slotEnd: number }): LostShard {
  return { rel: info.rel, rows: info.rows, from: info.tmin ?? info.slotStart, to: info.tmax ?? info.slotEnd - 1 };
}

function hasTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lost_shards'").get() !== undefined;
}

/** The lost shards recorded by earlier opens (none where the table is not there: an older catalog read-only). */
export function readLost(db: Database.Database): LostShard[] {
  if (!hasTable(db)) return [];
  const rows = db.prepare('SELECT rel, rows, tmin, tmax FROM lost_shards ORDER BY rel').all() as { rel: string; rows: number; tmin: number; tmax: number }[];
  return rows.map((r) => ({ rel: r.rel, rows: r.rows, from: r.tmin, to: r.tmax }));
}

/** Moves catalog rows whose file is gone to `lost_shards`, and forgets lost files that are back (`onDisk`), in one transaction. */
export function recordLost(db: Database.Database, gone: LostShard[], onDisk: ReadonlySet<string>, now: number): void {
  db.exec(CREATE_LOST);
  const add = db.prepare('INSERT OR REPLACE INTO lost_shards(rel, rows, tmin, tmax, noticed) VALUES (?, ?, ?, ?, ?)');
  const drop = db.prepare('DELETE FROM shards WHERE rel = ?');
  const back = db.prepare('DELETE FROM lost_shards WHERE rel = ?');
  db.transaction(() => {
    for (const s of gone) {
      add.run(s.rel, s.rows, s.from, s.to, now);
      drop.run(s.rel);
    }
    for (const { rel } of readLost(db)) if (onDisk.has(rel)) back.run(rel);
  })();
}

/** Whether the operator moved the shard to `quarantine/` (the remedy for a damaged one): gone on purpose. */
export function quarantined(dataDir: string, rel: string): boolean {
  return existsSync(join(dataDir, 'quarantine', rel));
}

const MAX_NAMED = 5;
const iso = (t: number): string => new Date(t).toISOString();

/** The problem that names lost shards: which files, the lines and time they held, what to do. */
export function lostShardsMessage(lost: readonly LostShard[]): string {
  const lines = lost.reduce((n, s) => n + s.rows, 0);
  const named = lost.slice(0, MAX_NAMED).map((s) => `shards/${s.rel} (${s.rows} lines, ${iso(s.from)} to ${iso(s.to)})`);
  const more = lost.length > MAX_NAMED ? ` and ${lost.length - MAX_NAMED} more` : '';
  const what = lost.length === 1 ? 'a shard file the catalog lists is missing' : `${lost.length} shard files the catalog lists are missing`;
  const todo = lost.length === 1 ? MISSING_SHARD_TODO : MISSING_SHARD_TODO.replace('the file', 'the files').replace('that path', 'their paths').replace('search it', 'search them').replace('name it', 'name them');
  return `store: ${what}: ${named.join(', ')}${more}; ${lines} lines are no longer searchable; ${todo}`;
}

/** A listed shard whose file went while nml ran: its name, the lines and time it held, what to do. */
export function missingShardMessage(info: Parameters<typeof lostShard>[0]): string {
  const { from, to } = lostShard(info);
  return (
    `store: shard shards/${info.rel} is missing: its file was deleted or moved while nml ran; its ${info.rows} lines ` +
    `(${iso(from)} to ${iso(to)}) are left out of searches, which say so; ${MISSING_SHARD_TODO}`
  );
}

/** Forgets recorded lost shards (retention's part: they ended before what it keeps), in one transaction. */
export function dropLost(db: Database.Database, old: readonly LostShard[]): void {
  const drop = db.prepare('DELETE FROM lost_shards WHERE rel = ?');
  db.transaction(() => {
    for (const s of old) drop.run(s.rel);
  })();
}

/**
 * `nml stats --forget-lost`: accepts the loss of every shard whose file is gone. Empties `lost_shards`
 * and drops `shards` rows whose file is missing (a server that has not restarted since); a running
 * server's own list of problems keeps naming them until it restarts. Returns what was forgotten.
 */
export function forgetLost(dataDir: string): LostShard[] {
  const db = new Database(join(dataDir, 'catalog.db'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.exec(CREATE_LOST);
    const listed = db.prepare('SELECT rel, rows, tmin, tmax, slot_start AS slotStart, slot_end AS slotEnd FROM shards').all() as Parameters<typeof lostShard>[0][];
    const gone = listed.filter((s) => !existsSync(join(dataDir, 'shards', s.rel))).map(lostShard);
    const forgotten = [...readLost(db).filter((s) => !existsSync(join(dataDir, 'shards', s.rel))), ...gone];
    const drop = db.prepare('DELETE FROM shards WHERE rel = ?');
    db.transaction(() => {
      for (const s of gone) drop.run(s.rel);
      db.exec('DELETE FROM lost_shards');
    })();
    return forgotten;
  } finally {
    db.close();
  }
}

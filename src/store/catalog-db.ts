/**
 * The catalog's file, `catalog.db`: the rows of sealed shards. Opened for a writer (created) or a reader
 * (read-only, creating nothing), read once at open, then written as shards seal, merge and go; what
 * failed to open is named here. It never decides what the catalog lists: that is `catalog.ts`'s.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/index.js';
import { catalogCorrupt } from './catalog-files.js';
import type { ShardInfo } from './catalog-types.js';
import { openForReading, sqliteAccessProblem } from './sqlite-read.js';

const CREATE_SHARDS =
  'CREATE TABLE IF NOT EXISTS shards(rel TEXT PRIMARY KEY, slot_start INTEGER, slot_end INTEGER, lane INTEGER, seq INTEGER, rows INTEGER, tmin INTEGER, tmax INTEGER, bytes INTEGER)';

/**
 * The error for a catalog that could not be opened or read: a reader's access problem on `read` (the
 * file or the shard tree) as STORE_DATA_DIR, a damaged catalog file as its own error, else `e` itself.
 */
export function catalogOpenError(e: unknown, dataDir: string, catalogPath: string, read: string, writable: boolean): unknown {
  const access = writable ? null : sqliteAccessProblem(e, read);
  if (access !== null) return new AppError('STORE_DATA_DIR', 'unavailable', `store: cannot read ${read}: ${access}`, { dataDir, path: read }, e);
  return catalogCorrupt(e, catalogPath) ?? e;
}

/**
 * Opens `<dataDir>/catalog.db`: a writer creates the shard tree and the table; a reader opens it
 * read-only (see openCatalogForReading).
 */
export function openCatalogDb(dataDir: string, shardsDir: string, writable: boolean): Database.Database {
  const path = join(dataDir, 'catalog.db');
  let db: Database.Database | null = null;
  try {
    if (writable) {
      mkdirSync(shardsDir, { recursive: true });
      db = new Database(path);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.exec(CREATE_SHARDS);
    } else {
      db = openCatalogForReading(path);
    }
    return db;
  } catch (e) {
    db?.close();
    throw catalogOpenError(e, dataDir, path, path, writable);
  }
}

/**
 * A reader's catalog: `catalog.db` opened read-only, creating nothing (a read command beside a server,
 * or on a disk mounted read-only); an empty one in memory where there is none yet (or only an empty
 * file), and the shards are measured as a catalog lost would be.
 */
function openCatalogForReading(path: string): Database.Database {
  if (existsSync(path)) {
    const db = openForReading(path);
    db.pragma('busy_timeout = 5000');
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'shards'").get() !== undefined) return db;
    db.close();
  }
  const empty = new Database(':memory:');
  empty.exec(CREATE_SHARDS);
  return empty;
}

/** The `shards` table of an open catalog file: sealed shards' rows read, written and deleted. */
export class ShardRows {
  private readonly upsert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      'INSERT OR REPLACE INTO shards(rel, slot_start, slot_end, lane, seq, rows, tmin, tmax, bytes) VALUES (@rel, @slotStart, @slotEnd, @lane, @seq, @rows, @tmin, @tmax, @bytes)',
    );
  }

  /** Every row, as sealed shards under `shardsDir`. */
  sealed(shardsDir: string): Map<string, ShardInfo> {
    const known = new Map<string, ShardInfo>();
    for (const r of this.db.prepare('SELECT * FROM shards').all() as Record<string, number | string | null>[]) {
      const rel = r.rel as string;
      known.set(rel, {
        rel,
        path: join(shardsDir, rel),
        slotStart: r.slot_start as number,
        slotEnd: r.slot_end as number,
        lane: r.lane as number,
        seq: r.seq as number,
        rows: r.rows as number,
        tmin: r.tmin as number | null,
        tmax: r.tmax as number | null,
        bytes: r.bytes as number,
        sealed: true,
      });
    }
    return known;
  }

  /** Writes one shard's row (a new one, or one measured anew). */
  put(info: ShardInfo): void {
    this.upsert.run(info);
  }

  /** Deletes the rows of `rels`, in one transaction. */
  delete(rels: readonly string[]): void {
    const drop = this.db.prepare('DELETE FROM shards WHERE rel = ?');
    this.db.transaction(() => {
      for (const rel of rels) drop.run(rel);
    })();
  }

  /** A merge's swap: the merged shard's row written and its sources' deleted, in one transaction. */
  replace(merged: ShardInfo, sources: readonly string[]): void {
    this.db.transaction(() => {
      this.upsert.run(merged);
      const drop = this.db.prepare('DELETE FROM shards WHERE rel = ?');
      for (const rel of sources) drop.run(rel);
    })();
  }
}

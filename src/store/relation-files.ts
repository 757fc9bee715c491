/**
 * Where relation databases live: one SQLite file per period (default one hour) and writer lane,
 * `relations/YYYY/MM/DD/HHMMSS-<period seconds>s-w<lane>.db` beside the `shards/` tree (UTC), and their schema.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TimeRange } from '../core/index.js';

export const RELATIONS_DIR = 'relations';
export const RELATION_SCHEMA_VERSION = 1;

export const CREATE_RELATION_SQL = [
  'CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID',
  // one row per (from, kind, to) in the period: first and last event time (ms) and how many lines said it
  'CREATE TABLE IF NOT EXISTS edges(src TEXT NOT NULL, kind TEXT NOT NULL, dst TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (src, kind, dst)) WITHOUT ROWID',
  // reverse direction: who points at an entity (pivot in, scope of impact)
  'CREATE INDEX IF NOT EXISTS edges_by_dst ON edges(dst, kind, src)',
];

const two = (n: number): string => String(n).padStart(2, '0');

export function relationRelPath(periodStart: number, periodMs: number, lane: number): string {
  const d = new Date(periodStart);
  const dir = join(String(d.getUTCFullYear()), two(d.getUTCMonth() + 1), two(d.getUTCDate()));
  return join(dir, `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}-${Math.round(periodMs / 1000)}s-w${lane}.db`);
}

const REL = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})(\d{2})(\d{2})-(\d+)s-w(\d+)\.db$/;

export interface RelationFile {
  rel: string;
  path: string;
  start: number;
  end: number;
  lane: number;
}

export function parseRelationRelPath(rel: string): Omit<RelationFile, 'path'> | null {
  const m = REL.exec(rel.split('\\').join('/'));
  if (m === null) return null;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return { rel, start, end: start + Number(m[7]) * 1000, lane: Number(m[8]) };
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Relation files whose period overlaps `range`, oldest first; day folders outside the range are not read. */
export function listRelationFiles(root: string, range: TimeRange): RelationFile[] {
  const out: RelationFile[] = [];
  const dayMs = 86_400_000;
  for (const y of entries(root)) {
    for (const mo of entries(join(root, y))) {
      for (const d of entries(join(root, y, mo))) {
        const day = Date.UTC(Number(y), Number(mo) - 1, Number(d));
        // a period may start the day before and reach into the range (periods up to a day long)
        if (range.to !== null && day >= range.to) continue;
        if (range.from !== null && day + 2 * dayMs <= range.from) continue;
        for (const f of entries(join(root, y, mo, d))) {
          const info = parseRelationRelPath(`${y}/${mo}/${d}/${f}`);
          if (info === null) continue;
          if (range.to !== null && info.start >= range.to) continue;
          if (range.from !== null && info.end <= range.from) continue;
          out.push({ ...info, path: join(root, info.rel) });
        }
      }
    }
  }
  return out.sort((a, b) => a.start - b.start || a.lane - b.lane);
}

/** What a retention pass removed, and what it could not (each failure with its path and reason). */
export interface Removal {
  removed: number;
  bytes: number;
  failures: string[];
}

/**
 * Deletes a file and its companions; returns its bytes, or throws when the file itself cannot go (the
 * database goes first: a companion left without it is harmless, the reverse would corrupt it).
 */
export function removeWithCompanions(path: string, companions: readonly string[] = ['-wal', '-shm', '-journal']): number {
  let bytes = 0;
  for (const suffix of ['', ...companions]) {
    let size: number;
    try {
      size = statSync(path + suffix).size;
    } catch {
      continue;
    }
    try {
      rmSync(path + suffix, { force: true });
    } catch (e) {
      if (suffix === '') throw e;
      continue;
    }
    bytes += size;
  }
  return bytes;
}

/** Deletes relation files whose period ended at or before `cutoff` (retention); one that cannot go is kept and named. */
export function removeRelationFilesBefore(root: string, cutoff: number): Removal {
  const out: Removal = { removed: 0, bytes: 0, failures: [] };
  for (const f of listRelationFiles(root, { from: null, to: cutoff })) {
    if (f.end > cutoff) continue;
    try {
      out.bytes += removeWithCompanions(f.path);
      out.removed++;
    } catch (e) {
      out.failures.push(`${f.path} (${(e as Error).message})`);
    }
  }
  return out;
}

/**
 * At store open (no writer runs: the store holds the lock), folds in what a killed writer left beside
 * period files, as the catalog does for shards: a WAL is replayed and checkpointed, a hot journal rolled
 * back, and the file switched to `journal_mode=DELETE`. Until then the file counts as open for writing
 * and its day's roll-ups are never built. Empty files (a create that failed on a full disk) are removed.
 * Returns what could not be repaired, for the caller's problems.
 */
export function recoverRelationFiles(root: string): { recovered: number; removed: number; failures: string[] } {
  const out = { recovered: 0, removed: 0, failures: [] as string[] };
  for (const f of listRelationFiles(root, { from: null, to: null })) {
    try {
      if (statSync(f.path).size === 0) {
        removeWithCompanions(f.path);
        out.removed++;
        continue;
      }
      if (!existsSync(f.path + '-wal') && !existsSync(f.path + '-journal')) continue;
      const db = new Database(f.path, { fileMustExist: true });
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.pragma('journal_mode = DELETE');
      } finally {
        db.close();
      }
      out.recovered++;
    } catch (e) {
      out.failures.push(`${f.path} (${(e as Error).message})`);
    }
  }
  return out;
}

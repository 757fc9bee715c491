/**
 * Day roll-ups of the relation index: the period files of a day (every lane, every period) whose
 * periods are over and that are closed are merged into one `day-rollup-<built ms>.db` in the day's
 * folder, a prefix of the day that grows as its hours close. A question whose range covers that prefix
 * reads one roll-up instead of up to 2 × 24 period files (and the period files after it); a question
 * about part of it still reads the period files (hour precision). The period files stay: they are the
 * truth, and the roll-up records the size and modification time of each file it merged. A roll-up whose
 * files changed since (a late line reopened a period, retention removed one) is not used and is built
 * again. See docs/architecture.md, Investigation.
 */
import Database from 'better-sqlite3';
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CREATE_RELATION_SQL, RELATION_SCHEMA_VERSION } from './relation-files.js';

export const DAY_MS = 86_400_000;
const ROLLUP = /^day-rollup-(\d+)\.db$/;
const PERIOD_FILE = /^(\d{2})(\d{2})(\d{2})-(\d+)s-w\d+\.db$/;

/** What a roll-up knew of one period file when it merged it. */
export interface FileStamp {
  name: string;
  size: number;
  mtimeMs: number;
}

/** A period file of a day folder: its stamp, its period as offsets into the day, and whether it is open. */
export interface DayFile extends FileStamp {
  from: number;
  to: number;
  /** open for writing: a WAL or journal beside it */
  busy: boolean;
}

export interface DayFiles {
  /** the period files of the day, by name */
  files: DayFile[];
  /** roll-up files present, newest first */
  rollups: string[];
}

/** A roll-up that may answer now: it stands for every period file of the day's first `coverMs`. */
export interface ValidRollup {
  path: string;
  coverMs: number;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The period of a file name as offsets into its day, or null for another name. */
function periodOf(name: string): { from: number; to: number } | null {
  const m = PERIOD_FILE.exec(name);
  if (m === null) return null;
  const from = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
  return { from, to: from + Number(m[4]) * 1000 };
}

/** The period files of a day folder with their stamps and whether each is open, and its roll-ups. */
export function dayFiles(dayDir: string): DayFiles {
  const names = entries(dayDir);
  const present = new Set(names);
  const files: DayFile[] = [];
  for (const name of names) {
    const p = periodOf(name);
    if (p === null) continue;
    try {
      const s = statSync(join(dayDir, name));
      files.push({ name, size: s.size, mtimeMs: Math.round(s.mtimeMs), ...p, busy: present.has(name + '-wal') || present.has(name + '-journal') });
    } catch {
      // removed meanwhile (retention): not part of the day any more
    }
  }
  files.sort((a, b) => a.from - b.from || (a.name < b.name ? -1 : 1));
  const rollups = names.filter((n) => ROLLUP.test(n)).sort((a, b) => Number(ROLLUP.exec(b)![1]) - Number(ROLLUP.exec(a)![1]));
  return { files, rollups };
}

/** The stamps a roll-up recorded, or null when it cannot be read. */
export function rollupStamps(path: string): FileStamp[] | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return db.prepare('SELECT name, size, mtime_ms AS mtimeMs FROM sources ORDER BY name').all() as FileStamp[];
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/**
 * The newest roll-up of a day folder if it may answer now: every file it merged is there, closed and
 * unchanged, and no other period file starts inside what it covers. `known` caches stamps by roll-up
 * path (a roll-up never changes once written).
 */
export function validRollup(dayDir: string, known: Map<string, FileStamp[] | null> = new Map(), day: DayFiles = dayFiles(dayDir)): ValidRollup | null {
  if (day.rollups.length === 0) return null;
  const path = join(dayDir, day.rollups[0]!);
  let stamps = known.get(path);
  if (stamps === undefined) known.set(path, (stamps = rollupStamps(path)));
  if (stamps === null || stamps.length === 0) return null;
  const merged = new Map(stamps.map((x) => [x.name, x]));
  const coverMs = Math.max(...stamps.map((x) => periodOf(x.name)?.to ?? 0));
  let seen = 0;
  for (const f of day.files) {
    const m = merged.get(f.name);
    if (m === undefined) {
      if (f.from < coverMs) return null;
      continue;
    }
    if (f.busy || f.size !== m.size || f.mtimeMs !== m.mtimeMs) return null;
    seen++;
  }
  return seen === merged.size ? { path, coverMs } : null;
}

/**
 * The files a roll-up built now would merge: the longest run from the start of the day of files whose
 * period ended and that are closed and unwritten for `settleMs` (a file that is not stops the run).
 */
export function settledPrefix(day: DayFiles, dayStart: number, now: number, settleMs: number): DayFile[] {
  let stop = DAY_MS;
  for (const f of day.files) {
    const settled = !f.busy && dayStart + f.to + settleMs <= now && f.mtimeMs + settleMs <= now;
    if (!settled) stop = Math.min(stop, f.from);
  }
  return day.files.filter((f) => f.to <= stop);
}

export interface RollupResult {
  /** the roll-up written, or null when nothing was settled or the day changed while merging */
  path: string | null;
  files: number;
  rows: number;
  /** what it covers: [day start, day start + coverMs) */
  coverMs: number;
  ms: number;
  reason?: string;
}

export interface RollupOptions {
  /** the UTC start of the folder's day */
  dayStart: number;
  now?: number;
  /** a period file is merged once its period ended and it was not written for this long */
  settleMs?: number;
}

/**
 * Merges the settled period files at the start of a day folder into a new roll-up (a temporary file
 * renamed into place, so a reader sees a whole roll-up or none), then removes older roll-ups of the
 * day. Safe beside writers: it reads the period files read-only and keeps the result only if none of
 * them changed meanwhile.
 */
export function buildDayRollup(dayDir: string, o: RollupOptions): RollupResult {
  const t0 = performance.now();
  const now = o.now ?? Date.now();
  const done = (r: Omit<RollupResult, 'ms'>): RollupResult => ({ ...r, ms: Math.round(performance.now() - t0) });
  const merge = settledPrefix(dayFiles(dayDir), o.dayStart, now, o.settleMs ?? 0);
  if (merge.length === 0) return done({ path: null, files: 0, rows: 0, coverMs: 0, reason: 'no settled period files (open for writing, or written too recently)' });
  const coverMs = Math.max(...merge.map((f) => f.to));
  const name = `day-rollup-${Date.now()}.db`;
  const tmp = join(dayDir, name + '.tmp');
  // what an interrupted build left (one builder per data directory: the store holds its lock)
  for (const n of entries(dayDir)) if (n.startsWith('day-rollup-') && n.endsWith('.tmp')) rmSync(join(dayDir, n), { force: true });
  const db = new Database(tmp);
  let rows = 0;
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('temp_store = MEMORY');
    // the reverse index is built once at the end, faster than maintained row by row
    for (const sql of CREATE_RELATION_SQL.filter((x) => !x.includes('INDEX'))) db.exec(sql);
    db.exec('CREATE TABLE sources(name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL) WITHOUT ROWID');
    // prepared per file: the statement reads the attached schema
    const MERGE_SQL =
      'INSERT INTO edges(src, kind, dst, first, last, n) SELECT src, kind, dst, first, last, n FROM p.edges WHERE true ' +
      'ON CONFLICT(src, kind, dst) DO UPDATE SET first = min(first, excluded.first), last = max(last, excluded.last), n = n + excluded.n';
    for (const f of merge) {
      db.prepare('ATTACH DATABASE ? AS p').run(join(dayDir, f.name));
      try {
        db.transaction(() => db.prepare(MERGE_SQL).run())();
      } finally {
        db.exec('DETACH DATABASE p');
      }
    }
    db.exec(CREATE_RELATION_SQL.find((x) => x.includes('INDEX'))!);
    const put = db.prepare('INSERT INTO meta(k, v) VALUES (?, ?)');
    db.transaction(() => {
      put.run('schema_version', String(RELATION_SCHEMA_VERSION));
      put.run('rollup_built', String(now));
      put.run('day_start', String(o.dayStart));
      put.run('cover_ms', String(coverMs));
      const src = db.prepare('INSERT INTO sources(name, size, mtime_ms) VALUES (?, ?, ?)');
      for (const f of merge) src.run(f.name, f.size, f.mtimeMs);
    })();
    rows = (db.prepare('SELECT count(*) FROM edges').pluck().get() as number) ?? 0;
  } catch (e) {
    db.close();
    rmSync(tmp, { force: true });
    throw e;
  }
  db.close();
  const after = dayFiles(dayDir);
  const now2 = new Map(after.files.map((f) => [f.name, f]));
  const changed = merge.some((f) => {
    const g = now2.get(f.name);
    return g === undefined || g.busy || g.size !== f.size || g.mtimeMs !== f.mtimeMs;
  });
  if (changed) {
    rmSync(tmp, { force: true });
    return done({ path: null, files: merge.length, rows, coverMs, reason: 'the day changed while merging' });
  }
  const path = join(dayDir, name);
  renameSync(tmp, path);
  for (const old of after.rollups) if (old !== name) rmSync(join(dayDir, old), { force: true });
  return done({ path, files: merge.length, rows, coverMs });
}

/** Every day folder (`YYYY/MM/DD` under the relations root) with the start of its day, oldest first. */
export function dayDirs(root: string): { dir: string; start: number }[] {
  const out: { dir: string; start: number }[] = [];
  for (const y of entries(root)) {
    for (const mo of entries(join(root, y))) {
      for (const d of entries(join(root, y, mo))) {
        const start = Date.UTC(Number(y), Number(mo) - 1, Number(d));
        if (Number.isFinite(start)) out.push({ dir: join(root, y, mo, d), start });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Days whose roll-up should be built (again): settled period files at the start of the day that no
 * valid roll-up covers yet (a new closed hour, a late line, a day never rolled up). Oldest first.
 */
export function daysToRollUp(root: string, now: number, settleMs: number, known?: Map<string, FileStamp[] | null>): { dir: string; start: number }[] {
  return dayDirs(root).filter(({ dir, start }) => {
    const day = dayFiles(dir);
    const prefix = settledPrefix(day, start, now, settleMs);
    if (prefix.length === 0) return false;
    const current = validRollup(dir, known, day);
    return current === null || Math.max(...prefix.map((f) => f.to)) > current.coverMs;
  });
}

/** Removes the roll-ups of days that start before `cutoff` (retention removed part of them). */
export function removeRollupsBefore(root: string, cutoff: number): { removed: number; bytes: number } {
  let removed = 0;
  let bytes = 0;
  for (const { dir, start } of dayDirs(root)) {
    if (start >= cutoff) continue;
    for (const name of dayFiles(dir).rollups) {
      try {
        bytes += statSync(join(dir, name)).size;
      } catch {
        continue;
      }
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return { removed, bytes };
}

/**
 * Roll-ups of the relation index: period files (every lane, every period) whose periods are over and
 * that are closed, merged into one database in the day's folder. Two kinds: the day's *prefix*
 * (`day-rollup-<built ms>.db`: from midnight to the first file still open, growing as hours close) and
 * aligned *blocks* (`block-rollup-<HH>-<hours>h-<built ms>.db`, e.g. 4-hour blocks, built once all their
 * hours are settled). A question reads, per day, the largest roll-ups that lie inside its range and the
 * period files outside them: a whole day is one file, "the last 24 hours" a few blocks and hours instead
 * of up to 2 × 24 files; hour precision is kept. The period files stay: they are the truth, and a
 * roll-up records the size and modification time of each file it merged. One whose files changed since
 * (a late line reopened a period, retention removed one) is not used and is built again. See
 * docs/architecture.md, Investigation.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncPath } from './fsync-path.js';
import { CREATE_RELATION_SQL, RELATION_SCHEMA_VERSION, removeWithCompanions, type Removal } from './relation-files.js';

export const DAY_MS = 86_400_000;
const ROLLUP = /^(?:day-rollup|block-rollup-(\d{2})-(\d+)h)-(\d+)\.db$/;
const HOUR_MS = 3_600_000;
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

/** What a roll-up stands for: the day's prefix (its extent read from what it merged) or an aligned block [fromMs, toMs). */
export type RollupSpan = { kind: 'prefix' } | { kind: 'block'; fromMs: number; toMs: number };

/** A roll-up file of a day folder. */
export interface RollupFile {
  name: string;
  span: RollupSpan;
  built: number;
}

export interface DayFiles {
  /** the period files of the day, by name */
  files: DayFile[];
  /** roll-up files present, newest first */
  rollups: RollupFile[];
}

/** A roll-up that may answer now: it stands for every period file that starts in [fromMs, toMs) of its day. */
export interface ValidRollup {
  path: string;
  fromMs: number;
  toMs: number;
}

function rollupOf(name: string): RollupFile | null {
  const m = ROLLUP.exec(name);
  if (m === null) return null;
  const span: RollupSpan = m[1] === undefined ? { kind: 'prefix' } : { kind: 'block', fromMs: Number(m[1]) * HOUR_MS, toMs: (Number(m[1]) + Number(m[2])) * HOUR_MS };
  return { name, span, built: Number(m[3]) };
}

const spanKey = (s: RollupSpan): string => (s.kind === 'prefix' ? 'prefix' : `${s.fromMs}-${s.toMs}`);
const two = (n: number): string => String(n).padStart(2, '0');

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

/**
 * A WAL emptied by a checkpoint and unwritten this long belongs to no writer: one whose switch back to
 * `journal_mode=DELETE` failed while a reader held the file keeps it, and it counted as open for good.
 */
export const QUIET_WAL_MS = 60_000;

/** Open for writing: a journal, or a WAL that holds frames or was written within QUIET_WAL_MS. */
function busy(path: string, present: ReadonlySet<string>, name: string, now: number): boolean {
  if (present.has(name + '-journal')) return true;
  if (!present.has(name + '-wal')) return false;
  const wal = statSync(path + '-wal', { throwIfNoEntry: false });
  return wal !== undefined && (wal.size > 0 || now - wal.mtimeMs < QUIET_WAL_MS);
}

/** The period files of a day folder with their stamps and whether each is open, and its roll-ups. */
export function dayFiles(dayDir: string): DayFiles {
  const names = entries(dayDir);
  const present = new Set(names);
  const files: DayFile[] = [];
  const now = Date.now();
  for (const name of names) {
    const p = periodOf(name);
    if (p === null) continue;
    try {
      const path = join(dayDir, name);
      const s = statSync(path);
      // an empty file (its writer failed to create it: disk full) holds no edge, and merging it fails
      if (s.size === 0) continue;
      files.push({ name, size: s.size, mtimeMs: Math.round(s.mtimeMs), ...p, busy: busy(path, present, name, now) });
    } catch {
      // removed meanwhile (retention): not part of the day any more
    }
  }
  files.sort((a, b) => a.from - b.from || (a.name < b.name ? -1 : 1));
  const rollups = names
    .map(rollupOf)
    .filter((r): r is RollupFile => r !== null)
    .sort((a, b) => b.built - a.built);
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
 * The roll-ups of a day folder that may answer now: per span the newest, if every file it merged is
 * there, closed and unchanged, and no other period file starts inside what it stands for. `known`
 * caches stamps by roll-up path (a roll-up never changes once written).
 */
export function validRollups(dayDir: string, known: Map<string, FileStamp[] | null> = new Map(), day: DayFiles = dayFiles(dayDir)): ValidRollup[] {
  const out: ValidRollup[] = [];
  const seen = new Set<string>();
  for (const r of day.rollups) {
    // newest first: older ones of a span are leftovers about to be removed
    if (seen.has(spanKey(r.span))) continue;
    seen.add(spanKey(r.span));
    const path = join(dayDir, r.name);
    let stamps = known.get(path);
    if (stamps === undefined) known.set(path, (stamps = rollupStamps(path)));
    if (stamps === null || stamps.length === 0) continue;
    const fromMs = r.span.kind === 'block' ? r.span.fromMs : 0;
    const toMs = r.span.kind === 'block' ? r.span.toMs : Math.max(...stamps.map((x) => periodOf(x.name)?.to ?? 0));
    if (matches(stamps, day, (f) => f.from >= fromMs && f.from < toMs)) out.push({ path, fromMs, toMs });
  }
  return out;
}

/** The day's prefix roll-up if it may answer now (see validRollups). */
export function validRollup(dayDir: string, known?: Map<string, FileStamp[] | null>, day?: DayFiles): ValidRollup | null {
  const d = day ?? dayFiles(dayDir);
  const prefix = d.rollups.find((r) => r.span.kind === 'prefix');
  if (prefix === undefined) return null;
  return validRollups(dayDir, known, { ...d, rollups: [prefix] })[0] ?? null;
}

/** Every merged file present, closed and unchanged, and every file `inside` the span merged. */
function matches(stamps: readonly FileStamp[], day: DayFiles, inside: (f: DayFile) => boolean): boolean {
  const merged = new Map(stamps.map((x) => [x.name, x]));
  let seen = 0;
  for (const f of day.files) {
    const m = merged.get(f.name);
    if (m === undefined) {
      if (inside(f)) return false;
      continue;
    }
    if (f.busy || f.size !== m.size || f.mtimeMs !== m.mtimeMs) return false;
    seen++;
  }
  return seen === merged.size;
}

const settled = (f: DayFile, dayStart: number, now: number, settleMs: number): boolean => !f.busy && dayStart + f.to + settleMs <= now && f.mtimeMs + settleMs <= now;

/** The files of an aligned block, if all of them and the block itself are settled (else null). */
export function settledBlock(day: DayFiles, dayStart: number, fromMs: number, toMs: number, now: number, settleMs: number): DayFile[] | null {
  if (dayStart + toMs + settleMs > now) return null;
  const inside = day.files.filter((f) => f.from >= fromMs && f.from < toMs);
  // a period longer than the block (day-long periods) cannot be split into it
  if (inside.length === 0 || inside.some((f) => f.to > toMs || !settled(f, dayStart, now, settleMs))) return null;
  return inside;
}

/**
 * The files a roll-up built now would merge: the longest run from the start of the day of files whose
 * period ended and that are closed and unwritten for `settleMs` (a file that is not stops the run).
 */
export function settledPrefix(day: DayFiles, dayStart: number, now: number, settleMs: number): DayFile[] {
  let stop = DAY_MS;
  for (const f of day.files) if (!settled(f, dayStart, now, settleMs)) stop = Math.min(stop, f.from);
  return day.files.filter((f) => f.to <= stop);
}

export interface RollupResult {
  /** the roll-up written, or null when nothing was settled or the day changed while merging */
  path: string | null;
  /** period files it stands for */
  files: number;
  /** of those, merged by this build (fewer than `files` when a prefix grew from the previous one) */
  added?: number;
  rows: number;
  /** what it stands for: [day start + fromMs, day start + toMs) */
  fromMs: number;
  toMs: number;
  ms: number;
  reason?: string;
}

export interface RollupOptions {
  /** the UTC start of the folder's day */
  dayStart: number;
  now?: number;
  /** a period file is merged once its period ended and it was not written for this long */
  settleMs?: number;
  /** an aligned block of the day instead of its prefix */
  block?: { fromMs: number; toMs: number };
}

/**
 * The roll-up being built, opened without the right to create files, which ATTACH inherits: a period
 * file retention removed after the listing then fails to attach instead of coming back as a new empty
 * file (better-sqlite3 is built without URI filenames, so `?mode=ro` is not available). It starts as a
 * copy of `base` (a prefix that grows) or as an empty file (an empty database to SQLite).
 */
export function openRollupDb(tmp: string, base: string | null): Database.Database {
  if (base !== null) copyFileSync(base, tmp);
  else writeFileSync(tmp, '');
  return new Database(tmp, { fileMustExist: true });
}

const MERGE_SQL =
  'INSERT INTO edges(src, kind, dst, first, last, n) SELECT src, kind, dst, first, last, n FROM p.edges WHERE true ' +
  'ON CONFLICT(src, kind, dst) DO UPDATE SET first = min(first, excluded.first), last = max(last, excluded.last), n = n + excluded.n';

/**
 * Adds the edges of the period files `names` of `dayDir` to the roll-up `db` (opened by openRollupDb);
 * one that is gone (retention) is skipped. Returns how many were merged.
 */
export function mergePeriodFiles(db: Database.Database, dayDir: string, names: readonly string[]): number {
  let merged = 0;
  for (const name of names) {
    const path = join(dayDir, name);
    try {
      db.prepare('ATTACH DATABASE ? AS p').run(path);
    } catch (e) {
      if (existsSync(path)) throw e;
      continue;
    }
    try {
      // prepared per file: the statement reads the attached schema
      db.transaction(() => db.prepare(MERGE_SQL).run())();
    } finally {
      db.exec('DETACH DATABASE p');
    }
    merged++;
  }
  return merged;
}

/**
 * Merges the settled period files at the start of a day folder (or of one aligned block of it) into a
 * new roll-up (a temporary file renamed into place, so a reader sees a whole roll-up or none), then
 * removes older roll-ups of the same span. Safe beside writers: it reads the period files read-only and
 * keeps the result only if none of them changed meanwhile.
 */
export function buildDayRollup(dayDir: string, o: RollupOptions): RollupResult {
  const t0 = performance.now();
  const now = o.now ?? Date.now();
  const block = o.block;
  const done = (r: Omit<RollupResult, 'ms' | 'fromMs'>): RollupResult => ({ ...r, fromMs: block?.fromMs ?? 0, ms: Math.round(performance.now() - t0) });
  const day = dayFiles(dayDir);
  const merge = block === undefined ? settledPrefix(day, o.dayStart, now, o.settleMs ?? 0) : (settledBlock(day, o.dayStart, block.fromMs, block.toMs, now, o.settleMs ?? 0) ?? []);
  if (merge.length === 0) return done({ path: null, files: 0, rows: 0, toMs: 0, reason: 'no settled period files (open for writing, or written too recently)' });
  const toMs = block?.toMs ?? Math.max(...merge.map((f) => f.to));
  const span: RollupSpan = block === undefined ? { kind: 'prefix' } : { kind: 'block', ...block };
  const name = block === undefined ? `day-rollup-${Date.now()}.db` : `block-rollup-${two(block.fromMs / HOUR_MS)}-${(block.toMs - block.fromMs) / HOUR_MS}h-${Date.now()}.db`;
  // Not core's writeWholeFile: SQLite builds this file itself, under a name of its own that the sweep below
  // finds again (one builder per data directory), and a roll-up is rebuilt from the period files if lost.
  const tmp = join(dayDir, name + '.tmp');
  // what an interrupted build left (one builder per data directory: the store holds its lock)
  for (const n of entries(dayDir)) if (/^(day|block)-rollup-.*\.tmp$/.test(n)) rmSync(join(dayDir, n), { force: true });
  // a prefix grows: start from the valid one and merge only the hours it lacks
  const base = block === undefined ? validRollup(dayDir, new Map(), day) : null;
  const had = base === null ? null : new Set((rollupStamps(base.path) ?? []).map((x) => x.name));
  const incremental = had !== null && had.size > 0 && [...had].every((n) => merge.some((f) => f.name === n));
  const todo = incremental ? merge.filter((f) => !had.has(f.name)) : merge;
  const db = openRollupDb(tmp, incremental ? base!.path : null);
  let rows = 0;
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('temp_store = MEMORY');
    if (!incremental) {
      // the reverse index is built once at the end, faster than maintained row by row
      for (const sql of CREATE_RELATION_SQL.filter((x) => !x.includes('INDEX'))) db.exec(sql);
      db.exec('CREATE TABLE sources(name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL) WITHOUT ROWID');
    }
    // a file removed meanwhile is skipped here, and the check below discards the build
    mergePeriodFiles(db, dayDir, todo.map((f) => f.name));
    db.exec(CREATE_RELATION_SQL.find((x) => x.includes('INDEX'))!);
    const put = db.prepare('INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)');
    db.transaction(() => {
      put.run('schema_version', String(RELATION_SCHEMA_VERSION));
      put.run('rollup_built', String(now));
      put.run('day_start', String(o.dayStart));
      put.run('span', JSON.stringify(span));
      put.run('to_ms', String(toMs));
      const src = db.prepare('INSERT INTO sources(name, size, mtime_ms) VALUES (?, ?, ?)');
      for (const f of todo) src.run(f.name, f.size, f.mtimeMs);
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
    return done({ path: null, files: merge.length, rows, toMs, reason: 'the day changed while merging' });
  }
  const path = join(dayDir, name);
  // built with synchronous=OFF: synced before its rename, and the rename before the older roll-ups go, so a
  // power cut leaves a whole roll-up or the ones before it, never a torn file under a roll-up's name
  fsyncPath(tmp);
  renameSync(tmp, path);
  fsyncPath(dayDir);
  for (const old of after.rollups) if (old.name !== name && spanKey(old.span) === spanKey(span)) rmSync(join(dayDir, old.name), { force: true });
  return done({ path, files: merge.length, added: todo.length, rows, toMs });
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

export interface RollupJob {
  dir: string;
  /** the UTC start of the folder's day */
  start: number;
  /** an aligned block; none: the day's prefix */
  block?: { fromMs: number; toMs: number };
}

/**
 * Roll-ups to build (or build again), oldest day first: a day's prefix when settled files at its start
 * reach past what its valid prefix roll-up covers; an aligned block of `blockHours` when all its files
 * are settled and it has no valid roll-up.
 */
export function rollupJobs(root: string, now: number, settleMs: number, blockHours: readonly number[] = [], known?: Map<string, FileStamp[] | null>): RollupJob[] {
  const jobs: RollupJob[] = [];
  for (const { dir, start } of dayDirs(root)) {
    const day = dayFiles(dir);
    if (day.files.length === 0) continue;
    const valid = validRollups(dir, known, day);
    const prefix = settledPrefix(day, start, now, settleMs);
    const current = validRollup(dir, known, day);
    if (prefix.length > 0 && (current === null || Math.max(...prefix.map((f) => f.to)) > current.toMs)) jobs.push({ dir, start });
    for (const hours of blockHours) {
      for (let fromMs = 0; fromMs < DAY_MS; fromMs += hours * HOUR_MS) {
        const toMs = fromMs + hours * HOUR_MS;
        if (settledBlock(day, start, fromMs, toMs, now, settleMs) === null) continue;
        const has = day.rollups.some((r) => r.span.kind === 'block' && r.span.fromMs === fromMs && r.span.toMs === toMs && valid.some((v) => v.path === join(dir, r.name)));
        if (!has) jobs.push({ dir, start, block: { fromMs, toMs } });
      }
    }
  }
  return jobs;
}

/** Days whose prefix roll-up should be built (again): see rollupJobs. */
export function daysToRollUp(root: string, now: number, settleMs: number, known?: Map<string, FileStamp[] | null>): { dir: string; start: number }[] {
  return rollupJobs(root, now, settleMs, [], known).map(({ dir, start }) => ({ dir, start }));
}

/** Removes the roll-ups of days that start before `cutoff` (retention removed part of them); one that cannot go is kept and named. */
export function removeRollupsBefore(root: string, cutoff: number): Removal {
  const out: Removal = { removed: 0, bytes: 0, failures: [] };
  for (const { dir, start } of dayDirs(root)) {
    if (start >= cutoff) continue;
    for (const { name } of dayFiles(dir).rollups) {
      try {
        out.bytes += removeWithCompanions(join(dir, name), []);
        out.removed++;
      } catch (e) {
        out.failures.push(`${join(dir, name)} (${(e as Error).message})`);
      }
    }
  }
  return out;
}

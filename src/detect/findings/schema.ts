/**
 * The findings table on disk (`<data>/findings.db`): its schema, the columns added since the first
 * stores were written, opening one for writing (made and brought up to date) or checking one opened for
 * reading, and a row as a Finding. The queries on it are store.ts's.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { AppError, describeCause } from '../../core/index.js';
import type { Finding, FindingStatus } from '../detector.js';
import { synBoardPath } from './syn-where.js';
import { upgradedUrlEvidence } from './url-evidence.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY,
  detector TEXT NOT NULL,
  entity TEXT NOT NULL,
  score REAL NOT NULL,
  threshold REAL NOT NULL,
  model_version TEXT NOT NULL,
  time INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  count INTEGER NOT NULL,
  explanation TEXT NOT NULL,
  evidence TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  status_note TEXT NOT NULL DEFAULT '',
  status_by TEXT,
  status_at INTEGER,
  reopened_at INTEGER,
  sighted_at INTEGER NOT NULL DEFAULT 0,
  assignee TEXT,
  assigned_at INTEGER,
  UNIQUE (detector, entity)
);
CREATE TABLE IF NOT EXISTS triage_log (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by TEXT,
  status TEXT NOT NULL,
  note TEXT NOT NULL,
  cause TEXT NOT NULL,
  assignee TEXT
);
CREATE TABLE IF NOT EXISTS notify_marks (
  idx INTEGER PRIMARY KEY,
  url_hash TEXT NOT NULL,
  finding INTEGER NOT NULL,
  reopen INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS id_floors (
  tbl TEXT PRIMARY KEY,
  id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS triage_log_finding ON triage_log (finding_id, id);
CREATE INDEX IF NOT EXISTS findings_last_seen ON findings (last_seen DESC, id DESC);
CREATE INDEX IF NOT EXISTS findings_score ON findings (score DESC, id DESC);
CREATE INDEX IF NOT EXISTS findings_entity ON findings (entity);
`;

/**
 * The `triaged` sort's key: when a person last set a finding's status, -1 while nobody has. The list's
 * ORDER BY and cursor use this very expression, so that SQLite reads them off `findings_triaged`.
 */
export const TRIAGED_KEY = 'coalesce(status_at, -1)';

/**
 * Indexes on later columns: made once the columns are there (an older store gets them when it is
 * brought up to date; one opened for reading only lists without them, only slower).
 */
const LATER_INDEXES = `CREATE INDEX IF NOT EXISTS findings_triaged ON findings (${TRIAGED_KEY} DESC, id DESC);
CREATE INDEX IF NOT EXISTS findings_sighted ON findings (sighted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS findings_assignee ON findings (assignee) WHERE assignee IS NOT NULL;`;

/** A row of the findings table as SQLite gives it. */
export interface Row {
  id: number;
  detector: string;
  entity: string;
  score: number;
  threshold: number;
  model_version: string;
  time: number;
  first_seen: number;
  last_seen: number;
  count: number;
  explanation: string;
  evidence: string;
  status: FindingStatus;
  status_note: string;
  status_by: string | null;
  status_at: number | null;
  reopened_at: number | null;
  sighted_at: number;
  assignee: string | null;
  assigned_at: number | null;
}

/**
 * Columns added since the first stores were written, added to such a store when it is opened: the
 * triage, `sighted_at`, the store's clock at a finding's latest sighting (its `last_seen` is the
 * line's or packet's own time, which a replayed log or capture puts in the past), and who a finding is
 * assigned to since when (`assignee`, a user name; null: nobody). In the triage log, `assignee` is the
 * one an `assignment` entry set.
 */
const LATER_COLUMNS: [table: string, name: string, type: string][] = [
  ['findings', 'status', "TEXT NOT NULL DEFAULT 'open'"],
  ['findings', 'status_note', "TEXT NOT NULL DEFAULT ''"],
  ['findings', 'status_by', 'TEXT'],
  ['findings', 'status_at', 'INTEGER'],
  ['findings', 'reopened_at', 'INTEGER'],
  ['findings', 'sighted_at', 'INTEGER NOT NULL DEFAULT 0'],
  ['findings', 'assignee', 'TEXT'],
  ['findings', 'assigned_at', 'INTEGER'],
  ['triage_log', 'assignee', 'TEXT'],
];

/** The columns `table` has (none when there is no such table). */
const columnsOf = (db: Database.Database, table: string): Set<string> => new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));

/** The later columns `db` lacks, as `table.column` (`findings.assignee`), or as the column alone for the findings table. */
function missingColumns(db: Database.Database): string[] {
  const have = new Map(['findings', 'triage_log'].map((t) => [t, columnsOf(db, t)]));
  return LATER_COLUMNS.filter(([table, name]) => have.get(table)!.size > 0 && !have.get(table)!.has(name)).map(([table, name]) => (table === 'findings' ? name : `${table}.${name}`));
}

/** A findings store at `path` (a file, or `:memory:`), made if missing, WAL, with every later column added; on a failure the handle is closed and FINDINGS_OPEN_FAILED thrown. */
export function openWritable(path: string): Database.Database {
  let db: Database.Database | null = null;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    const have = new Map(['findings', 'triage_log'].map((t) => [t, columnsOf(db!, t)]));
    for (const [table, name, type] of LATER_COLUMNS) if (!have.get(table)!.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
    db.exec(LATER_INDEXES);
    return db;
  } catch (e) {
    // the handle is open when a later step failed (a file that is not a store, a read-only disk): close it, or it leaks
    db?.close();
    throw new AppError('FINDINGS_OPEN_FAILED', 'unavailable', `cannot open the findings store ${path}: ${findingsOpenWhy(e, path)}`, undefined, e);
  }
}

/**
 * Why findings.db at `path` would not open, and what to do: SQLite says only "unable to open database
 * file" for a folder in its place, and a damaged file is the one case where moving it aside is the cure.
 */
export function findingsOpenWhy(e: unknown, path: string): string {
  if (isFolder(path)) return "it is a folder, not the findings database; move it aside ('nml serve' then starts an empty findings.db) or give the server's --data";
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return `${describeCause(e)}: the file is damaged or not a database; restore it from a backup, or move it aside ('nml serve' then starts an empty one, and the findings in it are lost)`;
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return `${describeCause(e)}; free space on its disk`;
  return `${describeCause(e)}; check the data directory (--data), that nml's user may read and write it, and that its disk is mounted read-write`;
}

/**
 * `db`, opened for reading only at `path`, taken as it is: closed and refused when it has no table (a
 * store never finished: FINDINGS_NOT_FOUND) or lacks a later column or the triage log (an older nml's:
 * FINDINGS_OPEN_FAILED), since a reader may not bring it up to date.
 */
export function checkedReadOnly(db: Database.Database, path: string): Database.Database {
  const missing = columnsOf(db, 'findings').size === 0 ? ['findings'] : missingColumns(db);
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'triage_log'").get() === undefined) missing.push('triage_log');
  if (db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get() === undefined) {
    // 0 bytes, or a header and no table: a store never finished, not an older one
    db.close();
    throw new AppError(
      'FINDINGS_NOT_FOUND',
      'not_found',
      `the findings store ${path} is empty (no table, no findings): it was never finished, most likely nml was stopped while making it or the disk was full (check the free space there); 'nml serve' with this data directory makes it a new store in place, with nothing lost`,
      { path },
    );
  }
  if (missing.length > 0) {
    db.close();
    throw new AppError(
      'FINDINGS_OPEN_FAILED',
      'unavailable',
      `cannot read the findings store ${path}: it lacks ${missing.join(', ')} (an older nml wrote it); start nml serve once with this data directory, on a disk it may write, which brings it up to date`,
      { path },
    );
  }
  return db;
}

/** A row as the Finding it holds (a SYN finding's board path, a URL finding's query brought up to date). */
export function toFinding(r: Row): Finding {
  const f: Finding = {
    id: r.id,
    detector: r.detector,
    entity: r.entity,
    score: r.score,
    threshold: r.threshold,
    modelVersion: r.model_version,
    time: r.time,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    count: r.count,
    sightedAt: r.sighted_at,
    explanation: JSON.parse(r.explanation) as Finding['explanation'],
    evidence: JSON.parse(r.evidence) as Finding['evidence'],
    triage: { status: r.status, note: r.status_note, by: r.status_by, at: r.status_at, reopenedAt: r.reopened_at, assignee: r.assignee, assignedAt: r.assigned_at },
  };
  const board = synBoardPath(f);
  if (board !== null) f.board = board;
  const query = upgradedUrlEvidence(f);
  if (query !== null) f.evidence.query = query;
  return f;
}

/** Whether `path` is a folder; false when nothing, or nothing reachable, is there (a file in its folder's place). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

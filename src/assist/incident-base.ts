/** The incident base: normalized incidents in SQLite (`<data>/assist/incidents.db`), bound parameters only. */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, describeCause } from '../core/index.js';
import { makeFolders } from '../detect/index.js';
import { foldText } from './fold.js';
import type { Incident } from './incident.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  time TEXT,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_source ON incidents(source);
`;

/** Longest summary kept beside the document for matching (a summary is a line or a paragraph). */
const SUMMARY_KEPT = 4000;
const DOC_TITLE = "json_extract(doc, '$.title')";
const DOC_SUMMARY = `substr(json_extract(doc, '$.record.fields.summary.value'), 1, ${SUMMARY_KEPT})`;

/**
 * Columns added in 2026-12 so that the base can be listed without parsing every document: the title and
 * summary (`title`, `summary`), when the incident was saved (`saved`, ms; null for what was saved before) and
 * the title and summary as a listing matches them (`folded_*`, `foldText`: SQLite's `lower` folds ASCII only). A
 * base from before gets them, filled from its documents (`nml_fold` is `foldText`, given to SQLite on open).
 */
const LISTED_COLUMNS: readonly { name: string; type: 'TEXT' | 'INTEGER'; from: string }[] = [
  { name: 'title', type: 'TEXT', from: DOC_TITLE },
  { name: 'summary', type: 'TEXT', from: DOC_SUMMARY },
  { name: 'saved', type: 'INTEGER', from: 'NULL' },
  { name: 'folded_title', type: 'TEXT', from: `coalesce(nml_fold(${DOC_TITLE}), '')` },
  { name: 'folded_summary', type: 'TEXT', from: `coalesce(nml_fold(${DOC_SUMMARY}), '')` },
];

/**
 * Where a listing finds its text (bound to the folded text twice): the stored fold ('' where there is no text), or
 * the fold made here for a row an older nml wrote without one.
 */
const MATCHES = "(instr(coalesce(folded_title, nml_fold(title), ''), ?) > 0 OR instr(coalesce(folded_summary, nml_fold(summary), ''), ?) > 0)";

/** What a listing shows of an incident: no text, no record. */
export interface IncidentSummary {
  id: string;
  source: string;
  title: string;
  /** the time the report gives, as written there; null when it gives none */
  time: string | null;
  /** when it was saved to the base (ms); null for incidents saved before the base kept it */
  saved: number | null;
}

export interface IncidentQuery {
  source?: string;
  /** matched anywhere in the title or the report's summary, in any case or width (`foldText`) */
  match?: string;
  /** saved at or after this time (ms); incidents saved before the base kept the time are left out */
  since?: number;
  limit?: number;
  offset?: number;
}

function summaryOf(x: Incident): string | null {
  return x.record?.fields.summary?.value.slice(0, SUMMARY_KEPT) ?? null;
}

/**
 * Why the incident base at `path` would not open, and what to do: SQLite says only "unable to open
 * database file" for a folder in its place, and a damaged file is the one case to move aside.
 */
function baseOpenWhy(e: unknown, path: string): string {
  if (isFolder(path)) return 'it is a folder, not the incident base; move it aside (nml assist import then starts an empty one)';
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return `${describeCause(e)}: the file is damaged or not a database; move it aside and import the incidents again (nml assist import)`;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return `${describeCause(e)}; free space on its disk`;
  return `${describeCause(e)}; check the data directory (--data), that nml's user may read and write it, and that its disk is mounted read-write`;
}

export class IncidentBase {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    try {
      // one level at a time: Node 20's recursive mkdir loops forever on a folder below /proc
      if (path !== ':memory:') makeFolders(dirname(path));
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.function('nml_fold', { deterministic: true }, (x: unknown) => (typeof x === 'string' ? foldText(x) : null));
      this.db.exec(SCHEMA);
      this.addListedColumns();
    } catch (e) {
      throw new AppError('ASSIST_BASE_UNAVAILABLE', 'unavailable', `assist: cannot open the incident base ${path}: ${baseOpenWhy(e, path)}`, { path }, e);
    }
  }

  private addListedColumns(): void {
    const have = new Set((this.db.prepare('PRAGMA table_info(incidents)').all() as { name: string }[]).map((c) => c.name));
    const missing = LISTED_COLUMNS.filter((c) => !have.has(c.name));
    if (missing.length === 0) return;
    this.db.transaction(() => {
      for (const c of missing) this.db.exec(`ALTER TABLE incidents ADD COLUMN ${c.name} ${c.type}`);
      const fill = missing.filter((c) => c.from !== 'NULL');
      if (fill.length > 0) this.db.exec(`UPDATE incidents SET ${fill.map((c) => `${c.name} = ${c.from}`).join(', ')}`);
    })();
  }

  /**
   * Adds or replaces incidents in one transaction; `saved` is when (ms): a replaced one is saved anew. Their rowids,
   * in order (a replaced incident gets a new one).
   */
  put(incidents: readonly Incident[], saved = Date.now()): number[] {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO incidents (id, source, time, doc, title, summary, saved, folded_title, folded_summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const putOne = (x: Incident): number => {
      const summary = summaryOf(x);
      return Number(stmt.run(x.id, x.source, x.time, JSON.stringify(x), x.title, summary, saved, foldText(x.title), summary === null ? '' : foldText(summary)).lastInsertRowid);
    };
    return this.db.transaction((xs: readonly Incident[]) => xs.map(putOne))(incidents);
  }

  /**
   * SQLite's `PRAGMA data_version`: it changes when another connection (`nml assist delete` or `import` beside a
   * running server) commits to the base, never for this one's own writes. Reading it costs no I/O worth counting.
   */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Every incident's rowid by id: what changed is told from it without reading a document. */
  rowids(): Map<string, number> {
    const rows = this.db.prepare('SELECT id, rowid FROM incidents').raw().all() as [string, number][];
    return new Map(rows);
  }

  /**
   * The incidents that match, newest saved first (the order they were saved in: a replaced one is new), `limit`
   * of them from `offset`, and how many match in all. Reads the listed columns only, never a document.
   */
  list(q: IncidentQuery = {}): { incidents: IncidentSummary[]; total: number } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.source !== undefined) {
      where.push('source = ?');
      args.push(q.source);
    }
    const match = foldText(q.match ?? '');
    if (match !== '') {
      where.push(MATCHES);
      args.push(match, match);
    }
    if (q.since !== undefined) {
      where.push('saved >= ?');
      args.push(q.since);
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM incidents ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT id, source, coalesce(title, id) AS title, time, saved FROM incidents ${clause} ORDER BY rowid DESC LIMIT ? OFFSET ?`).all(...args, q.limit ?? 50, q.offset ?? 0) as IncidentSummary[];
    return { incidents: rows, total };
  }

  /** What a listing shows of one incident, or null. */
  summary(id: string): IncidentSummary | null {
    return (this.db.prepare('SELECT id, source, coalesce(title, id) AS title, time, saved FROM incidents WHERE id = ?').get(id) as IncidentSummary | undefined) ?? null;
  }

  /** Removes one incident; what it was, or null when the base has no such id. */
  remove(id: string): IncidentSummary | null {
    return this.db.transaction(() => {
      const was = this.summary(id);
      if (was !== null) this.db.prepare('DELETE FROM incidents WHERE id = ?').run(id);
      return was;
    })();
  }

  /** The ids of a source's incidents. */
  idsOf(source: string): string[] {
    return this.db.prepare('SELECT id FROM incidents WHERE source = ?').pluck().all(source) as string[];
  }

  /** Removes every incident of a source (`vcdb`, `report` …); how many. */
  removeSource(source: string): number {
    return this.db.prepare('DELETE FROM incidents WHERE source = ?').run(source).changes;
  }

  get(id: string): Incident | null {
    const row = this.db.prepare('SELECT doc FROM incidents WHERE id = ?').get(id) as { doc: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.doc) as Incident);
  }

  all(source?: string): Incident[] {
    const rows = (source === undefined ? this.db.prepare('SELECT doc FROM incidents ORDER BY rowid').all() : this.db.prepare('SELECT doc FROM incidents WHERE source = ? ORDER BY rowid').all(source)) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Incident);
  }

  /** Every incident in insertion order, parsed one at a time (`all` holds every document at once). */
  *iterate(): Generator<Incident> {
    for (const r of this.rows()) yield r.incident;
  }

  /** Every incident with its rowid (a replaced one gets a new one), in insertion order, parsed one at a time. */
  *rows(): Generator<{ rowid: number; incident: Incident }> {
    for (const r of this.db.prepare('SELECT rowid, doc FROM incidents ORDER BY rowid').iterate() as Iterable<{ rowid: number; doc: string }>) yield { rowid: r.rowid, incident: JSON.parse(r.doc) as Incident };
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
  }

  countBySource(): Record<string, number> {
    const rows = this.db.prepare('SELECT source, count(*) AS n FROM incidents GROUP BY source').all() as { source: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.source, r.n]));
  }

  close(): void {
    this.db.close();
  }
}

/** Whether `path` is a folder; false when nothing, or nothing reachable, is there (a file in its folder's place). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

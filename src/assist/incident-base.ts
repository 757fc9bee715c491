/** The incident base: normalized incidents in SQLite (`<data>/assist/incidents.db`), bound parameters only. */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, describeCause } from '../core/index.js';
import { makeFolders } from '../detect/index.js';
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
      this.db.exec(SCHEMA);
    } catch (e) {
      throw new AppError('ASSIST_BASE_UNAVAILABLE', 'unavailable', `assist: cannot open the incident base ${path}: ${baseOpenWhy(e, path)}`, { path }, e);
    }
  }

  /** Adds or replaces incidents in one transaction. */
  put(incidents: readonly Incident[]): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO incidents (id, source, time, doc) VALUES (?, ?, ?, ?)');
    this.db.transaction((xs: readonly Incident[]) => {
      for (const x of xs) stmt.run(x.id, x.source, x.time, JSON.stringify(x));
    })(incidents);
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
    for (const r of this.db.prepare('SELECT doc FROM incidents ORDER BY rowid').iterate() as Iterable<{ doc: string }>) yield JSON.parse(r.doc) as Incident;
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

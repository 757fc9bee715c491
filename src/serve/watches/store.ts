/**
 * The watches in `<data>/watches.db` (a file of their own: `nml backup` copies it with SQLite's online
 * backup as it does every database of the data directory, and `nml restore` puts it back). The server and
 * `nml watch` open it at once (WAL): the evaluator reads the table again at every tick, so a watch the CLI
 * adds, changes or removes beside a running server is counted within a second. Names are unique whatever
 * their case (`name_key`, the name lower-cased); ids are never reused (AUTOINCREMENT). The last evaluation
 * of each watch is kept in its row, so `nml watch list` and a restarted server see it.
 */
import type Database from 'better-sqlite3';
import { openOwnerOnlyDb } from '../owner-db.js';
import { AppError } from '../../core/index.js';
import { checkThreshold, checkWatchInput, checkWatchName, checkWatchQuery, everyMs, windowMs, type Watch, type WatchChange, type WatchInput, type WatchRun } from './spec.js';

export const WATCHES_FILE = 'watches.db';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS watches(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, query TEXT NOT NULL,
    window_text TEXT NOT NULL, every_text TEXT NOT NULL, threshold INTEGER NOT NULL, enabled INTEGER NOT NULL, created_by TEXT,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    last_at INTEGER, last_from INTEGER, last_to INTEGER, last_count INTEGER, last_fired INTEGER, last_skipped INTEGER, last_error_code TEXT, last_error TEXT);`;

interface Row {
  id: number;
  name: string;
  query: string;
  window_text: string;
  every_text: string;
  threshold: number;
  enabled: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  last_at: number | null;
  last_from: number | null;
  last_to: number | null;
  last_count: number | null;
  last_fired: number | null;
  /** absent in a file read before the column was made: none */
  last_skipped?: number | null;
  last_error_code: string | null;
  last_error: string | null;
}

function toWatch(r: Row): Watch {
  const last: WatchRun | null =
    r.last_at === null
      ? null
      : { at: r.last_at, from: r.last_from ?? r.last_at, to: r.last_to ?? r.last_at, count: r.last_count, fired: r.last_fired === 1, ...((r.last_skipped ?? 0) > 0 ? { skipped: r.last_skipped! } : {}), ...(r.last_error === null ? {} : { error: { code: r.last_error_code ?? 'WATCH_EVAL_FAILED', message: r.last_error } }) };
  return { id: r.id, name: r.name, query: r.query, window: r.window_text, every: r.every_text, threshold: r.threshold, enabled: r.enabled === 1, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at, last };
}

export function watchNotFound(id: number | string): AppError {
  return new AppError('WATCH_NOT_FOUND', 'not_found', `watch: no watch ${typeof id === 'number' ? `with id ${id}` : JSON.stringify(id)}; list them with GET /api/watches or nml watch list`, { watch: String(id) });
}

const nameTaken = (name: string): AppError =>
  new AppError('WATCH_EXISTS', 'conflict', `watch: a watch named ${JSON.stringify(name)} exists already (names are unique whatever their case); choose another name or change that watch`, { name });

/** Whether `db` has the watches table (a file opened read-only before the server made it may not). */
export function hasWatchesTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'watches'").get() !== undefined;
}

/** Every watch, by name; for the server's connection and `nml watch list`'s read-only one alike. */
export function readWatches(db: Database.Database): Watch[] {
  if (!hasWatchesTable(db)) return [];
  return (db.prepare('SELECT * FROM watches ORDER BY name_key').all() as Row[]).map(toWatch);
}

export interface WatchStoreOptions {
  /** watches at most (`watches.max`); a create past it is 409 WATCH_LIMIT */
  max?: number;
  now?: () => number;
}

export class WatchStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  readonly max: number;

  constructor(path: string, opts: WatchStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.max = opts.max ?? 200;
    this.db = openOwnerOnlyDb(path, SCHEMA);
  }

  list(): Watch[] {
    return readWatches(this.db);
  }

  get(id: number): Watch | null {
    const r = this.db.prepare('SELECT * FROM watches WHERE id = ?').get(id) as Row | undefined;
    return r === undefined ? null : toWatch(r);
  }

  /** The watch of this name, whatever its case. */
  byName(name: string): Watch | null {
    const r = this.db.prepare('SELECT * FROM watches WHERE name_key = ?').get(name.trim().toLowerCase()) as Row | undefined;
    return r === undefined ? null : toWatch(r);
  }

  /** Adds a watch (checked: WATCH_INVALID, QUERY_SYNTAX; WATCH_EXISTS; WATCH_LIMIT past `max`). */
  add(input: WatchInput, createdBy: string | null): Watch {
    const w = checkWatchInput(input);
    const at = this.now();
    const id = this.db.transaction(() => {
      const n = (this.db.prepare('SELECT count(*) AS n FROM watches').get() as { n: number }).n;
      if (n >= this.max) throw new AppError('WATCH_LIMIT', 'conflict', `watch: there are ${n} watches, the most watches.max allows (${this.max}); remove one, or raise watches.max`, { max: this.max });
      if (this.byName(w.name) !== null) throw nameTaken(w.name);
      const info = this.db
        .prepare('INSERT INTO watches(name, name_key, query, window_text, every_text, threshold, enabled, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(w.name, w.name.toLowerCase(), w.query, w.window, w.every, w.threshold, w.enabled ? 1 : 0, createdBy, at, at);
      return Number(info.lastInsertRowid);
    })();
    return this.get(id)!;
  }

  /**
   * Changes what `change` names; the last evaluation is forgotten when the query, window or threshold
   * changes (it counted something else), so the evaluator counts the watch again at once.
   */
  update(id: number, change: WatchChange): Watch {
    return this.db.transaction(() => {
      const old = this.get(id);
      if (old === null) throw watchNotFound(id);
      const name = change.name === undefined ? old.name : checkWatchName(change.name);
      const query = change.query === undefined ? old.query : checkWatchQuery(change.query);
      if (change.window !== undefined) windowMs(change.window);
      if (change.every !== undefined) everyMs(change.every);
      const threshold = change.threshold === undefined ? old.threshold : checkThreshold(change.threshold);
      if (change.enabled !== undefined && typeof change.enabled !== 'boolean') throw new AppError('WATCH_INVALID', 'bad_request', 'watch: enabled must be true or false', { field: 'enabled' });
      const other = name.toLowerCase() === old.name.toLowerCase() ? null : this.byName(name);
      if (other !== null) throw nameTaken(name);
      const window = change.window?.trim() ?? old.window;
      const every = change.every?.trim() ?? old.every;
      const enabled = change.enabled ?? old.enabled;
      const counted = query !== old.query || window !== old.window || threshold !== old.threshold;
      this.db
        .prepare(`UPDATE watches SET name = ?, name_key = ?, query = ?, window_text = ?, every_text = ?, threshold = ?, enabled = ?, updated_at = ?${counted ? ', last_at = NULL, last_from = NULL, last_to = NULL, last_count = NULL, last_fired = NULL, last_skipped = NULL, last_error_code = NULL, last_error = NULL' : ''} WHERE id = ?`)
        .run(name, name.toLowerCase(), query, window, every, threshold, enabled ? 1 : 0, this.now(), id);
      return this.get(id)!;
    })();
  }

  /** Removes a watch; the removed one. Its findings stay (they are the record of what it saw). */
  remove(id: number): Watch {
    const old = this.get(id);
    if (old === null) throw watchNotFound(id);
    this.db.prepare('DELETE FROM watches WHERE id = ?').run(id);
    return old;
  }

  /** Records an evaluation; a watch removed meanwhile is left removed. */
  recordRun(id: number, run: WatchRun): void {
    this.db
      .prepare('UPDATE watches SET last_at = ?, last_from = ?, last_to = ?, last_count = ?, last_fired = ?, last_skipped = ?, last_error_code = ?, last_error = ? WHERE id = ?')
      .run(run.at, run.from, run.to, run.count, run.fired ? 1 : 0, run.skipped ?? null, run.error?.code ?? null, run.error?.message.slice(0, 1000) ?? null, id);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

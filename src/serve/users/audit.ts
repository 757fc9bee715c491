/**
 * The audit trail: who signed in (or failed to), who changed which user, who exported what, from
 * where. An append-only table `audit` in `<data>/users.db` (the file of the accounts it is about: owner
 * only, backed up with them by `nml backup`, opened read-only by `nml audit`), through its own
 * connection so the user store's code stays as it is. Nothing updates a row; rows leave only by
 * retention (`audit.retentionDays`) or, past `audit.maxEntries`, oldest first, the logins refused to
 * nobody signed in (which anyone can make) before any other, and that removal is itself an entry and a
 * warning: the log never fills the disk, and never loses an entry younger than the retention unsaid.
 * No secret is stored: the callers pass none, and `cleanDetails` drops any key that names one.
 */
import type Database from 'better-sqlite3';
import { openOwnerOnlyDb } from '../owner-db.js';
import type { AuditAction } from './audit-actions.js';

export type AuditOutcome = 'ok' | 'refused';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['ok', 'refused'];

/** A value of an entry's details: what the callers put there (a range, a query, a count, a fingerprint). */
export type AuditValue = string | number | boolean | null | readonly string[];

/** What a caller records; `at` defaults to the log's clock. */
export interface AuditRecord {
  /** the user name, `api-token`, `cli:<account>` for the command line, or null when nobody is signed in (a failed login) */
  actor: string | null;
  role?: string | null;
  /** `login`, `logout`, `user.create`, `search.export`…: one of AUDIT_ACTIONS (audit-actions.ts) */
  action: AuditAction;
  /** what the action was on: a user name, a route */
  target?: string | null;
  /** the client's address as the server saw it (a proxy's client with http.trustProxy) */
  address?: string | null;
  outcome: AuditOutcome;
  /** the error code of a refusal (AUTH_LOGIN_FAILED, AUTH_FORBIDDEN…) */
  reason?: string | null;
  details?: Record<string, AuditValue | undefined>;
  at?: number;
}

/** One stored entry, as the API and `nml audit --json` give it. */
export interface AuditEntry {
  id: number;
  at: number;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  address: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  details: Record<string, AuditValue>;
}

export interface AuditFilter {
  from?: number;
  /** exclusive */
  to?: number;
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** paging: entries older than this id (the previous page's `next`) */
  before?: number;
  limit?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** the `before` of the next (older) page; null when this one is the last */
  next: number | null;
}

export interface AuditOptions {
  /** entries older than this are removed by `prune` (default 365 days) */
  retentionMs?: number;
  /** at most this many entries; past it the oldest go, unauthenticated ones first (default 1,000,000) */
  maxEntries?: number;
  now?: () => number;
}

export const AUDIT_DEFAULTS = Object.freeze({ retentionDays: 365, maxEntries: 1_000_000 });
export const AUDIT_PAGE_MAX = 500;
const DAY_MS = 86_400_000;
/** rows one DELETE removes at most: retention of a big backlog does not hold the database's write lock for long */
const PRUNE_BATCH = 5000;
const STRING_MAX = 500;
const DETAILS_MAX = 4096;

/** Keys whose values are secrets by their name; dropped from details whatever the caller meant. */
const SECRET_KEY = /pass(word|wd)?|secret|token|session|cookie|authori[sz]ation|credential|^key$|apikey|private/i;

/**
 * `details` with no key that names a secret (a fingerprint of one is not one: `keyFingerprint` stays), strings
 * cut to 500 characters, lists to 100 items, and the whole to 4 KiB (else `{ "truncated": true }`).
 */
export function cleanDetails(details: AuditRecord['details']): Record<string, AuditValue> {
  const out: Record<string, AuditValue> = {};
  for (const [k, v] of Object.entries(details ?? {})) {
    if (v === undefined || (SECRET_KEY.test(k) && !/fingerprint$/i.test(k))) continue;
    if (typeof v === 'string') out[k] = v.slice(0, STRING_MAX);
    else if (Array.isArray(v)) out[k] = v.slice(0, 100).map((s) => String(s).slice(0, STRING_MAX));
    else if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v as AuditValue;
  }
  return JSON.stringify(out).length <= DETAILS_MAX ? out : { truncated: true };
}

const short = (s: string | null | undefined, max = 200): string | null => (s === null || s === undefined ? null : String(s).slice(0, max));

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT, role TEXT, action TEXT NOT NULL,
    target TEXT, address TEXT, outcome TEXT NOT NULL, reason TEXT, details TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
  CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor, id);
  CREATE INDEX IF NOT EXISTS audit_action ON audit(action, id);`;

/** an entry as stored: its details as JSON text */
type AuditRow = Omit<AuditEntry, 'details'> & { details: string };

const toEntry = (r: AuditRow): AuditEntry => ({ ...r, details: parseDetails(r.details) });

function parseDetails(text: string): Record<string, AuditValue> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, AuditValue>) : {};
  } catch {
    return {};
  }
}

/** Whether `db` has the audit table (a users.db from before it, or one opened read-only, may not). */
export function hasAuditTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() !== undefined;
}

/** A page of entries, newest first, matching `f`; for the server's connection and `nml audit`'s read-only one alike. */
export function readAudit(db: Database.Database, f: AuditFilter = {}): AuditPage {
  if (!hasAuditTable(db)) return { entries: [], next: null };
  const where: string[] = [];
  const args: (string | number)[] = [];
  const add = (sql: string, v: string | number | undefined): void => {
    if (v === undefined) return;
    where.push(sql);
    args.push(v);
  };
  add('at >= ?', f.from);
  add('at < ?', f.to);
  add('actor = ?', f.actor);
  add('action = ?', f.action);
  add('outcome = ?', f.outcome);
  add('id < ?', f.before);
  const limit = Math.max(1, Math.min(AUDIT_PAGE_MAX, Math.floor(f.limit ?? 100)));
  // one more than the page: whether an older page exists, without counting
  const sql = `SELECT id, at, actor, role, action, target, address, outcome, reason, details FROM audit${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, limit + 1) as AuditRow[];
  const page = rows.slice(0, limit).map(toEntry);
  return { entries: page, next: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** What one retention pass removed: by age, and past the entry cap (the latter also recorded as an `audit.pruned` entry). */
export interface AuditPruned {
  expired: number;
  capped: number;
  /** the time of the newest entry removed by the cap, when any was */
  cappedThrough: number | null;
}

export class AuditLog {
  private readonly db: Database.Database;
  private readonly retentionMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly insert: Database.Statement;
  /** entries that could not be written (a full disk, a locked file): counted, and the caller told each time */
  failed = 0;

  /** `path`: the users.db of the data directory (made when missing, owner only, as the user store makes it). */
  constructor(path: string, opts: AuditOptions = {}) {
    this.retentionMs = opts.retentionMs ?? AUDIT_DEFAULTS.retentionDays * DAY_MS;
    this.maxEntries = opts.maxEntries ?? AUDIT_DEFAULTS.maxEntries;
    this.now = opts.now ?? Date.now;
    this.db = openOwnerOnlyDb(path, SCHEMA);
    this.insert = this.db.prepare('INSERT INTO audit(at, actor, role, action, target, address, outcome, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** Appends one entry; throws when it cannot be written (the caller decides whether the action may go on without it). */
  record(r: AuditRecord): number {
    const info = this.insert.run(
      r.at ?? this.now(),
      short(r.actor, 80),
      short(r.role, 20),
      r.action.slice(0, 80),
      short(r.target),
      short(r.address, 64),
      r.outcome,
      short(r.reason, 80),
      JSON.stringify(cleanDetails(r.details)),
    );
    return Number(info.lastInsertRowid);
  }

  /** `record`, with a failure counted and handed to `onError` rather than thrown: for what must go on (a login, a logout). */
  tryRecord(r: AuditRecord, onError: (err: unknown) => void): boolean {
    try {
      this.record(r);
      return true;
    } catch (e) {
      this.failed++;
      onError(e);
      return false;
    }
  }

  list(f: AuditFilter = {}): AuditPage {
    return readAudit(this.db, f);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  }

  /** Removes what retention says (by age, then past the cap) in short batches; the cap's removal is recorded. */
  prune(): AuditPruned {
    const t = this.now();
    const cutoff = t - this.retentionMs;
    let expired = 0;
    const byAge = this.db.prepare('DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? ORDER BY id LIMIT ?)');
    for (let n = -1; n !== 0; expired += n) n = byAge.run(cutoff, PRUNE_BATCH).changes;
    let capped = 0;
    let cappedThrough: number | null = null;
    let excess = this.count() - this.maxEntries;
    if (excess > 0) {
      // logins refused to nobody signed in first (anyone can make them; not token.rotated or audit.pruned,
      // which name no actor either), then the oldest of the rest
      for (const who of ["actor IS NULL AND action = 'login'", '1 = 1']) {
        const pick = `SELECT id FROM audit WHERE ${who} ORDER BY id LIMIT ?`;
        while (excess > 0) {
          const n = Math.min(excess, PRUNE_BATCH);
          const newest = (this.db.prepare(`SELECT max(at) AS at FROM (SELECT at FROM audit WHERE ${who} ORDER BY id LIMIT ?)`).get(n) as { at: number | null }).at;
          const removed = this.db.prepare(`DELETE FROM audit WHERE id IN (${pick})`).run(n).changes;
          if (removed === 0) break;
          if (newest !== null) cappedThrough = Math.max(cappedThrough ?? newest, newest);
          capped += removed;
          excess -= removed;
        }
      }
      this.record({ actor: null, action: 'audit.pruned', outcome: 'ok', at: t, details: { removed: capped, reason: 'max-entries', maxEntries: this.maxEntries, newestRemoved: cappedThrough } });
    }
    return { expired, capped, cappedThrough };
  }

  /**
   * `prune` now and every `everyMs` (an hour), on an unref'd timer; `onPruned` hears what went, `onError` a
   * pass that failed (the next one tries again). Returns the stop.
   */
  startRetention(onPruned: (p: AuditPruned) => void, onError: (err: unknown) => void, everyMs = 3_600_000): () => void {
    const pass = (): void => {
      try {
        const p = this.prune();
        if (p.expired > 0 || p.capped > 0) onPruned(p);
      } catch (e) {
        onError(e);
      }
    };
    pass();
    const timer = setInterval(pass, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

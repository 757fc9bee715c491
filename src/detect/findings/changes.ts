/**
 * What a person changes on findings: a status (with its note), an assignee, or both; for some findings
 * by id, or for every one a list's filter matches that nobody changed since the list was read. Each part
 * is written and logged in `triage_log` unless the finding already stands so. Sightings are the store's.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../core/index.js';
import type { Finding, FindingStatus } from '../detector.js';
import { checkKnownDetector, conditions, type FindingsQuery } from './query.js';
import { toFinding, type Row } from './schema.js';
import { nextIdSql } from './id-floors.js';
import type { UnassignCause } from './triage-event.js';

/**
 * What a person changes on findings in one go: the status (with the note, null to keep each one's), the
 * assignee (a user name, null for nobody), or both. A part left out is left as it is.
 */
export interface FindingChange {
  status?: FindingStatus;
  note?: string | null;
  assignee?: string | null;
}

/** The longest triage note kept (characters). */
export const TRIAGE_NOTE_MAX = 2000;

/** A finding that already stands as a triage would set it (parameters: the status, the note or null for any): that status and note, not reopened since. */
const ALREADY_SO = 'status = ? AND status_note = coalesce(?, status_note) AND reopened_at IS NULL';
/** A finding already assigned as an assignment would set it (parameter: the user, or null for nobody). */
const ALREADY_ASSIGNED = 'assignee IS ?';

/** findings one `triageMatching` may change (one transaction; a wave of that size is summed by the detectors long before) */
export const TRIAGE_MATCH_MAX = 20_000;

/**
 * Which findings `triageMatching` changes: the list's filters, and none recorded, seen again or triaged
 * at or after `readAt`, the store's clock when the person's page was read (`FindingsPage.readAt`): one
 * in that same millisecond may have come after the read.
 */
export type TriageMatch = Pick<FindingsQuery, 'detector' | 'minScore' | 'status' | 'triagedSince' | 'assignee'> & { readAt: number };

/** How far a `readAt` may lie past the store's clock (clock steps between the list and the change). */
const READ_AT_SKEW_MS = 5_000;

/** A change names a status or an assignee, and a note it keeps whole. */
function checkChange(change: FindingChange): void {
  if (change.status === undefined && change.assignee === undefined) throw new AppError('FINDINGS_INVALID', 'bad_request', 'findings: the change names neither a status nor an assignee; give one or both');
  const note = change.note ?? null;
  if (note !== null && note.length > TRIAGE_NOTE_MAX) throw new AppError('FINDINGS_INVALID', 'bad_request', `the triage note is ${note.length} characters; at most ${TRIAGE_NOTE_MAX} are kept: shorten it`);
}

/** The statements of a person's changes, on the store's database (FindingsStore delegates to it). */
export class FindingChanges {
  private readonly byId: Database.Statement;
  private readonly setTriage: Database.Statement;
  private readonly logTriage: Database.Statement;
  private readonly setAssignee: Database.Statement;
  private readonly logAssign: Database.Statement;

  /** the id a new history entry gets (id-floors.ts); each insert below selects one finding, so one id */
  private readonly logId: string;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.logId = nextIdSql(db, 'triage_log');
    // a finding already so (the status, the note when one is given, and not reopened since) is left as it
    // is: setting it again wrote a second history entry and moved its time (a review: `set all resolved` twice)
    this.setTriage = this.db.prepare(`UPDATE findings SET status = ?, status_note = coalesce(?, status_note), status_by = ?, status_at = ?, reopened_at = NULL WHERE id = ? AND NOT (${ALREADY_SO})`);
    // a person's change as the row now stands (the note it kept, or the one it was given)
    this.logTriage = this.db.prepare(`INSERT INTO triage_log (id, finding_id, at, by, status, note, cause) SELECT ${this.logId}, id, ?, ?, status, status_note, 'person' FROM findings WHERE id = ?`);
    // an assignment leaves the status, its time and a reopening as they are: "mine" is not a triage
    this.setAssignee = this.db.prepare(`UPDATE findings SET assignee = ?, assigned_at = ? WHERE id = ? AND NOT (${ALREADY_ASSIGNED})`);
    this.logAssign = this.db.prepare(`INSERT INTO triage_log (id, finding_id, at, by, status, note, cause, assignee) SELECT ${this.logId}, id, ?, ?, status, status_note, 'assignment', assignee FROM findings WHERE id = ?`);
    this.byId = this.db.prepare('SELECT * FROM findings WHERE id = ?');
  }

  /** FindingsStore.changeMany: a change to many findings, one transaction. */
  many(ids: readonly number[], change: FindingChange, by: string, at = Date.now()): { findings: Finding[]; unchanged: number[]; missing: number[] } {
    checkChange(change);
    const t = Math.trunc(at);
    const missing: number[] = [];
    const unchanged: number[] = [];
    const found: number[] = [];
    this.db.transaction(() => {
      for (const id of new Set(ids)) {
        if (this.applyChange(id, change, by, t)) found.push(id);
        else if (this.byId.get(id) === undefined) missing.push(id);
        else {
          unchanged.push(id);
          found.push(id);
        }
      }
    })();
    return { findings: found.map((id) => toFinding(this.byId.get(id) as Row)), unchanged, missing };
  }

  /** One finding's change, each part written and logged unless it already stands so; whether any part was (inside a transaction). */
  private applyChange(id: number, change: FindingChange, by: string, t: number): boolean {
    let changed = false;
    if (change.status !== undefined) {
      const note = change.note ?? null;
      if (this.setTriage.run(change.status, note, by, t, id, change.status, note).changes > 0) {
        this.logTriage.run(t, by, id);
        changed = true;
      }
    }
    if (change.assignee !== undefined && this.setAssignee.run(change.assignee, t, id, change.assignee).changes > 0) {
      this.logAssign.run(t, by, id);
      changed = true;
    }
    return changed;
  }

  /** FindingsStore.changeMatching: a change to every finding a filter matches and nobody changed since it was read. */
  matching(q: TriageMatch, change: FindingChange, by: string, at = Date.now()): number {
    checkChange(change);
    checkKnownDetector(this.db, q.detector);
    // readAt is this store's own clock, echoed from a list: a later one would switch the guard below off,
    // and findings that come until then could be closed unseen
    if (q.readAt > this.clock() + READ_AT_SKEW_MS) {
      throw new AppError('FINDINGS_FILTER_INVALID', 'bad_request', `findings: match.readAt ${q.readAt} is after the server's clock (${this.clock()}); send the readAt of the list the decision was made on`);
    }
    const t = Math.trunc(at);
    const { where, params } = conditions(q);
    // strictly before: one recorded, triaged or assigned in the very millisecond the page was read may
    // have come after the read, and nobody has seen it
    where.push('sighted_at < ?', '(status_at IS NULL OR status_at < ?)', '(assigned_at IS NULL OR assigned_at < ?)');
    params.push(q.readAt, q.readAt, q.readAt);
    // one that already stands so in every part asked is left out (no history entry, not counted)
    const already: string[] = [];
    if (change.status !== undefined) {
      already.push(ALREADY_SO);
      params.push(change.status, change.note ?? null);
    }
    if (change.assignee !== undefined) {
      already.push(ALREADY_ASSIGNED);
      params.push(change.assignee);
    }
    where.push(`NOT (${already.join(' AND ')})`);
    return this.db.transaction(() => {
      const ids = this.db.prepare(`SELECT id FROM findings WHERE ${where.join(' AND ')} LIMIT ?`).pluck().all(...params, TRIAGE_MATCH_MAX + 1) as number[];
      if (ids.length > TRIAGE_MATCH_MAX) {
        throw new AppError('FINDINGS_TOO_MANY', 'bad_request', `findings: more than ${TRIAGE_MATCH_MAX} match, and at most ${TRIAGE_MATCH_MAX} are changed at once; nothing was changed: narrow the filter (detector, minimum score, status) and repeat`);
      }
      for (const id of ids) this.applyChange(id, change, by, t);
      return ids.length;
    })();
  }

  /** FindingsStore.unassignUser: a removed or demoted user's findings assigned to nobody, each logged as `cause`. */
  unassignUser(user: string, by: string, at = Date.now(), cause: UnassignCause = 'user-removed'): number {
    const t = Math.trunc(at);
    return this.db.transaction(() => {
      const ids = this.db.prepare('SELECT id FROM findings WHERE assignee = ?').pluck().all(user) as number[];
      // the log's assignee column holds the user removed or demoted: the finding's assignee is null after
      const log = this.db.prepare(`INSERT INTO triage_log (id, finding_id, at, by, status, note, cause, assignee) SELECT ${this.logId}, id, ?, ?, status, status_note, ?, ? FROM findings WHERE id = ?`);
      const unset = this.db.prepare('UPDATE findings SET assignee = NULL, assigned_at = ? WHERE id = ?');
      for (const id of ids) {
        log.run(t, by, cause, user, id);
        unset.run(t, id);
      }
      return ids.length;
    })();
  }
}

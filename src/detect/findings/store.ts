/**
 * The findings store shared by every detector: `<data>/findings.db`. One row per detector + entity;
 * repeated sightings raise the count, widen the time span and keep the highest score (with that
 * score's explanation, or the latest one's where it tells the whole story: `NewFinding.latest`). Listing is newest-first or highest-first with an exact keyset cursor. Each
 * finding carries its triage (detector.ts, `Triage`), set by a person with `triage`, and who it is
 * assigned to (`assign`; the status stays as it is). Both are written to the triage log (`history`).
 */
import Database from 'better-sqlite3';
import { AppError, MAX_DATE_MS } from '../../core/index.js';
import { triageEventOf, type TriageEvent, type TriageLogRow, type UnassignCause } from './triage-event.js';
import { DETECTOR_NAMES, FINDING_STATUSES, type Finding, type FindingStatus, type FindingsSink, type NewFinding } from '../detector.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { NotifyMarksTable } from './notify-marks-table.js';
import { checkedReadOnly, openWritable, toFinding, TRIAGED_KEY, type Row } from './schema.js';

export interface FindingsQuery {
  detector?: string;
  /** only the findings of this entity, exactly (`ip:192.0.2.7`, `url:…`): one per detector at most */
  entity?: string;
  /** findings with score ≥ this */
  minScore?: number;
  /** findings last seen at or after (ms) */
  from?: number;
  /** findings first seen before (ms) */
  to?: number;
  /** only findings in one of these triage statuses */
  status?: readonly FindingStatus[];
  /** only findings whose status a person set at or after this (ms, the store's clock): a shift's handover */
  triagedSince?: number;
  /** only the findings assigned to this user; null: only those assigned to nobody */
  assignee?: string | null;
  /**
   * `lastSeen` (default, newest event first), `score` (highest first), `sighted` (most recently raised
   * or seen again by NML first, whatever the events' time: findings from an old log loaded today come first),
   * `triaged` (the one whose status a person set last first, those nobody has set after them, newest
   * raised first: what the shift before changed) or `id` (most recently raised first). Only `id` never changes: paging by it visits every finding that
   * existed when it began exactly once, where in the others a finding seen again while you page moves
   * ahead of your position (its lastSeen, sightedAt, score or triage time grows) and is not met on this pass.
   */
  sort?: FindingsSort;
  limit?: number;
  cursor?: string;
}

/** How far a `readAt` may lie past the store's clock (clock steps between the list and the change). */
const READ_AT_SKEW_MS = 5_000;

/** How a findings list is ordered (see FindingsQuery.sort). */
export const FINDINGS_SORTS = ['lastSeen', 'score', 'sighted', 'triaged', 'id'] as const;
export type FindingsSort = (typeof FINDINGS_SORTS)[number];

/**
 * Each sort's key: a column, or for `triaged` when a person last set the status, -1 for a finding
 * nobody has (after every triaged one; a keyset cursor needs a number). The expression is the one
 * the `findings_triaged` index is made on (schema.ts), so that SQLite uses it.
 */
const SORT_KEYS: Record<FindingsSort, { sql: string; of: (f: Finding) => number }> = {
  lastSeen: { sql: 'last_seen', of: (f) => f.lastSeen },
  score: { sql: 'score', of: (f) => f.score },
  sighted: { sql: 'sighted_at', of: (f) => f.sightedAt ?? 0 },
  triaged: { sql: TRIAGED_KEY, of: (f) => f.triage.at ?? -1 },
  id: { sql: 'id', of: (f) => f.id },
};

export interface FindingsPage {
  findings: Finding[];
  next?: string;
  /** the store's clock when the page was read (ms): what `triageMatching` may change is what had not changed since */
  readAt: number;
}

/**
 * What a `record` did to each finding it changed: raised it (`new`), opened a resolved one again
 * (`reopened`), or saw an open, acknowledged or false-positive one again (`again`). Notifications
 * send the first two only.
 */
export type Sighting = 'new' | 'reopened' | 'again';

/** `logIds`: for each reopened finding the id of the triage-log entry its reopening wrote (its place in the reopenings' sequence), else null. */
type Listener = (changed: Finding[], sightings: readonly Sighting[], logIds: readonly (number | null)[]) => void;

/** A finding id as typed (in a URL, a query string or on the command line): a positive integer. */
export const isFindingId = (s: string): boolean => /^[1-9]\d{0,15}$/.test(s) && Number.isSafeInteger(Number(s));

/** `open,acknowledged`: the statuses named, each one known, or FINDINGS_STATUS_INVALID saying which is not (`what`: who asks). */
export function parseStatuses(list: string, what: string): FindingStatus[] {
  const names = list.split(',').map((x) => x.trim());
  const unknown = names.filter((x) => !(FINDING_STATUSES as readonly string[]).includes(x));
  if (unknown.length > 0) {
    throw new AppError('FINDINGS_STATUS_INVALID', 'bad_request', `${what}: status ${unknown.map((x) => JSON.stringify(x.slice(0, 40))).join(', ')} is not one of ${FINDING_STATUSES.join(', ')}; name one or more, comma-separated`, { known: FINDING_STATUSES });
  }
  return names as FindingStatus[];
}

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

export const FINDINGS_PAGE_MAX = 1000;
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

export class FindingsStore implements FindingsSink {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly byKey: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly setTriage: Database.Statement;
  private readonly logTriage: Database.Statement;
  private readonly logReopen: Database.Statement;
  private readonly setAssignee: Database.Statement;
  private readonly logAssign: Database.Statement;
  private readonly listeners = new Set<Listener>();
  private marks: NotifyMarksTable | undefined;

  /**
   * `path` is a file, `:memory:` for tests, or a database opened for reading only at `path` (the CLI's
   * read commands), taken as it is: neither created nor brought up to date, and writes fail on it.
   * `clock` the wall clock of sightings and reads (tests set it).
   */
  constructor(
    path: string | { readOnly: Database.Database; path: string },
    private readonly clock: () => number = Date.now,
  ) {
    this.db = typeof path === 'string' ? openWritable(path) : checkedReadOnly(path.readOnly, path.path);
    // a later sighting keeps the highest score and that score's explanation, widens the span, counts;
    // at an equal score the later sighting's explanation wins: it tells what the entity has done so
    // far, not what it had done when first recorded. Evidence of the same search widens to cover both
    // sightings whichever wins (a host back on the SYN board at a lower score kept only its first stay's),
    // and keeps what else either holds, the later's first (a SYN finding's source: json_object dropped it)
    // A finding that tells the entity's story so far (`latest`, a SYN flood's) wins when it is not older:
    // a flood back after an hour's quiet at a lower score left the row telling the first one
    const wins = '(excluded.score > score OR ((excluded.score = score OR @latest = 1) AND excluded.time >= time))';
    this.upsert = this.db.prepare(`
      INSERT INTO findings (detector, entity, score, threshold, model_version, time, first_seen, last_seen, count, explanation, evidence, sighted_at)
      VALUES (@detector, @entity, @score, @threshold, @modelVersion, @time, @firstSeen, @time, @sightings, @explanation, @evidence, @now)
      ON CONFLICT (detector, entity) DO UPDATE SET
        count = count + excluded.count,
        sighted_at = @now,
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen),
        threshold = excluded.threshold,
        explanation = CASE WHEN ${wins} THEN excluded.explanation ELSE explanation END,
        model_version = CASE WHEN ${wins} THEN excluded.model_version ELSE model_version END,
        time = CASE WHEN ${wins} THEN excluded.time ELSE time END,
        evidence = CASE
          WHEN json_extract(evidence, '$.query') = json_extract(excluded.evidence, '$.query') THEN json_set(json_patch(evidence, excluded.evidence),
            '$.from', min(json_extract(evidence, '$.from'), json_extract(excluded.evidence, '$.from')),
            '$.to', max(json_extract(evidence, '$.to'), json_extract(excluded.evidence, '$.to')))
          WHEN ${wins} THEN excluded.evidence ELSE evidence END,
        score = max(score, excluded.score),
        reopened_at = CASE WHEN status = 'resolved' THEN @now ELSE reopened_at END,
        status = CASE WHEN status = 'resolved' THEN 'open' ELSE status END`);
    // a finding already so (the status, the note when one is given, and not reopened since) is left as it
    // is: setting it again wrote a second history entry and moved its time (a review: `set all resolved` twice)
    this.setTriage = this.db.prepare(`UPDATE findings SET status = ?, status_note = coalesce(?, status_note), status_by = ?, status_at = ?, reopened_at = NULL WHERE id = ? AND NOT (${ALREADY_SO})`);
    this.logReopen = this.db.prepare("INSERT INTO triage_log (finding_id, at, by, status, note, cause) VALUES (?, ?, NULL, 'open', ?, 'sighting')");
    // a person's change as the row now stands (the note it kept, or the one it was given)
    this.logTriage = this.db.prepare("INSERT INTO triage_log (finding_id, at, by, status, note, cause) SELECT id, ?, ?, status, status_note, 'person' FROM findings WHERE id = ?");
    // an assignment leaves the status, its time and a reopening as they are: "mine" is not a triage
    this.setAssignee = this.db.prepare(`UPDATE findings SET assignee = ?, assigned_at = ? WHERE id = ? AND NOT (${ALREADY_ASSIGNED})`);
    this.logAssign = this.db.prepare("INSERT INTO triage_log (finding_id, at, by, status, note, cause, assignee) SELECT id, ?, ?, status, status_note, 'assignment', assignee FROM findings WHERE id = ?");
    this.byKey = this.db.prepare('SELECT * FROM findings WHERE detector = ? AND entity = ?');
    this.byId = this.db.prepare('SELECT * FROM findings WHERE id = ?');
  }

  /** Stores findings in one transaction and tells listeners which rows changed. */
  record(findings: readonly NewFinding[]): void {
    if (findings.length === 0) return;
    for (const f of findings) validate(f);
    const changed: Finding[] = [];
    const sightings: Sighting[] = [];
    const logIds: (number | null)[] = [];
    const now = this.clock();
    this.db.transaction(() => {
      for (const f of findings) {
        const prior = this.byKey.get(f.detector, f.entity) as Row | undefined;
        this.upsert.run({
          now,
          detector: f.detector,
          entity: f.entity,
          score: f.score,
          threshold: f.threshold,
          modelVersion: f.modelVersion,
          time: Math.trunc(f.time),
          firstSeen: Math.trunc(f.firstSeen ?? f.time),
          sightings: f.sightings ?? 1,
          latest: f.latest === true ? 1 : 0,
          explanation: JSON.stringify(f.explanation),
          evidence: JSON.stringify(f.evidence),
        });
        const row = this.byKey.get(f.detector, f.entity) as Row;
        logIds.push(prior?.status === 'resolved' ? Number(this.logReopen.run(row.id, now, row.status_note).lastInsertRowid) : null);
        changed.push(toFinding(row));
        sightings.push(prior === undefined ? 'new' : prior.status === 'resolved' ? 'reopened' : 'again');
      }
    })();
    for (const l of this.listeners) l(changed, sightings, logIds);
  }

  /**
   * Sets a finding's triage (`by`: who, as the logs name them; `note` at most TRIAGE_NOTE_MAX
   * characters, null to keep the one it has); returns the finding, or null when there is none with that
   * id. Listeners hear sightings only (`subscribe`), not triage.
   */
  triage(id: number, status: FindingStatus, note: string | null, by: string, at = Date.now()): Finding | null {
    return this.triageMany([id], status, note, by, at).findings[0] ?? null;
  }

  /**
   * `triage` for many findings in one transaction: those found, in the order asked, as they now stand;
   * the ids of those that already stood so (left as they were, no history entry); the ids of none.
   */
  triageMany(ids: readonly number[], status: FindingStatus, note: string | null, by: string, at = Date.now()): { findings: Finding[]; unchanged: number[]; missing: number[] } {
    return this.changeMany(ids, { status, note }, by, at);
  }

  /**
   * Assigns a finding to a user (`assignee`, a name the caller has checked is a user's; null: to nobody),
   * leaving its status as it is; recorded in its history as an `assignment`. Returns the finding, or null
   * when there is none with that id.
   */
  assign(id: number, assignee: string | null, by: string, at = Date.now()): Finding | null {
    return this.changeMany([id], { assignee }, by, at).findings[0] ?? null;
  }

  /**
   * A status (`triage`), an assignee (`assign`) or both for many findings in one transaction: those found,
   * in the order asked, as they now stand; the ids of those that already stood so in every part asked
   * (left as they were, no history entry); the ids of none.
   */
  changeMany(ids: readonly number[], change: FindingChange, by: string, at = Date.now()): { findings: Finding[]; unchanged: number[]; missing: number[] } {
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
    return { findings: found.map((id) => this.get(id)!), unchanged, missing };
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

  /**
   * `triage` for every finding that matches `q` and has not changed since `q.readAt`, when the person's
   * page was read: one recorded, seen again (a reopening too), triaged or assigned by someone since is left
   * for them to look at, whatever the time its line or packet carries. At most TRIAGE_MATCH_MAX in one
   * transaction, else nothing is changed and the error says so. Returns how many changed.
   */
  triageMatching(q: TriageMatch, status: FindingStatus, note: string | null, by: string, at = Date.now()): number {
    return this.changeMatching(q, { status, note }, by, at);
  }

  /** `triageMatching` for a status, an assignee or both (`changeMany`'s parts): how many findings changed. */
  changeMatching(q: TriageMatch, change: FindingChange, by: string, at = Date.now()): number {
    checkChange(change);
    this.knownDetector(q.detector);
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

  /**
   * Unassigns every finding assigned to `user`, who has been removed or made a viewer (`by`: who did it):
   * nobody would act on those findings, and the Assigned filter would hide them from the shift. Each is
   * logged as `cause` (status and note as they stood). Returns how many were unassigned.
   */
  unassignUser(user: string, by: string, at = Date.now(), cause: UnassignCause = 'user-removed'): number {
    const t = Math.trunc(at);
    return this.db.transaction(() => {
      const ids = this.db.prepare('SELECT id FROM findings WHERE assignee = ?').pluck().all(user) as number[];
      // the log's assignee column holds the user removed or demoted: the finding's assignee is null after
      const log = this.db.prepare('INSERT INTO triage_log (finding_id, at, by, status, note, cause, assignee) SELECT id, ?, ?, status, status_note, ?, ? FROM findings WHERE id = ?');
      const unset = this.db.prepare('UPDATE findings SET assignee = NULL, assigned_at = ? WHERE id = ?');
      for (const id of ids) {
        log.run(t, by, cause, user, id);
        unset.run(t, id);
      }
      return ids.length;
    })();
  }

  /** A finding's status and assignee changes, oldest first (at most `limit`, the newest kept); null when there is no such finding. */
  history(id: number, limit = 100): TriageEvent[] | null {
    if (this.byId.get(id) === undefined) return null;
    const rows = this.db.prepare('SELECT at, by, status, note, cause, assignee FROM triage_log WHERE finding_id = ? ORDER BY id DESC LIMIT ?').all(id, limit) as TriageLogRow[];
    return rows.reverse().map(triageEventOf);
  }

  /** The finding of `detector` for `entity` (one indexed lookup), or null when there is none. */
  find(detector: string, entity: string): Finding | null {
    const row = this.byKey.get(detector, entity) as Row | undefined;
    return row === undefined ? null : toFinding(row);
  }

  get(id: number): Finding | null {
    const row = this.byId.get(id) as Row | undefined;
    return row === undefined ? null : toFinding(row);
  }

  list(q: FindingsQuery = {}): FindingsPage {
    this.knownDetector(q.detector);
    const readAt = this.clock();
    const limit = Math.min(Math.max(1, Math.trunc(q.limit ?? 50)), FINDINGS_PAGE_MAX);
    const sort = q.sort ?? 'lastSeen';
    const key = SORT_KEYS[sort];
    const col = key.sql;
    const { where, params } = conditions(q);
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, sort);
      where.push(`(${col} < ? OR (${col} = ? AND id < ?))`);
      params.push(c.value, c.value, c.id);
    }
    const sql = `SELECT * FROM findings ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${col} DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit + 1) as Row[];
    const page = rows.slice(0, limit).map(toFinding);
    const last = page.at(-1);
    return rows.length > limit && last !== undefined
      ? { findings: page, next: encodeCursor(sort, key.of(last), last.id), readAt }
      : { findings: page, readAt };
  }

  /** How many findings are in each triage status, of the list's filters but status (one detector, one entity, a score, triaged since, an assignee) when asked. */
  counts(q: Pick<FindingsQuery, 'detector' | 'entity' | 'minScore' | 'triagedSince' | 'assignee'> = {}): Record<FindingStatus, number> {
    this.knownDetector(q.detector);
    const { where, params } = conditions(q);
    const rows = this.db.prepare(`SELECT status, count(*) AS n FROM findings ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY status`).all(...params) as { status: FindingStatus; n: number }[];
    const out = Object.fromEntries(FINDING_STATUSES.map((st) => [st, 0])) as Record<FindingStatus, number>;
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /**
   * A detector filter names a detector of this build or one the store has findings of: a typo
   * (`syn-waves`) listed nothing and read as "no findings".
   */
  private knownDetector(name: string | undefined): void {
    if (name === undefined || (DETECTOR_NAMES as readonly string[]).includes(name)) return;
    if (this.db.prepare('SELECT 1 FROM findings WHERE detector = ? LIMIT 1').get(name) !== undefined) return;
    const stored = (this.db.prepare('SELECT DISTINCT detector FROM findings').all() as { detector: string }[]).map((r) => r.detector);
    const known = [...new Set([...DETECTOR_NAMES, ...stored])].sort();
    throw new AppError('FINDINGS_UNKNOWN_DETECTOR', 'bad_request', `findings: no detector '${name}'; the detectors are ${known.join(', ')}`, { detector: name, known });
  }

  /** The findings webhooks' marks and the raisings after one (`nml serve`'s notify wiring; a store opened for writing). */
  notifyMarks(): NotifyMarksTable {
    return (this.marks ??= new NotifyMarksTable(this.db));
  }

  /** Called after each `record` with the rows it changed and what it did to each (`Sighting`, in the same order); returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Deletes findings last seen before `before` (ms) whose latest sighting, triage and assignment on the
   * store's clock were before it too (a replayed old log's findings are kept as long as new ones); returns how many.
   */
  prune(before: number): number {
    return this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM findings WHERE last_seen < ? AND sighted_at < ? AND (status_at IS NULL OR status_at < ?) AND (assigned_at IS NULL OR assigned_at < ?)').run(before, before, before, before).changes;
      if (n > 0) this.db.prepare('DELETE FROM triage_log WHERE finding_id NOT IN (SELECT id FROM findings)').run();
      return n;
    })();
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }
}

/** The WHERE terms of a query's filters (detector, status, score, time), with their parameters. */
function conditions(q: Omit<FindingsQuery, 'sort' | 'limit' | 'cursor'>): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const filter = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (q.detector !== undefined) filter('detector = ?', q.detector);
  if (q.entity !== undefined) filter('entity = ?', q.entity);
  if (q.status !== undefined) {
    where.push(`status IN (${q.status.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...q.status);
  }
  if (q.minScore !== undefined) filter('score >= ?', q.minScore);
  if (q.from !== undefined) filter('last_seen >= ?', q.from);
  if (q.to !== undefined) filter('first_seen < ?', q.to);
  if (q.triagedSince !== undefined) filter('status_at >= ?', q.triagedSince);
  if (q.assignee === null) where.push('assignee IS NULL');
  else if (q.assignee !== undefined) filter('assignee = ?', q.assignee);
  return { where, params };
}

/** A change names a status or an assignee, and a note it keeps whole. */
function checkChange(change: FindingChange): void {
  if (change.status === undefined && change.assignee === undefined) throw new AppError('FINDINGS_INVALID', 'bad_request', 'findings: the change names neither a status nor an assignee; give one or both');
  const note = change.note ?? null;
  if (note !== null && note.length > TRIAGE_NOTE_MAX) throw new AppError('FINDINGS_INVALID', 'bad_request', `the triage note is ${note.length} characters; at most ${TRIAGE_NOTE_MAX} are kept: shorten it`);
}

function validate(f: NewFinding): void {
  const bad = (what: string) =>
    new AppError('FINDINGS_INVALID', 'bad_request', `finding from detector ${JSON.stringify(f.detector)} for ${JSON.stringify(f.entity)}: ${what}`);
  if (typeof f.detector !== 'string' || f.detector.length === 0) throw bad('detector name is empty');
  if (typeof f.entity !== 'string' || f.entity.length === 0) throw bad('entity is empty');
  if (!(f.score >= 0 && f.score <= 1)) throw bad(`score ${f.score} is not in [0, 1]`);
  // a sighting's time is ms since 1970, no later than a Date holds: one past that breaks every list of findings
  if (!(typeof f.time === 'number' && f.time >= 0 && f.time <= MAX_TIME_MS)) throw bad(`time ${f.time} is not a number of ms from 1970 to year 275760 (what a Date holds)`);
  if (f.firstSeen !== undefined && !(typeof f.firstSeen === 'number' && f.firstSeen >= 0 && f.firstSeen <= f.time)) throw bad(`firstSeen ${f.firstSeen} is not a time (ms) from 1970 to its time ${f.time}`);
  if (f.sightings !== undefined && !(Number.isSafeInteger(f.sightings) && f.sightings >= 1)) throw bad(`sightings ${f.sightings} is not a whole number ≥ 1`);
}

/** The latest time a Date holds (ms). */
const MAX_TIME_MS = MAX_DATE_MS;


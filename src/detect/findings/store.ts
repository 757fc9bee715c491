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
import { FINDING_STATUSES, type Finding, type FindingStatus, type FindingsSink, type NewFinding } from '../detector.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { NotifyMarksTable } from './notify-marks-table.js';
import { checkedReadOnly, openWritable, toFinding, type Row } from './schema.js';
import { nextIdSql, raiseFloors, topIds } from './id-floors.js';
import { FindingChanges, type FindingChange, type TriageMatch } from './changes.js';
import { checkKnownDetector, conditions, FINDINGS_PAGE_MAX, SORT_KEYS, type FindingsPage, type FindingsQuery } from './query.js';

/**
 * What a `record` did to each finding it changed: raised it (`new`), opened a resolved one again
 * (`reopened`), or saw an open, acknowledged or false-positive one again (`again`). Notifications
 * send the first two only.
 */
export type Sighting = 'new' | 'reopened' | 'again';

/** `logIds`: for each reopened finding the id of the triage-log entry its reopening wrote (its place in the reopenings' sequence), else null. */
type Listener = (changed: Finding[], sightings: readonly Sighting[], logIds: readonly (number | null)[]) => void;

export class FindingsStore implements FindingsSink {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly byKey: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly logReopen: Database.Statement;
  /** a person's changes: status, note, assignee */
  private readonly changes: FindingChanges;
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
      INSERT INTO findings (id, detector, entity, score, threshold, model_version, time, first_seen, last_seen, count, explanation, evidence, sighted_at)
      VALUES (${nextIdSql(this.db, 'findings')}, @detector, @entity, @score, @threshold, @modelVersion, @time, @firstSeen, @time, @sightings, @explanation, @evidence, @now)
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
    this.logReopen = this.db.prepare(`INSERT INTO triage_log (id, finding_id, at, by, status, note, cause) VALUES (${nextIdSql(this.db, 'triage_log')}, ?, ?, NULL, 'open', ?, 'sighting')`);
    this.changes = new FindingChanges(this.db, clock);
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
    return this.changes.many(ids, change, by, at);
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
    return this.changes.matching(q, change, by, at);
  }

  /**
   * Unassigns every finding assigned to `user`, who has been removed or made a viewer (`by`: who did it):
   * nobody would act on those findings, and the Assigned filter would hide them from the shift. Each is
   * logged as `cause` (status and note as they stood). Returns how many were unassigned.
   */
  unassignUser(user: string, by: string, at = Date.now(), cause: UnassignCause = 'user-removed'): number {
    return this.changes.unassignUser(user, by, at, cause);
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
    checkKnownDetector(this.db, q.detector);
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
    checkKnownDetector(this.db, q.detector);
    const { where, params } = conditions(q);
    const rows = this.db.prepare(`SELECT status, count(*) AS n FROM findings ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY status`).all(...params) as { status: FindingStatus; n: number }[];
    const out = Object.fromEntries(FINDING_STATUSES.map((st) => [st, 0])) as Record<FindingStatus, number>;
    for (const r of rows) out[r.status] = r.n;
    return out;
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
      const tops = topIds(this.db); // kept as floors, so that no id is given again (id-floors.ts)
      const n = this.db.prepare('DELETE FROM findings WHERE last_seen < ? AND sighted_at < ? AND (status_at IS NULL OR status_at < ?) AND (assigned_at IS NULL OR assigned_at < ?)').run(before, before, before, before).changes;
      if (n > 0) {
        this.db.prepare('DELETE FROM triage_log WHERE finding_id NOT IN (SELECT id FROM findings)').run();
        raiseFloors(this.db, tops);
      }
      return n;
    })();
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }
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


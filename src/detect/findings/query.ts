/**
 * What a findings list asks and gets: its filters, sorts and pages, the WHERE terms its filters make
 * (a list, the status counts and a change of all that match share them), and a finding id or statuses
 * as typed, and a detector filter checked. The list's own statements are the store's.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../core/index.js';
import { DETECTOR_NAMES, FINDING_STATUSES, type Finding, type FindingStatus } from '../detector.js';
import { TRIAGED_KEY } from './schema.js';

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

/** How a findings list is ordered (see FindingsQuery.sort). */
export const FINDINGS_SORTS = ['lastSeen', 'score', 'sighted', 'triaged', 'id'] as const;
export type FindingsSort = (typeof FINDINGS_SORTS)[number];

/**
 * Each sort's key: a column, or for `triaged` when a person last set the status, -1 for a finding
 * nobody has (after every triaged one; a keyset cursor needs a number). The expression is the one
 * the `findings_triaged` index is made on (schema.ts), so that SQLite uses it.
 */
export const SORT_KEYS: Record<FindingsSort, { sql: string; of: (f: Finding) => number }> = {
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

export const FINDINGS_PAGE_MAX = 1000;

/** The WHERE terms of a query's filters (detector, status, score, time), with their parameters. */
export function conditions(q: Omit<FindingsQuery, 'sort' | 'limit' | 'cursor'>): { where: string[]; params: unknown[] } {
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

/**
 * A detector filter names a detector of this build or one the store has findings of: a typo
 * (`syn-waves`) listed nothing and read as "no findings".
 */
export function checkKnownDetector(db: Database.Database, name: string | undefined): void {
  if (name === undefined || (DETECTOR_NAMES as readonly string[]).includes(name)) return;
  if (db.prepare('SELECT 1 FROM findings WHERE detector = ? LIMIT 1').get(name) !== undefined) return;
  const stored = (db.prepare('SELECT DISTINCT detector FROM findings').all() as { detector: string }[]).map((r) => r.detector);
  const known = [...new Set([...DETECTOR_NAMES, ...stored])].sort();
  throw new AppError('FINDINGS_UNKNOWN_DETECTOR', 'bad_request', `findings: no detector '${name}'; the detectors are ${known.join(', ')}`, { detector: name, known });
}

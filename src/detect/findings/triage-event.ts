/**
 * A finding's history entry (`triage_log`) as the store gives it: who changed its status or assignee,
 * when, and why. In: a row of the log. Out: a TriageEvent. Never: reads or writes the database.
 */
import type { FindingStatus } from '../detector.js';

/**
 * One change of a finding: of its status by a person (`triage`), or by a sighting that opened a resolved
 * finding again; or of its assignee (`assign`: `status` and `note` as they stood, unchanged).
 */
export interface TriageEvent {
  /** ms, wall clock */
  at: number;
  /** who (null for a sighting) */
  by: string | null;
  status: FindingStatus;
  note: string;
  cause: 'person' | 'sighting' | 'assignment' | UnassignCause;
  /** an `assignment`'s: the user it assigned the finding to, null when it took the assignee away; a `user-removed`'s or `user-demoted`'s: null; absent on the others */
  assignee?: string | null;
  /** a `user-removed`'s: the user whose removal unassigned the finding (`by` removed them) */
  removedUser?: string;
  /** a `user-demoted`'s: the user made a viewer, which unassigned the finding (`by` changed their role) */
  demotedUser?: string;
}

/** Why a user's findings were all unassigned: the user was removed, or made a viewer (who cannot act on them). */
export type UnassignCause = 'user-removed' | 'user-demoted';

/** A `triage_log` row: its `assignee` column is an assignment's new assignee, a user-removed's user removed, a user-demoted's user demoted, and empty on the others. */
export type TriageLogRow = Omit<TriageEvent, 'assignee' | 'removedUser' | 'demotedUser'> & { assignee: string | null };

/** The history entry of a log row, the assignee column given under the name its cause calls it. */
export function triageEventOf({ assignee, ...e }: TriageLogRow): TriageEvent {
  if (e.cause === 'assignment') return { ...e, assignee };
  if (e.cause === 'user-removed') return { ...e, assignee: null, removedUser: assignee ?? '' };
  if (e.cause === 'user-demoted') return { ...e, assignee: null, demotedUser: assignee ?? '' };
  return e;
}

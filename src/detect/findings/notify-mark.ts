/**
 * The findings webhooks' marks: how far each webhook's announcements go in the findings store's raisings,
 * so that a crash (SIGKILL, out of memory, power) loses no finding's message. `findings.db` itself is the
 * durable record of what was raised: a new finding's id and a reopening's triage-log id only grow. A
 * webhook's mark (`notify_marks`, notify-marks-table.ts) says that every raising up to it went out in a
 * message that was delivered or given up (or was not for that webhook); it moves only when such a message
 * is done, or when the webhook has nothing waiting. At the next start what the outbox holds is sent, and
 * the raisings after both the mark and the outbox's messages (a window still open, the last second's
 * messages) are offered again. Pure helpers here; the SQL is notify-marks-table.ts's.
 */
import type { NotifyMark, RaisedFinding } from './notify-message.js';

/** No raising at all: an empty store's mark. */
export const NO_MARK: NotifyMark = Object.freeze({ finding: 0, reopen: 0 });

/** The later of two marks, each sequence on its own (both statements hold, so their union does). */
export const laterMark = (a: NotifyMark, b: NotifyMark): NotifyMark => ({ finding: Math.max(a.finding, b.finding), reopen: Math.max(a.reopen, b.reopen) });

/** The earlier of two marks, each sequence on its own. */
export const earlierMark = (a: NotifyMark, b: NotifyMark): NotifyMark => ({ finding: Math.min(a.finding, b.finding), reopen: Math.min(a.reopen, b.reopen) });

/** Whether everything up to `upTo` lies at or before `mark` (a message whose `upTo` it covers was done). */
export const covers = (mark: NotifyMark, upTo: NotifyMark): boolean => upTo.finding <= mark.finding && upTo.reopen <= mark.reopen;

/** Whether `m` reads as a mark (from a file or the store). */
export const isMark = (m: unknown): m is NotifyMark => {
  const x = m as Partial<NotifyMark> | null;
  return typeof x === 'object' && x !== null && Number.isSafeInteger(x.finding) && Number.isSafeInteger(x.reopen);
};

/** The mark a `record`'s raisings reach: its new findings' ids and its reopenings' triage-log ids; null when it raised none. */
export function markOf(raised: readonly RaisedFinding[]): NotifyMark | null {
  let finding = 0;
  let reopen = 0;
  for (const r of raised) {
    if (r.raised === 'new') finding = Math.max(finding, r.finding.id);
    else if (r.logId !== undefined) reopen = Math.max(reopen, r.logId);
  }
  return finding === 0 && reopen === 0 ? null : { finding, reopen };
}

/**
 * Whether a raising the store lists since a mark (`NotifyMarksTable.raisedSince`) is after `covered`
 * for one webhook: a new finding by its id; a reopening by its log id, unless the finding itself is after
 * the mark (it is announced as new, once).
 */
export function isAfter(r: RaisedFinding, covered: NotifyMark): boolean {
  if (r.raised === 'new') return r.finding.id > covered.finding;
  return r.logId !== undefined && r.logId > covered.reopen && r.finding.id <= covered.finding;
}

/**
 * What one webhook's announcements cover at start: its stored mark, and the messages of the outbox that
 * are sent again (each went out, or will, with every raising up to its `upTo`). Raisings after this are
 * in no message and are offered again.
 */
export function coveredAtStart(mark: NotifyMark, kept: ReadonlyArray<{ batch: { upTo?: NotifyMark } }>): NotifyMark {
  return kept.reduce((m, k) => (k.batch.upTo === undefined ? m : laterMark(m, k.batch.upTo)), mark);
}

/**
 * The outbox's messages that were still waiting: one whose `upTo` the webhook's mark covers was done
 * after the outbox was last written (the keeper writes at most once a second) and is not sent again.
 */
export function stillWaiting<T extends { batch: { upTo?: NotifyMark } }>(kept: readonly T[], mark: NotifyMark): { waiting: T[]; done: number } {
  const waiting = kept.filter((k) => k.batch.upTo === undefined || !covers(mark, k.batch.upTo));
  return { waiting, done: kept.length - waiting.length };
}

/**
 * The names findings may be assigned to (`GET /api/findings/assignees`: analysts and admins), kept for the
 * page's life: the Alerts page's pickers open often (each row's, the bar's) and the list changes seldom.
 * It is read again when older than ASSIGNEES_FRESH_MS or after a read that failed, and forgotten at once
 * when this page adds, changes or removes a user (Account › Users), so a user removed there is not offered.
 */
import { request } from './api.ts';
import type { FindingAssigneesResponse } from './types.ts';

/** how long the names are used without asking again (ms) */
export const ASSIGNEES_FRESH_MS = 60_000;

let kept: { names: string[]; at: number } | null = null;
let reading: Promise<string[]> | null = null;
/** bumped by forgetAssignees: a read begun before it keeps nothing */
let era = 0;

/** The names as last read, and whether they are still fresh at `now`; null when none are kept. */
export function keptAssignees(now = Date.now()): { names: string[]; fresh: boolean } | null {
  return kept === null ? null : { names: kept.names, fresh: now - kept.at < ASSIGNEES_FRESH_MS };
}

/** Reads the names and keeps them; pickers that ask meanwhile share the one read. A failed read keeps nothing. */
export function readAssignees(): Promise<string[]> {
  if (reading !== null) return reading;
  const mine = era;
  const read = request<FindingAssigneesResponse>('/api/findings/assignees').then((r) => {
    if (mine === era) kept = { names: r.assignees, at: Date.now() };
    return r.assignees;
  });
  reading = read;
  const done = () => {
    if (reading === read) reading = null;
  };
  read.then(done, done);
  return read;
}

/** Forgets the names (a user was added, changed or removed here): the next picker opened reads them anew. */
export function forgetAssignees(): void {
  kept = null;
  reading = null;
  era += 1;
}

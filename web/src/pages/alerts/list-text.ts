/**
 * The Alerts list's settings and words: its menus' choices, how often it reads again, what it says when a
 * read fails or nothing matches, and where the focus goes after a change (AlertsPage.tsx draws the list).
 */
import { isApiError } from '../../lib/api.ts';
import type { StatusFilter } from './Triage.tsx';

/** the Detector menu's choices ('' is all) */
export const DETECTORS = ['', 'url', 'syn', 'syn-flood', 'syn-wave', 'watch'];

/**
 * The Sort menu's choices, `sort=` of the address and of GET /api/findings: '' (the default, left out of
 * the address) is most recently raised or seen again first, where a finding of an old log loaded today is
 * new work, not the oldest row.
 */
export const SORTS: readonly { key: string; api: 'sighted' | 'triaged' | 'score'; label: string }[] = [
  { key: '', api: 'sighted', label: 'raised or seen again' },
  { key: 'triaged', api: 'triaged', label: 'triaged (newest first)' },
  { key: 'score', api: 'score', label: 'score (highest first)' },
];

/**
 * The sort an address names, by its key or by the API's name for it (`sort=sighted`, as a hand-made link
 * may write the default), and the name when it is neither (a hand-edited link): the default, said so.
 */
export function sortOf(param: string | null): { sort: (typeof SORTS)[number]; unknown: string | null } {
  const named = param === null || param === '' ? undefined : SORTS.find((s) => s.key === param || s.api === param);
  return { sort: named ?? SORTS[0]!, unknown: named === undefined && param !== null && param !== '' ? param : null };
}

/** How often the first page is fetched again, and how often relative times move on. */
export const REFRESH_MS = 15_000;

/** Why a request for the list failed, in words. */
const failedBecause = (e: unknown): string => (isApiError(e) ? `the server answered with an error (${e.message})` : 'cannot reach the server');
/** A failed background refresh, in words: the list below is what was last read. */
export function refreshFailure(e: unknown): string {
  const what = failedBecause(e);
  return `The list is not updating: ${what}; retrying every ${REFRESH_MS / 1000} s. The findings below are as last read.`;
}
/** How soon a first page that failed to load is asked for again, until it loads. */
export const RETRY_MS = 5_000;
/** A failed load of the list, in words. */
export function loadFailure(e: unknown, previous: boolean): string {
  const what = failedBecause(e);
  const rows = previous ? ' The findings below are as last read for this filter.' : ' No findings are shown: those listed before were of the previous filter.';
  return `The findings could not be loaded: ${what}; retrying every ${RETRY_MS / 1000} s.${rows}`;
}
/** rows per page, and the most a refresh reads again (the API's page limit) */
export const PAGE = 50;
export const REFRESH_MAX = 1000;
export const TICK_MS = 5_000;
/** The table's columns, for the triage form's row under a finding. */
export const COLUMNS = 10;

export function emptyText(filter: StatusFilter, detector: string, entity: string, triaged: string, assigned = ''): { title: string; body: string } {
  const of = `${detector === '' ? '' : ` of ${detector}`}${entity === '' ? '' : ` for ${entity}`}${assigned === '' ? '' : ` ${assigned}`}`;
  if (triaged !== '') return { title: 'Nothing triaged', body: `No ${filter.key === 'all' ? '' : `${filter.label.toLowerCase()} `}finding${of} had its status set by a person ${triaged}.` };
  if (filter.key === '') return { title: 'Nothing to do', body: `No open or acknowledged findings${of}. Resolved and false-positive ones are under their own filters and All.` };
  if (filter.key === 'all') return { title: 'No findings', body: `Nothing scored above its threshold${detector === '' ? '' : ` for ${detector}`}${entity === '' ? '' : ` of ${entity}`}.` };
  return { title: `No ${filter.label.toLowerCase()} findings`, body: `No finding${of} has this status.` };
}

/** Moves the focus to a finding's status chip once the page has drawn (after its triage form closes). */
export function focusChip(id: number): void {
  requestAnimationFrame(() => document.getElementById(`triage-${id}`)?.focus());
}

/**
 * Once the bar for the ticked findings has gone (a change made, or Clear), the focus it held goes to the
 * box that ticks every finding shown, or with no rows left to the status filter; it fell to the page's
 * body, and a keyboard user started over from the skip link (an operator walk). Left alone when the
 * person has moved on meanwhile (a change takes a moment).
 */
export function focusAfterBulk(): void {
  const at = document.activeElement;
  if (at !== null && at !== document.body) return;
  (document.getElementById('alerts-select-all') ?? document.querySelector<HTMLElement>('.status-filter [aria-pressed="true"]'))?.focus();
}

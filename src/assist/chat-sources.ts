/** What chat reads (the log store, the pivots) and what its answers cite: the shapes chat.ts and chat-logins.ts share. */
import type { TimeRange } from '../core/index.js';
import type { Hit, SkippedShard } from '../search/index.js';
import type { Investigator } from '../investigate/index.js';

/** A log search that shows what a citation stands on (the Search page opens it): a query and its range, ms. */
export interface CitedSearch {
  q: string;
  from: number;
  to: number;
}

/**
 * `search`: the log lines behind a log or pivot citation. Until 2026-12 a citation was a reference only
 * (`2026/11/20/03/00.db#8`, `ip:… out login_failed user:root`) that nothing on the page opened.
 */
export interface Citation {
  kind: 'incident' | 'log' | 'pivot';
  ref: string;
  snippet: string;
  search?: CitedSearch;
}

/** A stored line found by `q`: the same query over the line's own second. */
export function lineSearch(q: string, h: Hit): CitedSearch {
  return { q, from: h.time, to: h.time + 1000 };
}

/**
 * What chat's log questions read (hosts, logins, sightings): the last 7 days, and a minute past `now` so that a line
 * stamped by a clock a little ahead is not missed.
 */
export function chatRange(now: number): TimeRange {
  return { from: now - 7 * 86_400_000, to: now + 60_000 };
}

/** The log store as chat needs it (a Searcher); `skipped`: the damaged shards the page left out. */
export interface LogPages {
  page(query: string, range: TimeRange, limit: number, cursor?: string | null): Promise<{ hits: Hit[]; skipped?: readonly SkippedShard[] }>;
}

/** Pivots from the investigation stage: neighbours of an entity by relation. */
export type PivotSource = Pick<Investigator, 'pivot'>;

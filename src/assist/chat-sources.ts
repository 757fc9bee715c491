/** What chat reads (the log store, the pivots) and what its answers cite: the shapes chat.ts and chat-logins.ts share. */
import type { TimeRange } from '../core/index.js';
import type { Hit } from '../search/index.js';
import type { Investigator } from '../investigate/index.js';

export interface Citation {
  kind: 'incident' | 'log' | 'pivot';
  ref: string;
  snippet: string;
}

/** The log store as chat needs it (a Searcher). */
export interface LogPages {
  page(query: string, range: TimeRange, limit: number, cursor?: string | null): Promise<{ hits: Hit[]; skipped?: readonly unknown[] }>;
}

/** Pivots from the investigation stage: neighbours of an entity by relation. */
export type PivotSource = Pick<Investigator, 'pivot'>;

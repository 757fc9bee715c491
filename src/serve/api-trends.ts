/** `GET /api/trends`: its query string and reply (see api.ts: a shape file that imports nothing). */
export interface TrendsParams {
  /** `day` (default) or `week` */
  period?: 'day' | 'week';
  /** how many periods of history to return; default 90 */
  limit?: number;
}

export interface TrendsPointBody {
  start: string;
  /** reports of the type in the period; null in a collection gap */
  observed: number | null;
  /** probability predicted at the end of the period before; null when that period was not usable */
  probability: number | null;
  /** the current period, not over yet */
  partial?: boolean;
  /** in a collection gap (`observed` null: too few documents that month to count), the documents of the type it holds, when any */
  uncounted?: number;
}

export interface TrendsDriverBody {
  name: string;
  weight: number;
  detail?: string;
  below?: true;
}

export interface TrendsTypeBody {
  type: string;
  label: string;
  points: TrendsPointBody[];
  /** the coming period: its probability, the features and terms behind it, calendar dates, and the documents that carried them */
  next: {
    start: string;
    probability: number;
    /** what raised the probability most, strongest first; `weight`: what it adds to the log-odds; `below`: it acts by being under its training mean */
    drivers: TrendsDriverBody[];
    /** what lowered it most, strongest first; `weight` is negative */
    lowering: TrendsDriverBody[];
    calendar: string[];
    /** `certainty`: the classifier's probability that a collected document is of the type (absent for a labelled incident report) */
    documents: { id: string; title: string; url: string | null; time: string; certainty?: number }[];
    /** too little data in the window this prediction reads, else null */
    warning: string | null;
    /**
     * the reports of the type already in the period forecast (it is not over), null when none: the
     * forecast stands, the type has been reported; `documents`: the `GET /api/trends/documents` path listing them
     */
    reported: { count: number; documents: string } | null;
  };
}

/** `GET /api/trends/documents`: the documents behind one count (a type in one period), a page of them. */
export interface TrendsDocumentsParams {
  type: string;
  /** `day` (default) or `week` */
  period?: 'day' | 'week';
  /** any time in the period: `2026-12-03` or `2026-12-03T00:00:00.000Z` (UTC) */
  start: string;
  /** default 0 */
  offset?: number;
  /** default 20, at most 100 */
  limit?: number;
}

export interface TrendsDocumentsResponse {
  type: string;
  period: 'day' | 'week';
  /** the period's start, ISO */
  start: string;
  /** the documents of the type in the period: its `observed` where its month is covered, else its `uncounted` */
  total: number;
  offset: number;
  /** newest first; `url` only http(s); `source`: the collector source, `hackmageddon` for a dated incident report */
  documents: { id: string; title: string; url: string | null; time: string; source: string | null; certainty?: number }[];
}

export interface TrendsSourceBody {
  name: string;
  fetches: number;
  notModified: number;
  items: number;
  stored: number;
  duplicates: number;
  errors: Record<string, number>;
  lastError: string | null;
  /** when the last error happened (ms), kept after the source recovers; absent from a server before it */
  lastErrorAt?: number | null;
  /** its last try failed (a fetch since then clears it); absent from a server before it, where any error counted */
  failing?: boolean;
  charsetMismatches: number;
  futureDated: number;
  undated: number;
  lastFetchAt: number | null;
}

export interface TrendsResponse {
  period: 'day' | 'week';
  generatedAt: string;
  /**
   * `window`: the documents of the window the forecast reads, by kind; `unread`: those of them the
   * attack-type classifier could not read (counted as no type), absent when there are none
   */
  basis: {
    historyDocs: number;
    collectedDocs: number;
    window: { from: string; periods: number; history: number; collected: number; demo: number };
    unread?: { documents: number; language: Record<string, number>; fewKnownWords: number };
  };
  /** the model card's measured weakness of the weekly model, else null */
  caveat: string | null;
  /** too little data in the window the forecast reads, else null */
  warning: string | null;
  types: TrendsTypeBody[];
  sources: TrendsSourceBody[];
}

/**
 * The shapes of searching the logs: `GET /api/search` (pages and exports), `/api/count`, `/api/search/pin`,
 * `/api/histogram` and `/api/facets` (see api.ts: shapes only, importing only sibling shape files).
 */

/** Query string of `GET /api/search`. Times: ISO-8601, `now`, `-15m`, epoch ms, `2017/10/17/15/*`. */
export interface SearchParams {
  q?: string;
  from?: string;
  to?: string;
  /** ms: only lines stored by then count (a search pinned to a moment: every request of it counts the same lines) */
  asOf?: number;
  /** default 100, at most 10,000 for a page; with format=ndjson, no limit unless given */
  limit?: number;
  cursor?: string;
  /** `1`: hits carry parsed fields and entities */
  fields?: '0' | '1' | 'true' | 'false';
  /** `1`: the reply also carries the total count */
  count?: '0' | '1' | 'true' | 'false';
  /** `ndjson`: stream every hit, one JSON object per line (same as `Accept: application/x-ndjson`); `lines`: every hit's raw line */
  format?: 'json' | 'ndjson' | 'lines';
  /** `1` with an export: a file to save, named for the range (Content-Disposition: attachment) */
  download?: '0' | '1' | 'true' | 'false';
}

export interface CountParams {
  q?: string;
  from?: string;
  to?: string;
  /** ms: only lines stored by then count (a search pinned to a moment: every request of it counts the same lines) */
  asOf?: number;
}

export interface SearchHit {
  rowid: number;
  /** event time, ms since epoch */
  time: number;
  receivedAt: number;
  source: string;
  raw: string;
  /** the shard file the hit came from, relative to the data directory */
  shard: string;
  /** the host the line's source gives it, where it has one (a syslog sender's address, a host named for a file or an ingest); `host` of the fields is the header's own host, else this */
  sourceHost?: string;
}

export interface ApiEntity {
  kind: 'ip' | 'port' | 'user' | 'domain' | 'mac' | 'url' | 'email';
  value: string;
}

/** A hit with the fields of its line parsed again (`fields=1`). */
export interface EnrichedSearchHit extends SearchHit {
  host: string | null;
  app: string | null;
  pid: string | null;
  severity: number | null;
  facility: number | null;
  msgid?: string | null;
  structured?: Record<string, Record<string, string>> | null;
  message: string;
  format: string;
  entities: ApiEntity[];
}

/**
 * A shard a search left out because it is damaged (its file is named among the store's problems, with
 * what to do): its file relative to the data directory and the span of time it holds (epoch ms, both
 * ends included). Matches from that span may be missing, and a count is then a lower bound.
 */
export interface ApiSkippedShard {
  file: string;
  from: number;
  to: number;
}

export interface SearchResponse {
  hits: SearchHit[] | EnrichedSearchHit[];
  /** pass back as `cursor` for the next page; null exactly when no hit is left */
  cursor: string | null;
  /** present when asked for with `count=1` */
  count?: number;
  tookMs: number;
  shardsSearched: number;
  /** damaged shards left out (with `count=1`, those the count left out too); empty when none */
  skipped: ApiSkippedShard[];
}

/** The last line of an NDJSON export that left damaged shards out: its hits are all there were in the shards read. */
export interface ExportWarningLine {
  warning: { code: 'SEARCH_SHARDS_SKIPPED'; message: string; details: { skipped: ApiSkippedShard[] } };
}

/** `GET /api/search/pin`: the pin of a search left open is still in use, and a further page of it would be answered */
export interface PinParams {
  from?: string;
  to?: string;
  asOf: number;
}

export interface PinResponse {
  /** shards of the range holding lines stored by `asOf` */
  shards: number;
}

export interface CountResponse {
  /** a lower bound when `skipped` is not empty */
  count: number;
  tookMs: number;
  shardsSearched: number;
  skipped: ApiSkippedShard[];
}

/** Query string of `GET /api/histogram`; without `from`, it starts at the oldest stored line, without `to` at now. */
export interface HistogramParams {
  q?: string;
  from?: string;
  to?: string;
  /** ms: only lines stored by then count (a search pinned to a moment: every request of it counts the same lines) */
  asOf?: number;
  /** about how many buckets (default 60, 1-1000): the interval is rounded up to a readable one, and aligning the first bucket may add one */
  buckets?: number;
}

export interface HistogramBucket {
  /** bucket start, ms since epoch; the bucket is [t, t + interval) cut to [from, to) */
  t: number;
  count: number;
}

export interface HistogramResponse {
  from: number;
  to: number;
  /** bucket width in ms */
  interval: number;
  buckets: HistogramBucket[];
  /** sum of the buckets: exact */
  total: number;
  tookMs: number;
  shardsSearched: number;
  /** damaged shards left out: their time's buckets may be short */
  skipped: ApiSkippedShard[];
}

export interface FacetsParams {
  q?: string;
  from?: string;
  to?: string;
  /** ms: only lines stored by then count (a search pinned to a moment: every request of it counts the same lines) */
  asOf?: number;
  field: 'host' | 'app';
  /** values to return (default 10, at most 100) */
  limit?: number;
  /** newest matches to look at (default 2000, at most 20000) */
  sample?: number;
}

export interface FacetsResponse {
  field: 'host' | 'app';
  /** most frequent first; lines without the field count under `value: null` */
  values: { value: string | null; count: number }[];
  /** counted over the newest `rows` of `total` matches */
  sampled: { rows: number; total: number };
  tookMs: number;
}

/**
 * The HTTP API's request and response shapes, for clients (the web UI imports this file with
 * `import type`). Self-contained on purpose: no imports at all, so a client's type-check never pulls
 * in server code. The routes type their replies with these, so server values that drift fail to compile.
 */

/** `kind` of an error body: core's ErrorKind plus `unauthorized`, which only the HTTP layer produces. */
export type ApiErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'conflict'
  | 'too_many_requests'
  | 'timeout'
  | 'unavailable'
  | 'internal';

/** Every non-2xx reply. `code` is stable and listed in docs/errors.md. */
export interface ApiErrorBody {
  error: {
    code: string;
    kind: ApiErrorKind;
    message: string;
    details?: Record<string, unknown>;
  };
}

export interface HealthResponse {
  status: 'ok';
  version: string;
}

/** One NDJSON line of `POST /api/ingest` with `Content-Type: application/x-ndjson`. */
export interface IngestNdjsonLine {
  line: string;
  /** ms since epoch; default: when the request arrived */
  receivedAt?: number;
  /** default: `http:<remote ip>` */
  source?: string;
}

export interface IngestResponse {
  /** lines committed (durable and searchable) before this reply was sent */
  accepted: number;
}

/** Query string of `GET /api/search`. Times: ISO-8601, `now`, `-15m`, epoch ms, `2017/10/17/15/*`. */
export interface SearchParams {
  q?: string;
  from?: string;
  to?: string;
  /** default 100, at most 10,000 for a page; with format=ndjson, no limit unless given */
  limit?: number;
  cursor?: string;
  /** `1`: hits carry parsed fields and entities */
  fields?: '0' | '1' | 'true' | 'false';
  /** `1`: the reply also carries the total count */
  count?: '0' | '1' | 'true' | 'false';
  /** `ndjson`: stream every hit, one JSON object per line (same as `Accept: application/x-ndjson`) */
  format?: 'json' | 'ndjson';
}

export interface CountParams {
  q?: string;
  from?: string;
  to?: string;
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

export interface SearchResponse {
  hits: SearchHit[] | EnrichedSearchHit[];
  /** pass back as `cursor` for the next page; null when there is none */
  cursor: string | null;
  /** present when asked for with `count=1` */
  count?: number;
  tookMs: number;
  shardsSearched: number;
}

/** The last line of an NDJSON export that failed part-way; a complete export never has one. */
export type ExportErrorLine = ApiErrorBody;

export interface CountResponse {
  count: number;
  tookMs: number;
  shardsSearched: number;
}

export interface ApiStoreStats {
  shards: number;
  sealedShards: number;
  rows: number;
  bytes: number;
  committedLines: number;
  failedLines: number;
  queuedLines: number;
  diskFreeBytes: number | null;
  oldest: number | null;
  newest: number | null;
}

export interface ApiSourceStats {
  name: string;
  received: number;
  bytes: number;
  drops: Record<string, number>;
}

export interface StatsResponse {
  store: ApiStoreStats;
  sources: ApiSourceStats[];
  ingest: {
    /** committed lines per second over the last second and the last minute */
    linesPerSecond: { last1s: number; last60s: number };
    committed: number;
    failed: number;
    queued: number;
  };
  process: { uptimeS: number; rssBytes: number };
}

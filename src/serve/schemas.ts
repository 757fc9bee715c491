/** JSON schemas shared by routes: they validate input, serialize output and become the OpenAPI document. */
import { STATUS_BY_KIND } from './http-errors.js';
import { MAX_QUERY_LENGTH } from '../search/index.js';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableInt = { type: ['integer', 'null'] } as const;

export const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'kind', 'message'],
      properties: {
        code: { ...str, description: 'stable error code, listed in docs/errors.md' },
        kind: { type: 'string', enum: Object.keys(STATUS_BY_KIND) },
        message: str,
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

/** The error replies every authenticated route can give (503/504: the store or a search could not answer). */
export const errorReplies = { 400: errorBody, 401: errorBody, 500: errorBody, 503: errorBody, 504: errorBody } as const;

/**
 * The body of a route that takes none (logout, a user's removal, the pivot reload): nothing, or `{}` (a
 * session cookie's request must be application/json, and the web UI sends `{}`). Anything more is refused,
 * and the OpenAPI document marks the body optional (openapi.ts), so the spec does not invite one.
 */
export const noBody = { type: ['object', 'null'], maxProperties: 0, description: 'none: send no body, or {} where a session cookie makes the request application/json' } as const;

/** A WebSocket feed's replies: the handshake, or (a plain GET, no credentials, a stopping server) an error. */
export const websocketReplies = { 101: { description: 'switching protocols: the feed\'s messages follow on the WebSocket, as described above' }, ...errorReplies } as const;

/** A time expression: ISO-8601, `now`, `-15m`, epoch ms, or a Hayabusa span `2017/10/17/15/*`. */
export const timeExpr = (what: string) => ({ type: 'string', maxLength: 64, description: `${what}: ISO-8601, now, -15m/-2h/-7d, epoch ms or 2017/10/17/15/*` }) as const;

export const timeParams = { from: timeExpr('start, inclusive'), to: timeExpr('end, exclusive') } as const;

/** `asOf` of the search routes (search, count, histogram, facets): a search pinned to a moment (store/stored-by.ts). */
export const asOfParam = {
  asOf: {
    type: 'integer',
    minimum: 0,
    maximum: 253_402_300_799_999,
    description:
      'ms since 1970 on the server\'s clock (X-NML-Time): only lines the store had stored by then count, whatever their time, so the page, count, histogram, facets, further pages and export of one search, each sent with the same asOf, count the same lines while more arrive (a late line, or one cut to the second, stamped inside the range but stored since, is in none of them). Before the server started, about an hour or more ago where a shard took lines since, or before lines stored into an hour merged since: 409 SEARCH_AS_OF_TOO_OLD; run the search again. An hour is not merged while a search pinned before its last line is read (each request with this asOf, GET /api/search/pin among them, keeps it so for store.compaction.pinIdleMs, 15 min, at most until the pin is an hour old), so a search read on stays answered. Absent: every line stored when the request reads',
  },
} as const;

// no maxLength: the query parser's own refusal (QUERY_TOO_COMPLEX) says more than a schema error would
export const queryParam = { type: 'string', description: `search query, at most ${MAX_QUERY_LENGTH} characters; empty matches everything` } as const;

export const flagParam = { type: 'string', enum: ['0', '1', 'true', 'false'] } as const;

/** Damaged shards a search left out (ApiSkippedShard). */
export const skippedShards = {
  type: 'array',
  description: 'damaged shards left out of this answer (the store problems name them, with what to do): matches in their time span may be missing; empty when none',
  items: {
    type: 'object',
    required: ['file', 'from', 'to'],
    properties: { file: str, from: int, to: int },
  },
} as const;

export const searchHit = {
  type: 'object',
  required: ['rowid', 'time', 'receivedAt', 'source', 'raw', 'shard'],
  properties: {
    rowid: int,
    time: int,
    receivedAt: int,
    source: str,
    raw: str,
    shard: str,
    sourceHost: { type: 'string', description: "the host the line's source gives it where it has one: a syslog sender's address, the host named for a followed file, an `nml ingest --host` or an ingest's ?host=; `host` is the header's own host, else this" },
    host: nullableStr,
    app: nullableStr,
    pid: nullableStr,
    severity: nullableInt,
    facility: nullableInt,
    msgid: nullableStr,
    structured: { type: ['object', 'null'], additionalProperties: { type: 'object', additionalProperties: str } },
    message: str,
    format: str,
    entities: {
      type: 'array',
      items: { type: 'object', required: ['kind', 'value'], properties: { kind: str, value: str } },
    },
  },
} as const;

export const storeStats = {
  type: 'object',
  properties: {
    shards: int,
    sealedShards: int,
    mergedShards: int,
    rows: int,
    bytes: int,
    committedLines: int,
    failedLines: int,
    queuedLines: int,
    queuedBytes: int,
    unpreparedLines: int,
    retentionFailed: int,
    retentionError: { type: ['string', 'null'] },
    retentionRemovedShards: int,
    retentionRemovedLines: int,
    retentionRemovedBytes: int,
    compaction: {
      type: 'object',
      properties: { merges: int, shardsMerged: int, rowsMerged: int, failures: int, deferred: int, waiting: int, lastMergeAt: nullableInt, running: { type: 'boolean' } },
    },
    problems: { type: 'array', items: { type: 'string' } },
    diskFreeBytes: nullableInt,
    oldest: nullableInt,
    newest: nullableInt,
  },
} as const;

export const sourceStats = {
  type: 'object',
  properties: {
    name: str,
    received: int,
    bytes: int,
    drops: { type: 'object', additionalProperties: int },
    truncated: int,
    connections: int,
    refusedConnections: int,
    idleClosed: int,
    unreadable: int,
    notUtf8: int,
    files: {
      type: 'array',
      description: 'followed files (files.follow): the host each one\'s lines get where their header names none (null: none)',
      items: { type: 'object', required: ['path', 'host'], properties: { path: str, host: { type: ['string', 'null'] } } },
    },
  },
} as const;

const backupRun = {
  type: ['object', 'null'],
  properties: { ok: { type: 'boolean' }, startedAt: int, finishedAt: int, durationMs: int, folder: { type: ['string', 'null'] }, files: int, bytes: int, code: { type: ['string', 'null'] }, error: { type: ['string', 'null'] }, pruned: { type: 'array', items: str } },
} as const;

export const backupStats = {
  type: 'object',
  description: 'the scheduled backups (backup.dir), when configured; times in ms since 1970',
  properties: {
    dir: { type: ['string', 'null'], description: 'null to a viewer' },
    everyMs: int,
    keep: int,
    running: { type: 'boolean' },
    nextAt: nullableInt,
    lastSuccess: { type: ['object', 'null'], properties: { at: int, folder: { type: ['string', 'null'] }, files: int, bytes: int, durationMs: int } },
    lastRun: backupRun,
    successes: int,
    failures: int,
    failedInARow: int,
    kept: int,
  },
} as const;

export const statsBody = {
  type: 'object',
  properties: {
    store: storeStats,
    sources: { type: 'array', items: sourceStats },
    ingest: {
      type: 'object',
      properties: {
        linesPerSecond: { type: 'object', properties: { last1s: num, last60s: num } },
        committed: int,
        failed: int,
        queued: int,
      },
    },
    process: { type: 'object', properties: { uptimeS: num, rssBytes: int, anonBytes: nullableInt, fileBytes: nullableInt } },
    detectors: { type: 'object', properties: { url: { type: 'object', additionalProperties: int } } },
    findingsNotify: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, sent: int, failed: int, dropped: int, queued: int } } },
    backup: backupStats,
  },
} as const;

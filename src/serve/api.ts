/**
 * The HTTP API's request and response shapes, for clients (the web UI imports this file with
 * `import type`). Self-contained on purpose: it and its sibling shape files (api-*.ts) import only
 * each other, so a client's type-check never pulls in server code. The routes type their
 * replies with these, so server values that drift fail to compile.
 */
import type { ApiBackupStats, ApiSourceStats } from './api-stats.js';

/** `kind` of an error body: core's ErrorKind (`unauthorized` and `forbidden` come from the HTTP layer). */
export type ApiErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
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
  /** text/plain: a log file's format header lines (Zeek TSV `#fields` …, W3C `#Fields:` …) not stored, as `nml ingest` skips them; absent when none */
  headersSkipped?: number;
  /** lines whose bytes were not UTF-8, stored with U+FFFD (�) in their place; absent when none */
  notUtf8?: number;
}

/** The last line of an NDJSON export that failed part-way; a complete export never has one. */
export type ExportErrorLine = ApiErrorBody;

// ---- Web UI: users and sessions, live tail, live numbers (see .exp/UI_API.md; histogram and facets are in api-search.ts) ----

export type UserRole = 'admin' | 'analyst' | 'viewer';

export interface AuthUser {
  name: string;
  role: UserRole;
}

/** Body of `POST /api/auth/login` (JSON). */
export interface LoginRequest {
  username: string;
  password: string;
}

/** `POST /api/auth/login` and `GET /api/auth/me`. */
export interface MeResponse {
  user: AuthUser;
}

/** Body of `POST /api/auth/password` (JSON): the logged-in user's own password. */
export interface PasswordChangeRequest {
  current: string;
  password: string;
}

/** A user as `GET /api/users` (admins only) lists it; times in epoch ms. */
export interface UserInfo extends AuthUser {
  created: number;
  updated: number;
}

export interface UsersResponse {
  users: UserInfo[];
}

/** Body of `POST /api/users` (admins only). */
export interface UserCreateRequest {
  name: string;
  role: UserRole;
  password: string;
}

/** Body of `PATCH /api/users/:name` (admins only): a new role, a new password (ends the user's sessions), or both. */
export interface UserUpdateRequest {
  role?: UserRole;
  password?: string;
}

/** `POST /api/users` and `PATCH /api/users/:name`. */
export interface UserResponse {
  user: UserInfo;
}

/** One entry of `GET /api/audit` (admins and the token): who did what, from where, and whether it was done. */
export interface AuditEntryInfo {
  id: number;
  /** epoch ms */
  at: number;
  /** a user, `api-token`, `cli:<account>`, or null: nobody signed in (a failed login) */
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  address: string | null;
  outcome: 'ok' | 'refused';
  /** a refusal's error code */
  reason: string | null;
  details: Record<string, string | number | boolean | null | string[]>;
}

/** `GET /api/audit`: newest first; `next` is the `before=` of the next, older page (null: none). */
export interface AuditResponse {
  entries: AuditEntryInfo[];
  next: number | null;
}

/** One event of the live tail. */
export interface TailEvent {
  /** event time (the header's, else receivedAt), ms */
  time: number;
  receivedAt: number;
  source: string;
  /** the host of the line's syslog header as the parser reads it; null when the line has none (absent from servers before it) */
  host: string | null;
  line: string;
  /** the line was cut for the tail (over 16 KiB); `fullLength` characters are stored, and search shows them */
  truncated?: true;
  fullLength?: number;
}

/**
 * Messages of the WebSocket `GET /api/tail?q=`. `events` at most every 250 ms, ≤500, oldest first; since
 * the previous `events`: `received` lines committed, `examined` of them checked against the query (fewer
 * under load: the newest first), `seen` of those matched, `sent` of the matches in `events`. `heartbeat`
 * every `intervalMs` (10 s) whatever came: a page tells a quiet filter from a dead connection by it.
 */
export type TailServerMessage =
  | { type: 'ready'; q: string }
  | { type: 'events'; events: TailEvent[]; seen: number; sent: number; received: number; examined: number }
  | { type: 'heartbeat'; at: number; intervalMs: number }
  | { type: 'error'; error: { code: string; message: string } };

/** What a tail client may send: a new filter (answered by `ready`, or `error` and close). */
export type TailClientMessage = { type: 'query'; q: string };

/** `GET /api/live`: what the live page polls (about once a second). */
export interface LiveResponse {
  /** ms since epoch when measured */
  time: number;
  ingest: {
    /** committed lines per second over the last 5 s, and over the last minute */
    linesPerSecond: number;
    linesPerSecond60s: number;
    /** received bytes per second (all sources) over the last 5 s */
    bytesPerSecond: number;
    committed: number;
    failed: number;
    queued: number;
  };
  /** lines dropped since start, by reason (every reason present, 0 when none) */
  drops: Record<string, number>;
  store: {
    shards: number;
    bytes: number;
    lines: number;
    oldest: number | null;
    newest: number | null;
    diskFreeBytes: number | null;
    problems: string[];
    /** closed hours merged into one shard each, as the data directory holds them */
    mergedShards: number;
    /** the merges of closed hours since the server started: hours merged, merges failed, when the last was swapped in (ms, null: none), whether a round runs now */
    compaction: { merges: number; failures: number; waiting: number; lastMergeAt: number | null; running: boolean };
  };
  sources: ApiSourceStats[];
  tail: { clients: number };
  /** the scheduled backups (as in `/api/stats`); null: none scheduled (no `backup.dir`); absent from a server before it */
  backup?: ApiBackupStats | null;
}

// The detectors' shapes live in api-detect.ts; `GET /api/stats`'s in api-stats.ts; an address's holders in api-identity.ts;
// searching's in api-search.ts, the assistant's in api-assist.ts, the pivots' in api-pivot.ts;
// `GET /api/trends`'s in api-trends.ts, which its readers import directly; the watches' in api-watches.ts.
export type * from './api-assist.js';
export type * from './api-findings.js';
export type * from './api-identity.js';
export type * from './api-pivot.js';
export type * from './api-search.js';
export type * from './api-share.js';
export type * from './api-stats.js';
export type * from './api-watches.js';
export type { SynBoardHost, SynBoardStats, SynHostsResponse, SynHostResponse, SynHostTargets, SynLiveMessage, DetectUrlRequest, DetectUrlResult, DetectUrlResponse } from './api-detect.js';

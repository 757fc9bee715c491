/**
 * The HTTP API's request and response shapes, for clients (the web UI imports this file with
 * `import type`). Self-contained on purpose: it and its sibling shape files (api-*.ts) import only
 * each other, so a client's type-check never pulls in server code. The routes type their
 * replies with these, so server values that drift fail to compile.
 */
import type { ApiIdentity } from './api-identity.js';
import type { ApiSourceStats } from './api-stats.js';

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

/** The last line of an NDJSON export that failed part-way; a complete export never has one. */
export type ExportErrorLine = ApiErrorBody;

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

// ---- Web UI: users and sessions, histogram, facets, live tail, live numbers (see .exp/UI_API.md) ----

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
}

// --- incident assistant (`/api/assist/*`) ---

/** `POST /api/assist/normalize` as JSON (a file can also be sent as the body itself) */
export interface AssistNormalizeBody {
  text?: string;
  /** the bytes of a file (e.g. an mbox in Shift_JIS), base64 */
  base64?: string;
  format?: 'alert' | 'email' | 'json' | 'text';
  save?: boolean;
}

export interface AssistSimilarParams {
  /** a stored incident's id */
  incidentId?: string;
  /** or free text */
  text?: string;
  limit?: number;
}

export interface AssistSimilarItem {
  id: string;
  title: string;
  source: string;
  time: string | null;
  score: number;
  firstAction: string | null;
  /** shared terms, matched fields, label vote, each feature's part of the score */
  why: unknown;
}

export interface AssistSimilarResponse {
  results: AssistSimilarItem[];
}

export interface AssistAnalysisResponse {
  id: string;
  saved: boolean;
  /** the normalized record: fields with `{value, from: {part, start, end}}`, and the decoded parts */
  record: Record<string, unknown>;
  similar: AssistSimilarItem[];
  /** `{action, countermeasure, confidence, source: 'similar-incidents'|'playbook', from, playbook?}` */
  suggestion: Record<string, unknown>;
  /** how many incidents the base held when searched (an empty base, or a full one sharing no word with the report) */
  searched: number;
}

/** `GET /api/assist/incidents` */
export interface AssistIncidentsParams {
  source?: string;
  /** text in the title or summary, any case */
  q?: string;
  /** saved at or after: a time expression (ISO-8601, -7d, epoch ms) */
  since?: string;
  limit?: number;
  offset?: number;
}

export interface AssistIncidentSummary {
  id: string;
  source: string;
  title: string;
  time: string | null;
  /** when saved to the base (ms); null for incidents saved before the base kept it */
  saved: number | null;
}

export interface AssistIncidentsResponse {
  /** newest saved first */
  incidents: AssistIncidentSummary[];
  /** how many match in all */
  total: number;
  /** how many the whole base holds, by source */
  sources: Record<string, number>;
}

/** `GET /api/assist/incidents/:id` */
export interface AssistIncidentResponse {
  /** the stored incident: id, source, title, text, time, labels, attrs, firstAction, countermeasure, steps, outcome, and `record` for a saved report */
  incident: Record<string, unknown>;
  saved: number | null;
}

/** `DELETE /api/assist/incidents/:id` */
export interface AssistIncidentDeletedResponse {
  deleted: AssistIncidentSummary;
}

export interface AssistChatBody {
  incidentId?: string;
  messages: { role: 'user' | 'assistant' | 'system'; content: string }[];
}

export interface AssistChatResponse {
  answer: string;
  /** `search`: a log search (query and range, ms) that shows what a log or pivot citation stands on */
  citations: { kind: 'incident' | 'log' | 'pivot'; ref: string; snippet: string; search?: { q: string; from: number; to: number } }[];
  intent: string;
  /** true when a configured LLM rephrased the template answer */
  phrased: boolean;
  /** with an LLM configured, why its rephrasing is not the answer (the endpoint failed, or the rewrite changed a fact) */
  unphrased?: string;
  /** damaged shards the log searches behind the answer left out: not empty, the answer is partial; empty when none */
  skipped: ApiSkippedShard[];
}

/** `GET /api/pivot`, `GET /api/pivot/scope`: entity `ip:10.0.0.5`, `domain:…`, `mac:…`, `user:…`, `port:…`, `host:…`, `sig:…`, `url:…` (pivots on the URL's host) (or a bare address or domain); limit default 50, at most 1000. */
export interface PivotParams { entity: string; from?: string; to?: string; limit?: number }
/** `indicator`: the address, listed network or listed (parent) domain that matched; `list`: the file and its category. */
export interface ApiBlocklistHit { indicator: string; list: string }
/** One neighbour; `evidence` is a search (`q` over [from, to) in epoch ms) that shows its lines. */
/** `identityOmitted`: an address of the network whose identity was not looked up (past the lookups one answer makes); `via`: the qualified name an account's edge is from. */
/** `countMax`: the range cuts an hour of the relation index, so `count` is the lines surely in it and up to `countMax` may be. */
export interface ApiNeighbour { entity: string; count: number; countMax?: number; first: number; last: number; blocklist: ApiBlocklistHit[]; articles: number; identity?: ApiIdentity; identityOmitted?: true; via?: string; evidence: { q: string; from: number; to: number } }
/** `relation`: flow, blocked, service, query, request, resolve, lease, hostname, login, login_failed, user, alert; `out`: entity → neighbour. */
/** `truncated`: too many edges for the pivot's row budget, so only those seen from `readFrom` (epoch ms) to the range's end were read. */
export interface ApiPivotGroup { relation: string; direction: 'out' | 'in'; total: number; neighbours: ApiNeighbour[]; truncated?: boolean; readFrom?: number }
export interface PivotResponse { entity: string; from: number | null; to: number | null; blocklist: ApiBlocklistHit[]; articles: { path: string; title: string }[]; identity: ApiIdentity | null; groups: ApiPivotGroup[]; truncated?: boolean; /** the question stopped at its time budget (250 ms of reads): what was not read yet is missing */ timedOut?: boolean; periods: number; /** a count is ranged (countMax): the range over whole relation periods, where every count is exact (`to` null: up to now, the range cut the hour still running) */ exactRange?: { from: number | null; to: number | null }; tookMs: number }
/** `why`: why the host ranks where it does (one that reached a blocklisted destination too comes first). */
export interface ApiScopeHost { entity: string; score: number; shared: number; sharedBlocklisted: number; why?: string; destinations: { entity: string; sources: number; blocklisted: boolean }[]; identity: ApiIdentity | null; identityOmitted: boolean }
/** `totalHosts`: hosts sharing a destination before the cut to `limit`. */
/** `unexamined`: destinations past the 2,000 examined (blocklisted, then most reached, first) or left at the time budget; `readFrom`: the host's destinations were read from there on (a scanner's, over its row budget). */
export interface ScopeResponse { entity: string; from: number | null; to: number | null; destinations: number; common: number; skipped: number; unexamined: number; readFrom?: number; timedOut?: boolean; totalHosts: number; hosts: ApiScopeHost[]; tookMs: number }
/** `GET /api/pivot/sources`, `POST /api/pivot/reload`: the loaded blocklists and articles. */
export interface PivotSourcesResponse {
  blocklists: { dir: string | null; loadedAt: number | null; error: string | null; missing?: boolean; counts: { ips: number; networks: number; domains: number }; files: { file: string; format: string; entries: number; skipped: number; error?: string }[] };
  articles: { dir: string | null; loadedAt: number | null; error: string | null; missing?: boolean; files: number; entities: number };
}

// The detectors' shapes live in api-detect.ts; `GET /api/stats`'s in api-stats.ts; an address's holders in api-identity.ts;
// `GET /api/trends`'s in api-trends.ts, which its readers import directly.
export type * from './api-findings.js';
export type * from './api-identity.js';
export type * from './api-stats.js';
export type { SynBoardHost, SynBoardStats, SynHostsResponse, SynHostResponse, SynHostTargets, SynLiveMessage, DetectUrlRequest, DetectUrlResult, DetectUrlResponse } from './api-detect.js';

/** What the HTTP app needs from the rest of the node; `node.ts` builds it, tests pass fakes. */
import type { ApiBackupStats, ApiSourceStats } from './api-stats.js';
import type { FastifyBaseLogger } from 'fastify';
import type { RecordSink } from '../core/index.js';
import type { EnrichedSearchHit, SearchHit } from './api.js';
import type { StoreStats } from '../store/index.js';
import type { Hit, Searcher } from '../search/index.js';
import type { AssistantApi } from './routes/assist.js';
import type { LoginLimits } from './routes/auth.js';
import type { HeartbeatOptions, TailHub } from './tail/index.js';
import type { UserStore } from './users/index.js';
import type { AuditLog } from './users/audit.js';
import type { FindingsStore, WebhookStats } from '../detect/index.js';
import type { SynLiveBoard } from '../detect/index.js';
import type { PivotService } from './routes/pivot.js';
import type { UrlDetectorDep } from './routes/detect-url.js';
import type { TrendsDep } from './routes/trends.js';
import type { ConnectionLimits } from './connection-limits.js';
import type { KeyJournal } from './routes/ingest-keys.js';
import type { WatchesDep } from './routes/watches.js';
import type { StatsResponse } from './api.js';

/** A hit with the fields of its raw line parsed again; the store keeps only the line. Fields as the API sends them. */
export type EnrichedHit = Hit & Omit<EnrichedSearchHit, keyof SearchHit>;

/** A source's counters as `GET /api/stats` sends them (the API's own shape, `api-stats.ts`). */
export type SourceStatsRow = ApiSourceStats;

export interface AppDeps {
  /** the store's writer; `write()` resolves when committed */
  ingest: RecordSink;
  storeStats(): StoreStats;
  searcher: Pick<Searcher, 'count' | 'page' | 'stream' | 'holdPin'>;
  /** re-parses a hit's raw line into fields and entities */
  enrich(hit: Hit): EnrichedHit;
  sourceStats(): SourceStatsRow[];
  /** API tokens; `verify` compares in constant time (see tokens.ts) */
  tokens: { verify(token: string): boolean };
  /** a logger instance (built with `serveLoggerOptions`), `true` for one built here, `false`/absent for none */
  logger?: FastifyBaseLogger | boolean;
  /** clock for receive times, time expressions and rates; default Date.now */
  now?: () => number;
  /** ms from a clock that never goes back, for ingest rates (default performance.now(); tests inject one) */
  monotonic?: () => number;
  version: string;
  /** HTTPS: the PEM certificate (chain) and private key the server presents (`http.tls`); absent: plain HTTP */
  https?: { cert: Buffer; key: Buffer };
  /** largest `POST /api/ingest` body in bytes; default 64 MiB */
  bodyLimit?: number;
  /** bytes of `POST /api/ingest` bodies held at once; default 256 MiB (routes/ingest-admission.ts) */
  ingestInFlightBytes?: number;
  /** where `POST /api/ingest`'s Idempotency-Key keys outlive the process (`<data>/ingest-keys.db`); absent: in memory only */
  ingestKeys?: KeyJournal;
  /** the incident assistant; `/api/assist/*` exists only when given */
  assistant?: AssistantApi;
  /** the detectors' findings; `/api/findings` is served only when present */
  findings?: Pick<FindingsStore, 'list' | 'get' | 'subscribe' | 'triage' | 'triageMany' | 'triageMatching' | 'changeMany' | 'changeMatching' | 'counts' | 'history' | 'unassignUser'>;
  /** the SYN detector's live host board; `/api/detect/syn/*` is served only when present */
  synBoard?: SynLiveBoard;
  /** the heartbeat of the board's WebSocket feed (default 30 s pings, 2 missed; tests inject a short one) */
  synLiveHeartbeat?: HeartbeatOptions;
  /** ms between the board feed's `heartbeat` messages (default 10 s; tests shorten it) */
  synLiveBeatMs?: number;
  /** ms between the live tail's `heartbeat` messages (default 10 s; tests shorten it) */
  tailBeatMs?: number;
  /** the url detector; `POST /api/detect/url` is served only when present */
  urlDetector?: UrlDetectorDep;
  /** the threshold `POST /api/detect/url` answers with: `url.threshold` when set (default: the detector's) */
  urlThreshold?: number;
  /** `url.tlsNames`: whether `POST /api/detect/url` reads a log line's TLS server name and CONNECT host (default true) */
  urlTlsNames?: boolean;
  /** users and sessions of the web UI; absent: Bearer tokens only and no /api/auth routes */
  users?: UserStore;
  /** the audit trail (in users.db): sign-ins, user changes, exports, refusals; absent: nothing recorded and no /api/audit */
  audit?: AuditLog;
  /** how often an open WebSocket checks that its credentials still hold (default 5 s; tests shorten it) */
  wsRecheckMs?: number;
  /** the web UI's files (`webRoot`: web/dist, null when not found) and cookie and login settings */
  /** `trustProxy`: reverse proxies whose X-Forwarded-For names the client (login limits count per client, not per proxy) */
  /** live detectors' counters for `/api/stats` and `/metrics` (the URL scorer's: found, scored, dropped…) */
  detectorStats?: () => { url?: Record<string, number> };
  /** findings webhooks' counters for `/api/stats` and `/metrics`, each named by host and place in the list (never its URL) */
  notifyStats?: () => WebhookStats[];
  /** the scheduled backups' state for `/api/stats` and `/metrics` (`backup.dir`); absent: none configured */
  backupStats?: () => ApiBackupStats;
  /** `publicUrl`: `http.publicUrl`, whose origin a session's WebSocket handshake may come from (links use it too) */
  web?: { webRoot: string | null; publicUrl?: string | null; secureCookies?: boolean; loginLimits?: LoginLimits; trustProxy?: readonly string[]; connectionLimits?: ConnectionLimits };
  /** exact matches per time bucket (`GET /api/histogram`) */
  histogram?: Pick<Searcher, 'histogram'>;
  /** the live tail (WebSocket `/api/tail`); node.ts taps the ingest path into it */
  tail?: TailHub;
  /** pivots over the relation index; `/api/pivot*` is served only when present */
  investigator?: PivotService;
  /** attack-type trends; `GET /api/trends` is served only when present */
  trends?: TrendsDep;
  /** the watches (`<data>/watches.db`): `/api/watches` is served only when present */
  watches?: WatchesDep;
  /** the watches' counters for `/api/stats` and `/metrics` (the evaluator's) */
  watchStats?: () => NonNullable<StatsResponse['watches']>;
  /** `share.keyFile`: the key `GET /api/share/export` anonymizes with; null or absent: the route says how to set it */
  shareKeyFile?: string | null;
  /** `share.maxExports`: whole share exports at once; absent: the route's default (2) */
  shareMaxExports?: number;
}

export const INGEST_BODY_LIMIT_DEFAULT = 64 * 1024 * 1024;

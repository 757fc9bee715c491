// In: the node's parts as AppDeps (record sink, searcher, stats, enrich, tokens, users, tail hub).
// Out: the HTTP API as a Fastify instance (routes, auth, errors, OpenAPI at /docs, the web UI's files); the token file; users.db.
// Never: listens on a socket itself (node.ts does), stores lines, parses them except for the live tail, or maps errors outside http-errors.ts.
export { buildApp } from './app.js';
export { SERVE_LOG_REDACT, serveLoggerOptions } from './log-options.js';
export type { AppDeps, EnrichedHit, SourceStatsRow } from './deps.js';
export { INGEST_BODY_LIMIT_DEFAULT } from './deps.js';
export { loadOrCreateTokenFile, rotateTokenFile, tokenVerifier, newToken, watchedTokenFile } from './tokens.js';
export type { TokenFile, TokenVerifier } from './tokens.js';
export { STATUS_BY_KIND } from './http-errors.js';
export type * from './api.js';
export { UserStore, SESSION_DEFAULTS, ROLES, checkUserName, checkPassword, FIRST_PASSWORD_FILE, readFirstPassword, usersWithReservedNames, reservedNamesWarning } from './users/index.js';
export type { Role, User, SessionLimits } from './users/index.js';
export { AuditLog, readAudit, AUDIT_OUTCOMES, AUDIT_PAGE_MAX } from './users/index.js';
export type { AuditEntry, AuditFilter, AuditOutcome, AuditPage } from './users/index.js';
export { SqliteKeyJournal } from './routes/ingest-keys.js';
export { TailHub, TailSink, tailParser, TAIL_DEFAULTS } from './tail/index.js';
export { WatchStore, WatchEvaluator, WATCHES_FILE, readWatches, watchNotFound, WATCH_DETECTOR, countedQuery, watchAuditDetails } from './watches/index.js';
export type { Watch, WatchInput, WatchChange, WatchRun, WatchStats } from './watches/index.js';

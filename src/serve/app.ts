/** buildApp(deps): the HTTP API as a Fastify instance that is ready to inject or listen; it never listens itself. */
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { apiAuth } from './auth.js';
import type { StoreStats } from '../store/index.js';
import { AppError } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { clientErrorHandler, failure, frameworkErrors, installErrorHandling, sendFailure } from './http-errors.js';
import { registerOpenApi } from './openapi.js';
import { countRoutes } from './routes/count.js';
import { searchPinRoutes } from './routes/search-pin.js';
import { findingsRoutes } from './routes/findings.js';
import { findingClientsRoutes } from './routes/findings-clients.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { metricsRoutes } from './routes/metrics.js';
import { searchRoutes } from './routes/search.js';
import { statsRoutes } from './routes/stats.js';
import { assistRoutes } from './routes/assist.js';
import { LOGIN_LIMITS_DEFAULT, loginRoutes, sessionRoutes } from './routes/auth.js';
import { userRoutes } from './routes/users.js';
import { auditRoutes, decorateAudit, recordRefusals } from './routes/audit.js';
import { HashGate } from './users/hash-gate.js';
import { facetsRoutes } from './routes/facets.js';
import { histogramRoutes } from './routes/histogram.js';
import { liveRoutes } from './routes/live.js';
import { staticRoutes } from './routes/static.js';
import { tailRoutes } from './routes/tail.js';
import { detectSynRoutes } from './routes/detect-syn.js';
import { detectUrlRoutes } from './routes/detect-url.js';
import { pivotRoutes } from './routes/pivot.js';
import { StatsService } from './stats-service.js';
import { trendsRoutes } from './routes/trends.js';
import { shareRoutes } from './routes/share.js';
import { watchRoutes } from './routes/watches.js';
import { HEADERS_TIMEOUT_MS, limitConnections } from './connection-limits.js';
import { CLOSE_STOPPING, STOPPING_REASON } from './tail/index.js';
import { serveLoggerOptions } from './log-options.js';

/** How long a request (headers and body) may take to arrive: 5 minutes, a 64 MiB ingest body at ~2 Mbit/s. */
export const REQUEST_TIMEOUT_MS = 300_000;

function loggerOptions(logger: AppDeps['logger']): FastifyServerOptions {
  if (logger === undefined || logger === false) return { logger: false };
  if (logger === true) return { logger: serveLoggerOptions('info') };
  return { loggerInstance: logger } as FastifyServerOptions;
}

/**
 * A WebSocket's error: what a client did (a message over the 64 KiB limit, a bad frame, a dropped
 * connection: `ws`'s `WS_ERR_*` codes, resets) is logged at info, as the client's doing, so clients
 * cannot fill the error log; anything else (a handler's fault) as an error. The socket goes either way.
 */
function websocketError(error: Error & { code?: unknown }, socket: { terminate(): void }, req: FastifyRequest): void {
  const code = typeof error.code === 'string' ? error.code : '';
  if (/^WS_ERR_/.test(code) || code === 'ECONNRESET' || code === 'EPIPE') req.log.info({ code, reason: error.message }, 'websocket closed: client error');
  else req.log.error(error);
  socket.terminate();
}

/**
 * The plugin's stop (its preClose, run as the server starts to close): every open WebSocket closed with
 * 1001 and STOPPING_REASON rather than the plugin's bare close (1005, no status), which a page could not
 * tell from a network drop; then its server closed. Handshakes stop before this (the plugin's own hook).
 */
function closeSocketsAtStop(this: FastifyInstance, done: () => void): void {
  for (const client of this.websocketServer.clients) client.close(CLOSE_STOPPING, STOPPING_REASON);
  // not waited for, as the plugin did not: ws's server says closed only once every client answered the
  // close, which one that does not answer holds back 30 s
  this.websocketServer.close();
  done();
}

/**
 * A WebSocket handshake to a route that takes none is refused with the JSON error (400). The plugin
 * answered 101, upgraded the connection and closed it at once, which told a client nothing.
 */
function refuseStrayHandshakes(app: FastifyInstance): void {
  const feeds: string[] = [];
  app.addHook('onRoute', (route) => {
    if (route.websocket === true || route.wsHandler !== undefined) {
      route.config = { ...(route.config as object | undefined), webSocket: true } as typeof route.config;
      if (!feeds.includes(route.url)) feeds.push(route.url);
    }
  });
  // after authentication (onRequest), so that unauthenticated clients learn nothing about /api/ routes
  app.addHook('preValidation', (req, reply, done) => {
    const config = req.routeOptions.config as { webSocket?: boolean } | undefined;
    // a path with no route at all goes on to the 404 (after authentication, under /api/)
    if (req.ws && req.routeOptions.url !== undefined && config?.webSocket !== true) {
      const path = req.url.split('?')[0]!.slice(0, 200);
      // the open routes (/, /health) run no authentication: only a signed-in client is told where the feeds are
      const where = req.principal === null ? 'sign in to learn where the feeds are' : `the WebSocket feeds are ${feeds.join(', ') || 'none on this server'}`;
      sendFailure(reply, failure('WS_NOT_ACCEPTED', 'bad_request', `websocket: ${path} takes no WebSocket connection; ${where}`));
      return;
    }
    done();
  });
}

/**
 * Once the server is stopping, a request that still arrives (on a kept-alive connection) is refused
 * before any work, as Fastify would, but with an error body like every other: 503 HTTP_STOPPING.
 */
function refuseWhileStopping(app: FastifyInstance): void {
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });
  app.addHook('onRequest', async (_req, reply) => {
    if (!stopping) return;
    reply.header('connection', 'close');
    throw new AppError('HTTP_STOPPING', 'unavailable', 'server: nml is stopping; nothing from this request was done or stored: send it again once nml is back');
  });
}

/**
 * A number parameter that Ajv's coercion made infinite (`Infinity`, `-Infinity`, `1e999`) passed
 * `type: integer` with its bounds (Ajv compares the string it had), and `GET /api/histogram?buckets=-Infinity`
 * looped for ever: refused here, after validation, for every route's query and path parameters and its JSON body, at any
 * depth (`PATCH /api/findings` with `{"ids":"Infinity"}` was a 500).
 */
function refuseInfiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    const body = Buffer.isBuffer(req.body) ? null : req.body;
    for (const [where, values] of [['query parameter', req.query], ['path parameter', req.params], ['body field', body]] as const) {
      const param = infiniteAt(values);
      if (param !== null) {
        throw new AppError('HTTP_BAD_REQUEST', 'bad_request', `request: ${where} ${param} must be a finite number; send digits, as in ${param}=60`, { in: where === 'query parameter' ? 'querystring' : where === 'body field' ? 'body' : 'params', param });
      }
    }
  });
}

/** Values a request's parsed parts are searched through at most: a body is bounded by its size, this by its count. */
const INFINITE_WALK_MAX = 10_000;

/**
 * Where `v` (a parsed query, path or body) holds an infinite number, as a path (`ids[0]`, `window.from`), or
 * null. Coercion happens at any depth of a body (Fastify's Ajv coerces every schema), so the walk goes down
 * too, through at most INFINITE_WALK_MAX values (a body of more is refused by its route's schema long before).
 */
function infiniteAt(v: unknown): string | null {
  // each value with where it sits, its path written only when it is the one (a 100,000-URL batch makes no strings)
  const stack: { x: unknown; parent: string | null; key: string | number }[] = [{ x: v, parent: null, key: '' }];
  let budget = INFINITE_WALK_MAX;
  while (stack.length > 0) {
    const { x, parent, key } = stack.pop()!;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return parent === null ? 'value' : typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
      continue;
    }
    if (typeof x !== 'object' || x === null) continue;
    const here = parent === null ? '' : typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
    const items: [string | number, unknown][] = Array.isArray(x) ? x.map((item, i) => [i, item]) : Object.entries(x);
    for (const [k, item] of items) {
      if (typeof item !== 'number' && (typeof item !== 'object' || item === null)) continue;
      if (--budget < 0) return null;
      stack.push({ x: item, parent: here, key: k });
    }
  }
  return null;
}

/**
 * `Strict-Transport-Security` on every answer when the session cookie is `Secure` (an https `http.publicUrl`,
 * or `http.secureCookies: true`: the UI is opened over TLS, at a proxy in front). Without it a first visit typed
 * as `http://` could be answered by someone on the path with a look-alike login page over plain HTTP (the cookie
 * itself stays off HTTP). One year, this host only: the rest of the operator's domain is not NML's to pin.
 * Browsers take it only from an https answer, so NML's own plain-HTTP port is not changed by it.
 */
export const HSTS = 'max-age=31536000';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const app = Fastify({
    ...loggerOptions(deps.logger),
    // unknown query parameters are refused (a typo like `frm` must not silently widen a search)
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors,
    // Fastify refuses a longer path parameter before any hook runs, so without credentials a 400 would
    // tell which routes exist; the routes' own schemas bound their parameters, after authentication
    routerOptions: { maxParamLength: 2048 },
    // req.ip is the client's only for a proxy named in http.trustProxy; otherwise the peer's
    trustProxy: deps.web?.trustProxy !== undefined && deps.web.trustProxy.length > 0 ? [...deps.web.trustProxy] : false,
    // Fastify's own 503 while closing has no error code (docs/errors.md: every error has one): ours below
    return503OnClosing: false,
    // a request must have arrived whole within this time (Node's own default, which Fastify turns off): a
    // client trickling a body a byte every 10 s held its connection for ever (a security review held 100)
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Node's refusals (431, 408, 400) with an error code, as every other error has
    clientErrorHandler,
    // HTTPS served here (http.tls): HTTP/1.1 over TLS, the WebSocket feeds upgrade on the same server
    ...(deps.https === undefined ? {} : { https: deps.https }),
  }) as unknown as FastifyInstance;
  refuseWhileStopping(app);
  refuseInfiniteNumbers(app);
  if (deps.web?.secureCookies === true) {
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('strict-transport-security', HSTS);
      return payload;
    });
  }
  if (deps.web?.connectionLimits !== undefined) {
    limitConnections(app.server, deps.web.connectionLimits, (fields, message) => app.log.warn(fields, message));
    // unfinished headers held a connection a minute (Node's default); a browser sends them at once
    app.server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
  }
  const requireAuth = apiAuth({ tokens: deps.tokens, sessions: deps.users, recheckMs: deps.wsRecheckMs, publicUrl: deps.web?.publicUrl ?? null, secureCookies: deps.web?.secureCookies === true });
  installErrorHandling(app, requireAuth);
  // the cookie parser before the docs, whose scope authenticates by the session cookie too
  await app.register(cookie);
  await registerOpenApi(app, deps.version, requireAuth);

  // one clock for every rate: a wall clock stepped back would credit a minute's lines to one second
  const monotonic = deps.monotonic ?? ((): number => performance.now());
  // lines of ingest requests never handed to the store after it refused a batch of theirs: not stored
  // either, so the failed-lines figures (/api/stats, /metrics, /api/live) count them beside its refusals
  const unsent = { lines: 0 };
  const storeStats = (): StoreStats => {
    const s = deps.storeStats();
    return unsent.lines === 0 ? s : { ...s, failedLines: s.failedLines + unsent.lines };
  };
  // lines posted to /api/ingest and stored: a source row of their own beside the collectors' (the Live
  // page listed only the syslog listeners, and lines posted over HTTP showed nowhere)
  const posted = { lines: 0, bytes: 0, notUtf8: 0 };
  const sourceStats = (): ReturnType<AppDeps['sourceStats']> => {
    const rows = deps.sourceStats();
    return posted.lines === 0 ? rows : [...rows, { name: 'http:/api/ingest', received: posted.lines, bytes: posted.bytes, drops: {}, notUtf8: posted.notUtf8 }];
  };
  const stats = new StatsService({ ...deps, storeStats, sourceStats }, app.log, monotonic);
  stats.start();
  app.addHook('onClose', async () => stats.stop());

  // once for the whole app: every WebSocket route (/api/tail, detector feeds) shares this server
  await app.register(websocket, { options: { maxPayload: 64 * 1024 }, errorHandler: websocketError, preClose: closeSocketsAtStop });
  refuseStrayHandshakes(app);
  app.decorateRequest('principal', null);
  app.decorateRequest('credentials', null);
  // req.audit(...): one line records an action for the request's caller (routes/audit.ts)
  decorateAudit(app, deps.audit);
  await app.register(healthRoutes(deps.version));
  const limits = deps.web?.loginLimits ?? LOGIN_LIMITS_DEFAULT;
  // one bound on password hashes for login and user management alike
  const gate = new HashGate(limits.hashes?.concurrent, limits.hashes?.waiting);
  const web = { users: deps.users!, secureCookies: deps.web?.secureCookies === true, limits, gate };
  if (deps.users !== undefined) await app.register(loginRoutes(web));
  if (deps.web !== undefined) await app.register(staticRoutes(deps.web.webRoot));
  await app.register(async (api) => {
    api.addHook('onRequest', requireAuth);
    // refusals of the audited routes, and every 403, go to the audit log
    if (deps.audit !== undefined) recordRefusals(api);
    // API answers hold log lines and findings: no browser cache keeps them, and none is sniffed into another type
    api.addHook('onSend', async (_req, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      // the server's clock, to the ms: the web UI pins a search that ends "now" to it, not to the browser's own (web/src/lib/server-clock.ts)
      reply.header('x-nml-time', String(now()));
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });
    if (deps.users !== undefined) await api.register(sessionRoutes(web));
    // a user removed: the findings assigned to them are unassigned (each history says so)
    if (deps.users !== undefined) await api.register(userRoutes({ ...web, ...(deps.findings === undefined ? {} : { findings: deps.findings }) }));
    if (deps.audit !== undefined) await api.register(auditRoutes({ audit: deps.audit, now }));
    if (deps.histogram !== undefined) await api.register(histogramRoutes({ histogram: deps.histogram, storeStats: deps.storeStats, now }));
    await api.register(facetsRoutes({ searcher: deps.searcher, enrich: deps.enrich, now }));
    await api.register(liveRoutes({ storeStats, sourceStats, now, monotonic, tailClients: () => deps.tail?.clientCount ?? 0, ...(deps.backupStats === undefined ? {} : { backupStats: deps.backupStats }) }));
    if (deps.tail !== undefined) await api.register(tailRoutes(deps.tail, undefined, deps.tailBeatMs));
    const onStored = (lines: number, bytes: number, notUtf8: number): void => {
      posted.lines += lines;
      posted.bytes += bytes;
      posted.notUtf8 += notUtf8;
    };
    await api.register(ingestRoutes({ sink: deps.ingest, now, bodyLimit: deps.bodyLimit, inFlightBytes: deps.ingestInFlightBytes, ...(deps.ingestKeys === undefined ? {} : { keys: deps.ingestKeys }), onUnsent: (n) => void (unsent.lines += n), onStored }));
    await api.register(searchRoutes({ searcher: deps.searcher, enrich: deps.enrich, now }));
    await api.register(countRoutes({ searcher: deps.searcher, now }));
    await api.register(searchPinRoutes({ searcher: deps.searcher, now }));
    await api.register(statsRoutes(stats));
    await api.register(metricsRoutes(stats));
    if (deps.assistant !== undefined) await api.register(assistRoutes(deps.assistant));
    if (deps.findings !== undefined) await api.register(findingsRoutes({ findings: deps.findings, ...(deps.users === undefined ? {} : { users: deps.users }), now }));
    if (deps.synBoard !== undefined) await api.register(detectSynRoutes(deps.synBoard, { heartbeat: deps.synLiveHeartbeat, beatMs: deps.synLiveBeatMs }));
    if (deps.urlDetector !== undefined) await api.register(detectUrlRoutes(deps.urlDetector, deps.urlThreshold, deps.urlTlsNames));
    if (deps.investigator !== undefined) await api.register(pivotRoutes({ investigator: deps.investigator, now }));
    if (deps.findings !== undefined && deps.investigator !== undefined) await api.register(findingClientsRoutes({ findings: deps.findings, investigator: deps.investigator }));
    if (deps.trends !== undefined) await api.register(trendsRoutes(deps.trends));
    if (deps.watches !== undefined) await api.register(watchRoutes({ searcher: deps.searcher, watches: deps.watches, now }));
    await api.register(shareRoutes({ searcher: deps.searcher, ...(deps.findings === undefined ? {} : { findings: deps.findings }), keyFile: deps.shareKeyFile ?? null, ...(deps.shareMaxExports === undefined ? {} : { maxExports: deps.shareMaxExports }), version: deps.version, now }));
  });
  return app;
}

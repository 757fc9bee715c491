/**
 * The one place where errors become HTTP statuses: AppError kinds by table, Fastify's own errors
 * (validation, body limit, media type) as `bad_request`, anything else as a logged `internal` error
 * whose reply says nothing about the cause (no stack traces, no messages from libraries).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../core/index.js';
import type { ApiErrorBody, ApiErrorKind } from './api.js';
import { SPA_PAGES } from './routes/static.js';

export const STATUS_BY_KIND: Readonly<Record<ApiErrorKind, number>> = Object.freeze({
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  timeout: 504,
  unavailable: 503,
  internal: 500,
});

export interface HttpFailure {
  status: number;
  body: ApiErrorBody;
}

const INTERNAL_MESSAGE = 'internal error: the server could not answer this request; its log has the cause';

export function failure(code: string, kind: ApiErrorKind, message: string, details?: Record<string, unknown>): HttpFailure {
  const error: ApiErrorBody['error'] = details === undefined ? { code, kind, message } : { code, kind, message, details };
  return { status: STATUS_BY_KIND[kind], body: { error } };
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[]; limit?: number };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: AjvIssue[];
  validationContext?: string;
}

const WHERE: Record<string, string> = { querystring: 'query parameter', body: 'body', params: 'path parameter', headers: 'header' };

/** `request: query parameter limit must be <= 10000`, naming the parameter as the client spelled it. */
function validationFailure(issues: AjvIssue[], context: string | undefined): HttpFailure {
  const issue = issues[0] ?? {};
  const where = WHERE[context ?? ''] ?? context ?? 'request';
  const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const param = issue.params?.missingProperty ?? issue.params?.additionalProperty ?? path;
  let message: string;
  if (issue.keyword === 'additionalProperties') message = `request: unknown ${where} '${param}'`;
  // schemas.ts `noBody`: "must NOT have more than 0 properties" said what was wrong, not what to send
  else if (context === 'body' && path === '' && issue.keyword === 'maxProperties' && issue.params?.limit === 0) message = 'request: this route takes no body; send none, or {} as application/json';
  else if (issue.keyword === 'required') message = `request: ${where} '${param}' is required`;
  else {
    const allowed = issue.params?.allowedValues === undefined ? '' : ` (${issue.params.allowedValues.join(', ')})`;
    message = `request: ${where}${param === '' ? '' : ` ${param}`} ${issue.message ?? 'is not valid'}${allowed}`;
  }
  return failure('HTTP_BAD_REQUEST', 'bad_request', message, { in: context ?? 'request', param });
}

/** Media types a route that declares no `schema.consumes` may still parse (Fastify's defaults and ours), asked of its own context. */
const COMMON_TYPES = ['application/json', 'text/plain', 'application/x-ndjson', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * What a route takes: its OpenAPI `schema.consumes` (declared next to the route's parsers: ingest's
 * list is exactly its two), else the common types its own context has a parser for
 * (`hasContentTypeParser` is public; the parser list itself is not).
 */
export function acceptedTypes(req: FastifyRequest): string[] {
  const consumes = (req.routeOptions?.schema as { consumes?: unknown } | undefined)?.consumes;
  if (Array.isArray(consumes) && consumes.length > 0 && consumes.every((c) => typeof c === 'string')) return consumes as string[];
  const server = (req as { server?: { hasContentTypeParser?(type: string): boolean } }).server;
  if (typeof server?.hasContentTypeParser !== 'function') return [];
  return COMMON_TYPES.filter((t) => server.hasContentTypeParser!(t));
}

/** `request: no content type was sent; POST /api/ingest accepts text/plain or application/x-ndjson`. */
function mediaTypeFailure(req: FastifyRequest): HttpFailure {
  const sent = req.headers['content-type'];
  const route = `${req.method} ${req.url.split('?')[0]!.slice(0, 200)}`;
  const accepted = acceptedTypes(req);
  const what = sent === undefined || sent.trim() === '' ? 'no content type was sent' : `content type '${sent.slice(0, 100)}' is not accepted`;
  const how = accepted.length === 0 ? `${route} takes no body` : `${route} accepts ${accepted.join(' or ')}; send 'Content-Type: ${accepted[0]}'`;
  return failure('HTTP_UNSUPPORTED_MEDIA_TYPE', 'bad_request', `request: ${what}; ${how}`, { contentType: sent ?? '(none)', accepted });
}

/** Fastify's own client errors: bad bodies, sizes and media types are bad input, hence 400. */
function fastifyFailure(err: FastifyLikeError, req: FastifyRequest): HttpFailure {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = req.routeOptions.bodyLimit;
    return failure('HTTP_BODY_TOO_LARGE', 'bad_request', `request: body is larger than the limit of ${limit} bytes; send it in parts`, { limit });
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return mediaTypeFailure(req);
  if (err.code === 'FST_ERR_BAD_URL') {
    return failure('HTTP_BAD_REQUEST', 'bad_request', 'request: the URL path is not valid percent-encoded UTF-8; encode each byte of a name as %XX of its UTF-8');
  }
  // a plugin's refusal of a path (the static files: a directory, a NUL byte) is no such page, not a bad request
  if (err.statusCode === 403 || err.statusCode === 404) {
    const path = req.url.split('?')[0]!.slice(0, 200);
    return failure('HTTP_NOT_FOUND', 'not_found', `route: no ${req.method} ${path}; the API is listed at /docs`);
  }
  const text = err instanceof Error ? err.message.toLowerCase().replace(/\.$/, '') : 'malformed request';
  return failure('HTTP_BAD_REQUEST', 'bad_request', `request: ${text}`);
}

/**
 * Fastify's `frameworkErrors`: errors it meets before any route (a path that is not valid
 * percent-encoding) get the same JSON error body as the rest, not Fastify's own.
 */
export function frameworkErrors(err: FastifyLikeError, req: FastifyRequest, reply: FastifyReply): void {
  sendFailure(reply, typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? fastifyFailure(err, req) : failure('INTERNAL', 'internal', INTERNAL_MESSAGE));
}

/** Anything thrown while answering -> status and body. */
export function toHttpFailure(err: unknown, req: FastifyRequest): HttpFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as FastifyLikeError;
  if (Array.isArray(e.validation)) return validationFailure(e.validation, e.validationContext);
  if (isAppError(err)) {
    if (err.kind === 'internal') return failure(err.code, 'internal', INTERNAL_MESSAGE);
    return failure(err.code, err.kind, err.message, err.details);
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return fastifyFailure(e, req);
  return failure('INTERNAL', 'internal', INTERNAL_MESSAGE);
}

export function sendFailure(reply: FastifyReply, f: HttpFailure): FastifyReply {
  return reply.code(f.status).type('application/json; charset=utf-8').send(f.body);
}

/** 401 with the challenge header; the reason never repeats what the client sent. */
export function sendUnauthorized(reply: FastifyReply, reason: string): FastifyReply {
  reply.header('www-authenticate', 'Bearer realm="nml"');
  return sendFailure(reply, failure('AUTH_REQUIRED', 'unauthorized', `auth: ${reason}; send 'Authorization: Bearer <token>'`));
}

/**
 * The error and not-found handlers. `apiAuth`: the /api scope's authentication, run before an unknown
 * /api/ path's 404 too, so that which routes exist cannot be probed without credentials.
 */
export function installErrorHandling(app: FastifyInstance, apiAuth?: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void): void {
  app.setErrorHandler<unknown>((err, req, reply) => {
    const f = toHttpFailure(err, req);
    // a person who left a page while its search ran: routine, and nobody receives the reply
    if (f.body.error.code === 'SEARCH_CANCELLED') req.log.info({ code: f.body.error.code }, 'search cancelled: the client went away');
    // a known condition (a full disk, a data directory nml may not read, a writer lane gone): its message
    // says what to do; a stack per request would bury it
    else if (f.status >= 500 && isAppError(err) && err.kind !== 'internal') req.log.error({ code: f.body.error.code }, f.body.error.message);
    else if (f.status >= 500) req.log.error({ err }, `request failed: ${f.body.error.code}`);
    else req.log.info({ code: f.body.error.code }, f.body.error.message);
    return sendFailure(reply, f);
  });
  const preHandler = (req: FastifyRequest, reply: FastifyReply, done: () => void): void => (apiAuth !== undefined && req.url.startsWith('/api/') ? apiAuth(req, reply, done) : done());
  app.setNotFoundHandler({ preHandler }, (req, reply) => {
    const path = req.url.split('?')[0]!;
    // a person's browser at a mistyped or old page address gets a page, not the API's JSON
    if ((req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && /\btext\/html\b/.test(req.headers.accept ?? '')) {
      return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(notFoundPage(path));
    }
    return sendFailure(reply, failure('HTTP_NOT_FOUND', 'not_found', `route: no ${req.method} ${path}; the API is listed at /docs`));
  });
}

/** The plain-HTTP side of a WebSocket feed: a GET without `Upgrade: websocket` is told what the route is. */
export function websocketOnly(req: FastifyRequest): never {
  const path = req.url.split('?')[0]!.slice(0, 200);
  throw new AppError('WS_UPGRADE_REQUIRED', 'bad_request', `websocket: ${path} is a WebSocket feed; connect with 'Upgrade: websocket' (a browser's new WebSocket(url), or websocat), not a plain GET`);
}

const escapeHtml = (t: string): string => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page for an address the UI does not have: what was asked and where the UI's pages are. */
function notFoundPage(path: string): string {
  const pages = SPA_PAGES.filter((p) => p !== 'account');
  const links = pages.map((p) => `<a href="/${p}">${p[0]!.toUpperCase()}${p.slice(1)}</a>`).join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>NML: no such page</title></head><body style="font-family:system-ui,sans-serif;margin:3rem;max-width:40rem">
<h1>No such page</h1><p>NML has no page at <code>${escapeHtml(path.slice(0, 200))}</code>. The pages are: ${links}.</p><p>The HTTP API is listed at <a href="/docs">/docs</a>.</p></body></html>\n`;
}

/**
 * The refusals Node makes of any request before a route is chosen, so that every operation of the API can
 * answer them (openapi.ts lists them on each): headers over Node's limit, a request not whole in time.
 */
export const NODE_REFUSALS = {
  431: { code: 'HTTP_HEADERS_TOO_LARGE', kind: 'bad_request', message: 'request: its headers are larger than the server reads (16 KiB); send a shorter URL (a long query belongs in a POST body where the route takes one) or fewer cookies' },
  408: { code: 'HTTP_REQUEST_TIMEOUT', kind: 'timeout', message: 'request: it did not arrive whole within 5 minutes; send it again on a faster link, or in smaller parts' },
} as const;

/**
 * Node's own refusals, before Fastify has a request (`clientErrorHandler`): headers over Node's limit
 * (431), a request that did not arrive whole within the request timeout (408), a request Node cannot
 * parse (400). Fastify's answers to them had no error code (a security review found the 431's), which
 * every other error has (docs/errors.md). The connection is closed after it, as Node does.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, error] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, NODE_REFUSALS[431]]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, NODE_REFUSALS[408]]
        : [400, { code: 'HTTP_BAD_REQUEST', kind: 'bad_request', message: 'request: it is not valid HTTP/1.1' }];
  const body = JSON.stringify({ error });
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  socket.destroy(err);
}

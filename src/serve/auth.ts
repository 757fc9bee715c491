/**
 * Authentication for the routes registered beside it: an `Authorization: Bearer <token>` header (API
 * clients) or the `nml_session` cookie of a logged-in user (the web UI). A cookie-authenticated request
 * that changes state must be JSON: a cross-site form cannot send that without a CORS preflight, which
 * this server never grants (with SameSite=Strict, the second guard against CSRF). A cookie-authenticated
 * WebSocket handshake must come from a page of this host and port, or of `http.publicUrl` (its `Origin`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failure, sendFailure, sendUnauthorized } from './http-errors.js';
import type { Role, Session } from './users/index.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
export const SESSION_COOKIE = 'nml_session';
/**
 * The session cookie's name when it is `Secure`: the `__Host-` prefix makes the browser keep it only when
 * it was set over HTTPS, with `Path=/` and no `Domain`, so a page of a sibling host (`x.example.com` beside
 * `nml.example.com`) or a plain-HTTP answer cannot plant one (a session of the attacker's, logged in as them).
 */
export const SECURE_SESSION_COOKIE = '__Host-nml_session';

/** The session cookie's name for `Secure` cookies or plain ones. */
export const sessionCookieName = (secure: boolean): string => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who a request acts for; the API token acts as an admin. */
export type Principal = { kind: 'token'; user: { name: string; role: Role } } | { kind: 'session'; user: { name: string; role: Role }; sessionId: string };

export const TOKEN_PRINCIPAL_NAME = 'api-token';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** whether the credentials this request came with still hold, and how often a WebSocket asks again while it lives */
    credentials: { valid(): boolean; recheckMs: number } | null;
  }
}

/** How often an open WebSocket checks that its credentials still hold. */
export const RECHECK_MS = 5000;

/**
 * Closes `socket` (1008, `AUTH_REQUIRED`) once the credentials of its handshake no longer hold: the user
 * deleted, the session ended (logout, a password change elsewhere, expiry), the API token rotated. A
 * feed authenticated once at its handshake outlived all of these. Returns the cleanup for `close`.
 */
export function closeWhenRevoked(socket: { close(code?: number, reason?: string): void }, req: FastifyRequest): () => void {
  const c = req.credentials;
  if (c === null) return () => undefined;
  const timer = setInterval(() => {
    if (c.valid()) return;
    clearInterval(timer);
    req.log.info({ user: req.principal?.user.name, principal: req.principal?.kind, url: req.url.split('?')[0] }, 'websocket closed: its credentials no longer hold');
    socket.close(1008, 'AUTH_REQUIRED');
  }, c.recheckMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = BEARER.exec(header);
  return m === null ? null : m[1]!;
}

export interface AuthOptions {
  tokens: { verify(token: string): boolean };
  /** sessions of logged-in users; absent: bearer tokens only */
  sessions?: { session(id: string, touch?: boolean): Session | null };
  /** how often an open WebSocket checks its credentials (default RECHECK_MS) */
  recheckMs?: number;
  /** `http.publicUrl`: the address people open the web UI at (a reverse proxy's); a page of its origin is the UI's own */
  publicUrl?: string | null;
  /** `Secure` session cookies: the session is read from `__Host-nml_session` only (`sessionCookieName`) */
  secureCookies?: boolean;
}

/** The session cookie's value (parsed by @fastify/cookie), or null; `name` is `sessionCookieName`'s (only that one is read). */
export function sessionCookie(req: FastifyRequest, name = SESSION_COOKIE): string | null {
  const v = (req as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

function isJson(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
}

function isWebSocket(req: FastifyRequest): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/**
 * True without an Origin header (not a browser), or when its host and port are the request's Host, or
 * the X-Forwarded-Host of a reverse proxy named in `http.trustProxy` (Fastify's `req.host` reads that
 * header only from such a proxy; from anyone else it is ignored), or when it is the origin of
 * `http.publicUrl` (`publicOrigin`): the operator said people open the UI there, and a proxy that
 * rewrites Host and sends no X-Forwarded-Host would otherwise refuse the UI's own live feed.
 */
function sameOrigin(req: FastifyRequest, publicOrigin: string | null): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed or file page) or garbage
  }
  // scheme, host and port all: an http page of the public host is not the https UI
  if (publicOrigin !== null && parsed.origin === publicOrigin) return true;
  return [req.headers.host, req.host].some((h) => typeof h === 'string' && h.trim().toLowerCase() === parsed.host);
}

/** The origin of `http.publicUrl` (`https://nml.example.org`), or null without one. */
function originOf(publicUrl: string | null | undefined): string | null {
  if (publicUrl === null || publicUrl === undefined) return null;
  try {
    return new URL(publicUrl).origin;
  } catch {
    return null; // the configuration checks it; a test double may not
  }
}

/** Sent by the web UI on requests it makes by itself (a page's refresh every few seconds): `1`. */
export const BACKGROUND_HEADER = 'x-nml-background';

export function apiAuth(opts: AuthOptions) {
  const recheckMs = opts.recheckMs ?? RECHECK_MS;
  const publicOrigin = originOf(opts.publicUrl);
  return function requireAuth(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const token = bearerToken(header);
      if (token === null) {
        sendUnauthorized(reply, 'the Authorization header is not a Bearer token');
        return;
      }
      if (!opts.tokens.verify(token)) {
        sendUnauthorized(reply, 'the token is not valid');
        return;
      }
      req.principal = { kind: 'token', user: { name: TOKEN_PRINCIPAL_NAME, role: 'admin' } };
      req.credentials = { valid: () => opts.tokens.verify(token), recheckMs };
      done();
      return;
    }
    const id = opts.sessions === undefined ? null : sessionCookie(req, sessionCookieName(opts.secureCookies === true));
    if (id === null) {
      sendUnauthorized(reply, opts.sessions === undefined ? 'no Authorization header' : 'not logged in and no Authorization header');
      return;
    }
    // the web UI marks its own polling: not the person's activity, so it does not hold the session open
    const session = opts.sessions!.session(id, req.headers[BACKGROUND_HEADER] === undefined);
    if (session === null) {
      sendUnauthorized(reply, 'the session has ended; log in again');
      return;
    }
    // a browser sends Origin with every WebSocket handshake, which neither SameSite (another port of the
    // same host is the same site) nor the JSON rule guards: another page could open a live feed with the cookie
    if (isWebSocket(req) && !sameOrigin(req, publicOrigin)) {
      sendFailure(reply, failure('SESSION_ORIGIN', 'bad_request', `auth: a session cookie from the page at ${String(req.headers.origin).slice(0, 200)} is not accepted here; open the web UI at its own address, or use a Bearer token`));
      return;
    }
    if (!SAFE_METHODS.has(req.method) && !isJson(req)) {
      sendFailure(reply, failure('SESSION_CSRF', 'bad_request', `auth: ${req.method} with a session cookie must be sent as application/json`));
      return;
    }
    req.principal = { kind: 'session', user: session.user, sessionId: id };
    const sessions = opts.sessions!;
    req.credentials = { valid: () => sessions.session(id, false) !== null, recheckMs };
    done();
  };
}

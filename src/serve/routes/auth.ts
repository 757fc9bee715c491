/**
 * `POST /api/auth/login` (open, rate-limited per address and per user name; at most a few password
 * hashes at once), and in the authenticated scope `POST /api/auth/logout` and `GET /api/auth/me`. The
 * session id travels only in an HttpOnly, SameSite=Strict cookie; the same error answers an unknown
 * user and a wrong password.
 */
import type {} from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.js';
import type { AuthUser, LoginRequest, MeResponse } from '../api.js';
import { sessionCookieName } from '../auth.js';
import { errorBody, errorReplies, noBody } from '../schemas.js';
import { ROLES, type UserStore } from '../users/index.js';
import { busyError, HashGate } from '../users/hash-gate.js';
import { clientKey, KnownAddresses, UserAttempts } from './login-limits.js';

export interface LoginLimits {
  /** attempts per window from one address, and for one user name */
  max: number;
  windowMs: number;
  /** password hashes at once and requests waiting for one (default `HASHES_DEFAULT`); the app builds its one `HashGate` from it */
  hashes?: { concurrent: number; waiting: number };
}

export const LOGIN_LIMITS_DEFAULT: LoginLimits = Object.freeze({ max: 10, windowMs: 60_000 });

export interface AuthRouteOptions {
  users: Pick<UserStore, 'login' | 'endSession' | 'get'>;
  /** add `Secure` to the cookie (TLS in front, or `http.secureCookies`) */
  secureCookies: boolean;
  limits?: LoginLimits;
  /** the app's one bound on password hashes, shared with user management */
  gate: HashGate;
}

const userSchema = { type: 'object', required: ['name', 'role'], properties: { name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } } } as const;
const userReply = { type: 'object', required: ['user'], properties: { user: userSchema } } as const;

function cookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure } as const;
}

/**
 * Refusals before any password is checked (rate-limited, busy) are made as fast as a client can send
 * them: one entry per client address a minute, the next one counting those left out meanwhile
 * (`alsoRefused`), so a flood cannot fill the audit log and is still told whole.
 */
export class RefusalThrottle {
  private readonly last = new Map<string, { at: number; left: number }>();
  constructor(private readonly everyMs = 60_000) {}

  /** null: leave this one out; else how many were left out since the last one written. */
  pass(key: string, now: number): number | null {
    const l = this.last.get(key);
    if (l !== undefined && now - l.at < this.everyMs) {
      l.left++;
      return null;
    }
    if (this.last.size >= 10_000) for (const [k, v] of this.last) if (now - v.at >= this.everyMs) this.last.delete(k);
    this.last.set(key, { at: now, left: 0 });
    return l?.left ?? 0;
  }
}

function auditRefusal(req: FastifyRequest, floods: RefusalThrottle, reason: string): void {
  const left = floods.pass(`${reason}:${clientKey(req.ip)}`, Date.now());
  if (left === null) return;
  req.audit({ action: 'login', outcome: 'refused', reason, details: left > 0 ? { alsoRefused: left } : {} });
}

function limited(after: string): AppError {
  return new AppError('AUTH_RATE_LIMITED', 'too_many_requests', `auth: too many login attempts; retry in ${after}`, { retryAfter: after });
}

/** The open half: login. */
export function loginRoutes(opts: AuthRouteOptions) {
  const limits = opts.limits ?? LOGIN_LIMITS_DEFAULT;
  return async function register(app: FastifyInstance): Promise<void> {
    await app.register(rateLimit, { global: false });
    // the login's answer sets the session cookie: no cache (a shared proxy, the browser's history) keeps it,
    // and, like the API's, none is sniffed into another type (these routes sit outside the API's scope)
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
      return payload;
    });
    // two limits on one request: createRateLimit checks without the plugin's one-limiter-per-request flag
    const common = { max: limits.max, timeWindow: limits.windowMs };
    const userKey = (req: FastifyRequest): string => {
      const name = (req.body as Partial<LoginRequest> | undefined)?.username;
      return typeof name === 'string' ? name.toLowerCase().slice(0, 64) : '';
    };
    const perAddress = app.createRateLimit({ ...common, keyGenerator: (req) => `ip:${clientKey(req.ip)}` });
    // a user that exists has its own counter, which no flood of made-up names can push out of the
    // plugin's LRU; made-up names are limited alike, so a 429 does not tell which names exist
    const perUnknownUser = app.createRateLimit({ ...common, keyGenerator: (req) => `user:${userKey(req)}` });
    const perUser = new UserAttempts(limits.max, limits.windowMs);
    const known = new KnownAddresses();
    const floods = new RefusalThrottle();
    const refuse = (req: FastifyRequest, reply: FastifyReply, seconds: number): never => {
      reply.header('retry-after', String(seconds));
      req.log.info({ ip: req.ip }, 'login rate-limited');
      auditRefusal(req, floods, 'AUTH_RATE_LIMITED');
      throw limited(`${seconds} s`);
    };
    const limitLogins = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const r = await perAddress(req);
      if ('isExceeded' in r && r.isExceeded) refuse(req, reply, r.ttlInSeconds);
      // guessing one user's password from many addresses stops at its limit, but an address the user
      // has logged in from lately is not held to it, so an attacker cannot lock the user out
      const name = userKey(req);
      if (known.has(name, clientKey(req.ip), Date.now())) return;
      if (opts.users.get(name) !== null) {
        const wait = perUser.hit(name, Date.now());
        if (wait !== null) refuse(req, reply, wait);
        return;
      }
      const u = await perUnknownUser(req);
      if ('isExceeded' in u && u.isExceeded) refuse(req, reply, u.ttlInSeconds);
    };

    app.post<{ Body: LoginRequest }>(
      '/api/auth/login',
      {
        preHandler: limitLogins,
        schema: {
          summary: 'log in to the web UI: sets the nml_session cookie (__Host-nml_session when cookies are Secure)',
          tags: ['auth'],
          security: [],
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['username', 'password'],
            properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
          },
          response: { 200: userReply, 400: errorBody, 401: errorBody, 429: errorBody, 500: errorBody, 503: errorBody },
        },
      },
      async (req, reply): Promise<MeResponse> => {
        const login = await opts.gate.run(() => opts.users.login(req.body.username, req.body.password));
        if (login === HashGate.FULL) {
          reply.header('retry-after', '5');
          req.log.warn({ ip: req.ip }, 'login refused: too many logins at once');
          auditRefusal(req, floods, 'AUTH_BUSY');
          throw busyError('logins');
        }
        if (login === null) {
          // the name only when such a user exists: a password typed into the name field stays out of the log
          const name = req.body.username.slice(0, 64).toLowerCase();
          const exists = opts.users.get(name) !== null;
          req.log.info({ ...(exists ? { user: name } : { unknownUser: true }), ip: req.ip }, 'login failed');
          // as in the log: the name tried only when it is a user's, never the password
          req.audit({ action: 'login', target: exists ? name : null, outcome: 'refused', reason: 'AUTH_LOGIN_FAILED', details: exists ? {} : { unknownUser: true } });
          throw new AppError('AUTH_LOGIN_FAILED', 'unauthorized', 'auth: wrong user name or password');
        }
        const { user, session } = login;
        known.add(userKey(req), clientKey(req.ip), Date.now());
        req.log.info({ user: user.name, ip: req.ip }, 'login');
        req.audit({ actor: user.name, role: user.role, action: 'login', target: user.name });
        reply.setCookie(sessionCookieName(opts.secureCookies), session.id, cookieOptions(opts.secureCookies));
        return { user };
      },
    );
  };
}

/**
 * A JSON body may be empty in this scope: a cookie-authenticated POST or DELETE must be sent as
 * `application/json` (the CSRF rule in serve/auth.ts) even when it carries nothing.
 */
export function acceptEmptyJson(app: FastifyInstance): void {
  // Fastify's own parser for a body that has something in it: it refuses `__proto__` and `constructor.prototype` keys
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (String(body).trim() === '') return done(null, undefined);
    parse(req, String(body), (err, value) => (err === null ? done(null, value) : done(new AppError('HTTP_BAD_REQUEST', 'bad_request', 'request: body is not valid JSON (or holds a __proto__ or constructor.prototype key)'), undefined)));
  });
}

/** The authenticated half: who am I, and log out. */
export function sessionRoutes(opts: AuthRouteOptions) {
  return async function register(app: FastifyInstance): Promise<void> {
    // logout may come with `Content-Type: application/json` and no body at all
    acceptEmptyJson(app);

    app.get(
      '/api/auth/me',
      { schema: { summary: 'the logged-in user (401 when not logged in)', tags: ['auth'], response: { 200: userReply, ...errorReplies } } },
      async (req): Promise<MeResponse> => ({ user: req.principal!.user as AuthUser }),
    );

    app.post(
      '/api/auth/logout',
      { schema: { summary: 'end the session and clear its cookie', tags: ['auth'], body: noBody, response: { 204: { type: 'null' }, ...errorReplies } } },
      async (req, reply: FastifyReply) => {
        const p = req.principal;
        if (p?.kind === 'session') {
          opts.users.endSession(p.sessionId);
          req.log.info({ user: p.user.name }, 'logout');
          req.audit({ action: 'logout', target: p.user.name });
        }
        reply.clearCookie(sessionCookieName(opts.secureCookies), cookieOptions(opts.secureCookies));
        return reply.code(204).send();
      },
    );
  };
}

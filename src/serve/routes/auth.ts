/**
 * `POST /api/auth/login` (open, rate-limited per address and per user name), and in the authenticated
 * scope `POST /api/auth/logout` and `GET /api/auth/me`. The session id travels only in an HttpOnly,
 * SameSite=Strict cookie; the same error answers an unknown user and a wrong password.
 */
import type {} from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.js';
import type { AuthUser, LoginRequest, MeResponse } from '../api.js';
import { SESSION_COOKIE } from '../auth.js';
import { errorBody, errorReplies } from '../schemas.js';
import type { UserStore } from '../users/index.js';

export interface LoginLimits {
  /** attempts per window from one address, and for one user name */
  max: number;
  windowMs: number;
}

export const LOGIN_LIMITS_DEFAULT: LoginLimits = Object.freeze({ max: 10, windowMs: 60_000 });

export interface AuthRouteOptions {
  users: Pick<UserStore, 'authenticate' | 'createSession' | 'endSession'>;
  /** add `Secure` to the cookie (TLS in front, or `http.secureCookies`) */
  secureCookies: boolean;
  limits?: LoginLimits;
}

const userSchema = { type: 'object', required: ['name', 'role'], properties: { name: { type: 'string' }, role: { type: 'string', enum: ['admin', 'analyst'] } } } as const;
const userReply = { type: 'object', required: ['user'], properties: { user: userSchema } } as const;

function cookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure } as const;
}

function limited(after: string): AppError {
  return new AppError('AUTH_RATE_LIMITED', 'too_many_requests', `auth: too many login attempts; retry in ${after}`, { retryAfter: after });
}

/** The open half: login. */
export function loginRoutes(opts: AuthRouteOptions) {
  const limits = opts.limits ?? LOGIN_LIMITS_DEFAULT;
  return async function register(app: FastifyInstance): Promise<void> {
    await app.register(rateLimit, { global: false });
    // two limits on one request: createRateLimit checks without the plugin's one-limiter-per-request flag
    const common = { max: limits.max, timeWindow: limits.windowMs };
    const perAddress = app.createRateLimit({ ...common, keyGenerator: (req) => `ip:${req.ip}` });
    const perUser = app.createRateLimit({
      ...common,
      keyGenerator: (req) => {
        const name = (req.body as Partial<LoginRequest> | undefined)?.username;
        return `user:${typeof name === 'string' ? name.toLowerCase().slice(0, 64) : ''}`;
      },
    });
    const limitLogins = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      for (const check of [perAddress, perUser]) {
        const r = await check(req);
        if ('isExceeded' in r && r.isExceeded) {
          reply.header('retry-after', String(r.ttlInSeconds));
          req.log.info({ ip: req.ip }, 'login rate-limited');
          throw limited(`${r.ttlInSeconds} s`);
        }
      }
    };

    app.post<{ Body: LoginRequest }>(
      '/api/auth/login',
      {
        preHandler: limitLogins,
        schema: {
          summary: 'log in to the web UI: sets the nml_session cookie',
          tags: ['auth'],
          security: [],
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['username', 'password'],
            properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
          },
          response: { 200: userReply, 400: errorBody, 401: errorBody, 429: errorBody, 500: errorBody },
        },
      },
      async (req, reply): Promise<MeResponse> => {
        const user = await opts.users.authenticate(req.body.username, req.body.password);
        if (user === null) {
          req.log.info({ user: req.body.username.slice(0, 64), ip: req.ip }, 'login failed');
          throw new AppError('AUTH_LOGIN_FAILED', 'unauthorized', 'auth: wrong user name or password');
        }
        const session = opts.users.createSession(user.name);
        req.log.info({ user: user.name, ip: req.ip }, 'login');
        reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(opts.secureCookies));
        return { user };
      },
    );
  };
}

/** The authenticated half: who am I, and log out. */
export function sessionRoutes(opts: AuthRouteOptions) {
  return async function register(app: FastifyInstance): Promise<void> {
    // logout may come with `Content-Type: application/json` and no body at all
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new AppError('HTTP_BAD_REQUEST', 'bad_request', 'request: body is not valid JSON'), undefined);
      }
    });

    app.get(
      '/api/auth/me',
      { schema: { summary: 'the logged-in user (401 when not logged in)', tags: ['auth'], response: { 200: userReply, ...errorReplies } } },
      async (req): Promise<MeResponse> => ({ user: req.principal!.user as AuthUser }),
    );

    app.post(
      '/api/auth/logout',
      { schema: { summary: 'end the session and clear its cookie', tags: ['auth'], response: { 204: { type: 'null' }, ...errorReplies } } },
      async (req, reply: FastifyReply) => {
        const p = req.principal;
        if (p?.kind === 'session') {
          opts.users.endSession(p.sessionId);
          req.log.info({ user: p.user.name }, 'logout');
        }
        reply.clearCookie(SESSION_COOKIE, cookieOptions(opts.secureCookies));
        return reply.code(204).send();
      },
    );
  };
}

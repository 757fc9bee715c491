/**
 * Users from the web UI. Every logged-in user changes their own password (`POST /api/auth/password`,
 * the current one first; their other sessions end). Admins logged in to the UI list, add, change and
 * remove users (`/api/users`); an analyst gets 403 `AUTH_FORBIDDEN`, and so does the API token: it is
 * what scripts and collectors hold, and a leaked one must not be able to plant an admin that outlives
 * its rotation (`nml user` on the server does the same). Each change is logged with who made it, never
 * with a password. Hashing goes through the app's one `HashGate`, so these routes cannot stall logins.
 * Wrong current passwords are limited per session (an attacker holding a stolen session cannot use up
 * the victim's tries) and, more loosely, per user.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.js';
import type { PasswordChangeRequest, UserCreateRequest, UserInfo, UserResponse, UsersResponse, UserUpdateRequest } from '../api.js';
import { errorBody, noBody } from '../schemas.js';
import { busyError, HashGate } from '../users/hash-gate.js';
import { ROLES, sessionDigest, type User, type UserStore } from '../users/index.js';
import type { UnassignCause } from '../../detect/index.js';
import { acceptEmptyJson, type LoginLimits } from './auth.js';

export interface UserRouteOptions {
  users: Pick<UserStore, 'changeOwnPassword' | 'list' | 'add' | 'update' | 'remove' | 'get'>;
  gate: HashGate;
  /** password changes tried per session and window, as for logins (per user: five times as many) */
  limits: LoginLimits;
  /** the detectors' findings: those assigned to a user removed or made a viewer are unassigned, recorded in each one's history; absent (no detectors) nothing to do */
  findings?: { unassignUser(user: string, by: string, at?: number, cause?: UnassignCause): number };
}

const role = { type: 'string', enum: [...ROLES] } as const;
// the length rules are the store's, with its message; the schema only bounds what is read
const password = { type: 'string', maxLength: 4096 } as const;
const userInfo = {
  type: 'object',
  required: ['name', 'role', 'created', 'updated'],
  properties: { name: { type: 'string' }, role, created: { type: 'integer' }, updated: { type: 'integer' } },
} as const;
const userReply = { type: 'object', required: ['user'], properties: { user: userInfo } } as const;
const nameParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } } as const;
const replies = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 429: errorBody, 500: errorBody, 503: errorBody } as const;

const info = (u: User): UserInfo => ({ name: u.name, role: u.role, created: u.created, updated: u.updated });

/** Refuses callers other than a logged-in admin (an onRequest-stage check, before the body is read). */
async function requireAdmin(req: FastifyRequest): Promise<void> {
  const p = req.principal!;
  if (p.kind !== 'session') {
    req.log.info({ principal: p.kind, route: req.routeOptions.url, method: req.method }, 'user management refused: the API token');
    throw new AppError('AUTH_FORBIDDEN', 'forbidden', "auth: the API token cannot manage users; log in to the web UI as an admin, or use 'nml user' on the server", { principal: p.kind });
  }
  if (p.user.role !== 'admin') {
    req.log.info({ user: p.user.name, route: req.routeOptions.url, method: req.method }, 'user management refused: not an admin');
    throw new AppError('AUTH_FORBIDDEN', 'forbidden', `auth: managing users needs the admin role; '${p.user.name}' has the ${p.user.role} role`, { role: p.user.role });
  }
}

/** A session's key for the rate limiter (a digest: the limiter's memory holds no session id). */
const sessionKey = (req: FastifyRequest): string => {
  const p = req.principal!;
  return p.kind === 'session' ? sessionDigest(p.sessionId) : 'token';
};

/** Runs a password hash through the gate; a full gate is 503 with `retry-after`. */
async function hashed<T>(gate: HashGate, reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  const r = await gate.run(fn);
  if (r !== HashGate.FULL) return r;
  reply.header('retry-after', '5');
  throw busyError('password hashes');
}

export function userRoutes(opts: UserRouteOptions) {
  return async function register(app: FastifyInstance): Promise<void> {
    acceptEmptyJson(app);
    await app.register(rateLimit, { global: false });
    // per session the login limit; per user five times that, so a stolen session alone cannot lock the owner out
    const perSession = app.createRateLimit({ max: opts.limits.max, timeWindow: opts.limits.windowMs, keyGenerator: (req) => `password-session:${sessionKey(req)}` });
    const perUser = app.createRateLimit({ max: 5 * opts.limits.max, timeWindow: opts.limits.windowMs, keyGenerator: (req) => `password-user:${req.principal!.user.name}` });

    app.post<{ Body: PasswordChangeRequest }>(
      '/api/auth/password',
      {
        schema: {
          summary: "change the logged-in user's own password; their other sessions end",
          tags: ['auth'],
          body: { type: 'object', additionalProperties: false, required: ['current', 'password'], properties: { current: password, password } },
          response: { 204: { type: 'null' }, ...replies },
        },
      },
      async (req, reply) => {
        const p = req.principal!;
        if (p.kind !== 'session') {
          throw new AppError('AUTH_NO_PASSWORD', 'bad_request', "auth: the API token has no password; a user's password is changed by its user or an admin in the web UI, or with 'nml user passwd' on the server");
        }
        for (const check of [perSession, perUser]) {
          const limit = await check(req);
          if ('isExceeded' in limit && limit.isExceeded) {
            reply.header('retry-after', String(limit.ttlInSeconds));
            throw new AppError('AUTH_RATE_LIMITED', 'too_many_requests', `auth: too many password changes tried; retry in ${limit.ttlInSeconds} s`, { retryAfter: `${limit.ttlInSeconds} s` });
          }
        }
        const ok = await hashed(opts.gate, reply, () => opts.users.changeOwnPassword(p.user.name, req.body.current, req.body.password, p.sessionId));
        if (!ok) {
          req.log.info({ user: p.user.name, ip: req.ip }, 'password change refused: wrong current password');
          throw new AppError('AUTH_PASSWORD_WRONG', 'bad_request', 'auth: the current password is wrong; your password was not changed');
        }
        req.log.info({ user: p.user.name, ip: req.ip }, 'password changed; other sessions ended');
        req.audit({ action: 'password.change', target: p.user.name });
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/users',
      { onRequest: requireAdmin, schema: { summary: 'every user with its role (admins only)', tags: ['auth'], response: { 200: { type: 'object', required: ['users'], properties: { users: { type: 'array', items: userInfo } } }, ...replies } } },
      async (): Promise<UsersResponse> => ({ users: opts.users.list().map(info) }),
    );

    app.post<{ Body: UserCreateRequest }>(
      '/api/users',
      {
        onRequest: requireAdmin,
        schema: {
          summary: 'add a user (admins only)',
          tags: ['auth'],
          body: { type: 'object', additionalProperties: false, required: ['name', 'role', 'password'], properties: { name: { type: 'string', maxLength: 200 }, role, password } },
          response: { 201: userReply, ...replies },
        },
      },
      async (req, reply): Promise<UserResponse> => {
        const user = await hashed(opts.gate, reply, () => opts.users.add(req.body.name, req.body.password, req.body.role));
        req.log.info({ user: req.principal!.user.name, target: user.name, role: user.role }, 'user added');
        req.audit({ action: 'user.create', target: user.name, details: { role: user.role } });
        reply.code(201);
        return { user: info(user) };
      },
    );

    app.patch<{ Params: { name: string }; Body: UserUpdateRequest }>(
      '/api/users/:name',
      {
        onRequest: requireAdmin,
        schema: {
          summary: "change a user's role or password (admins only); a new password ends the user's sessions; made a viewer, the findings assigned to them are unassigned, each one's history saying so (cause user-demoted)",
          tags: ['auth'],
          params: nameParams,
          body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { role, password } },
          response: { 200: userReply, ...replies },
        },
      },
      async (req, reply): Promise<UserResponse> => {
        const { name } = req.params;
        const { role: newRole, password: pw } = req.body;
        const before = opts.users.get(name)?.role;
        // all or nothing: the hash first, then role and hash in one transaction
        const user = pw === undefined ? await opts.users.update(name, req.body) : await hashed(opts.gate, reply, () => opts.users.update(name, req.body));
        const by = req.principal!.user.name;
        // after the change (the last admin is refused first): a viewer cannot act on what is assigned to them; a password alone is no demotion
        const unassigned = newRole === 'viewer' ? (opts.findings?.unassignUser(name, by, Date.now(), 'user-demoted') ?? 0) : 0;
        req.log.info({ user: by, target: name, role: newRole, passwordSet: pw !== undefined, ...(unassigned > 0 ? { unassigned } : {}) }, 'user changed');
        if (newRole !== undefined) req.audit({ action: 'user.role', target: name, details: { from: before ?? null, to: newRole, ...(unassigned > 0 ? { unassigned } : {}) } });
        // a reset by an admin: the user's sessions ended with it
        if (pw !== undefined) req.audit({ action: 'user.password', target: name, details: { sessionsEnded: true } });
        return { user: info(user) };
      },
    );

    app.delete<{ Params: { name: string } }>(
      '/api/users/:name',
      { onRequest: requireAdmin, schema: { summary: "remove a user and end its sessions (admins only; not the last admin); the findings assigned to them are unassigned, each one's history saying so (cause user-removed)", tags: ['auth'], params: nameParams, body: noBody, response: { 204: { type: 'null' }, ...replies } } },
      async (req, reply) => {
        const by = req.principal!.user.name;
        opts.users.remove(req.params.name);
        // after the removal (the last admin is refused first): nobody would see these findings as theirs
        const unassigned = opts.findings?.unassignUser(req.params.name, by) ?? 0;
        req.log.info({ user: by, target: req.params.name, unassigned }, 'user removed');
        req.audit({ action: 'user.delete', target: req.params.name, details: { unassigned } });
        return reply.code(204).send();
      },
    );
  };
}

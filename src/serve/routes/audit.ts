/**
 * The audit trail's HTTP side (the log itself: serve/users/audit.ts). `req.audit(...)`, a request
 * decorator any route calls in one line, records an action with the request's actor (the signed-in user
 * and role, or `api-token`) and client address; `recordRefusals` records the refusals of the audited
 * routes (a 403 of any route too) from the API scope's onError; `GET /api/audit` lists the entries,
 * newest first, for admins and the API token (an analyst or a viewer 403, nobody 401).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../core/index.js';
import { AUDIT_ACTIONS, type AuditAction } from '../users/audit-actions.js';
import { AUDIT_OUTCOMES, AUDIT_PAGE_MAX, type AuditLog, type AuditOutcome, type AuditRecord } from '../users/audit.js';
import { errorBody, errorReplies, timeParams } from '../schemas.js';
import { rangeFromParams } from '../time-params.js';

/** What a route gives `req.audit`: the action, and what it was on; the actor, role and address come from the request. */
export type AuditCall = Omit<AuditRecord, 'actor' | 'outcome' | 'address'> & { outcome?: AuditOutcome; actor?: string | null; role?: string | null };

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Records `entry` for this request's caller. `required`: the action must not go on unrecorded (data
     * leaving: an export), so a failed write throws 503 AUDIT_UNAVAILABLE; otherwise it is logged as an error.
     */
    audit(entry: AuditCall, required?: boolean): void;
  }
}

/** The audited actions of the API's routes, by `METHOD route`: their refusals are recorded with the error code. */
const ROUTE_ACTIONS: Readonly<Record<string, AuditAction>> = {
  'POST /api/auth/password': 'password.change',
  'GET /api/users': 'user.list',
  'POST /api/users': 'user.create',
  'PATCH /api/users/:name': 'user.update', // user.role or user.password, by what the body changes
  'DELETE /api/users/:name': 'user.delete',
  'GET /api/share/export': 'share.export',
  'GET /api/audit': 'audit.read',
  'POST /api/watches': 'watch.create',
  'PATCH /api/watches/:id': 'watch.update',
  'DELETE /api/watches/:id': 'watch.delete',
};

function unavailable(cause: unknown): AppError {
  return new AppError('AUDIT_UNAVAILABLE', 'unavailable', 'audit: this action could not be recorded in the audit log (users.db), so it was not done; free disk space in the data directory or check its permissions, then try again', {}, cause);
}

/** Adds `req.audit` to every request of `app`; without a log it records nothing. */
export function decorateAudit(app: FastifyInstance, log: AuditLog | undefined): void {
  app.decorateRequest('audit', function audit(this: FastifyRequest, entry: AuditCall, required = false): void {
    if (log === undefined) return;
    const p = this.principal;
    const record: AuditRecord = { actor: p?.user.name ?? null, role: p?.user.role ?? null, address: this.ip, outcome: 'ok', ...entry };
    try {
      log.record(record);
    } catch (e) {
      log.failed++;
      this.log.error({ err: e, action: entry.action }, 'audit: an entry could not be written');
      if (required) throw unavailable(e);
    }
  });
}

/**
 * In the API scope: a refusal of an audited route (ROUTE_ACTIONS) is recorded under its action, and a 403 of
 * any other route as `access.denied` naming it. Not a 401 (nobody is signed in to name) nor a 5xx (the server's fault).
 */
export function recordRefusals(app: FastifyInstance): void {
  app.addHook('onError', async (req, _reply, error) => {
    if (!isAppError(error) || req.principal === null) return;
    const route = `${req.method} ${req.routeOptions.url ?? ''}`;
    const named = ROUTE_ACTIONS[route];
    // a change refused is told under what it would have changed (a role, else a password); refused before its body was read, user.update
    const body = req.body as { role?: unknown } | null | undefined;
    const action = named !== 'user.update' || body === undefined || body === null ? named : body.role !== undefined ? 'user.role' : 'user.password';
    const forbidden = error.kind === 'forbidden';
    if (action === undefined && !forbidden) return;
    if (['internal', 'unavailable', 'timeout', 'unauthorized'].includes(error.kind)) return;
    const target = (req.params as { name?: unknown } | undefined)?.name;
    req.audit({ action: action ?? 'access.denied', target: typeof target === 'string' ? target : action === undefined ? route : null, reason: error.code, outcome: 'refused', details: action === undefined ? {} : { route } });
  });
}

interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  before?: number;
  limit?: number;
}

const entrySchema = {
  type: 'object',
  required: ['id', 'at', 'actor', 'role', 'action', 'target', 'address', 'outcome', 'reason', 'details'],
  properties: {
    id: { type: 'integer' },
    at: { type: 'integer', description: 'ms since 1970' },
    actor: { type: ['string', 'null'], description: 'the user, api-token, cli:<account> (nml user on the server), or null when nobody was signed in (a failed login)' },
    role: { type: ['string', 'null'] },
    action: { type: 'string', description: `one of ${AUDIT_ACTIONS.join(', ')}` },
    target: { type: ['string', 'null'], description: 'what the action was on: a user name, a route' },
    address: { type: ['string', 'null'], description: "the client's address" },
    outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
    reason: { type: ['string', 'null'], description: "a refusal's error code" },
    details: { type: 'object', additionalProperties: true, description: 'what else the action had: a range and query, a key fingerprint, a role (never a password, token or session)' },
  },
} as const;

/** Admins and the API token (whose principal is an admin); others 403. */
async function requireAdmin(req: FastifyRequest): Promise<void> {
  const p = req.principal!;
  if (p.user.role === 'admin') return;
  throw new AppError('AUTH_FORBIDDEN', 'forbidden', `auth: the audit log needs the admin role; '${p.user.name}' has the ${p.user.role} role`, { role: p.user.role });
}

export function auditRoutes(deps: { audit: AuditLog; now: () => number }) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: AuditQuery }>(
      '/api/audit',
      {
        onRequest: requireAdmin,
        schema: {
          summary: 'the audit log, newest first (admins and the API token): sign-ins, user changes, exports, refusals',
          tags: ['auth'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              ...timeParams,
              actor: { type: 'string', minLength: 1, maxLength: 80, description: 'only this actor (a user name, api-token)' },
              action: { type: 'string', minLength: 1, maxLength: 80, description: 'only this action (login, user.create, share.export…)' },
              outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
              before: { type: 'integer', minimum: 1, description: 'paging: the `next` of the previous page (entries older than it)' },
              limit: { type: 'integer', minimum: 1, maximum: AUDIT_PAGE_MAX, description: `entries per page (default 100, at most ${AUDIT_PAGE_MAX})` },
            },
          },
          response: {
            200: { type: 'object', required: ['entries', 'next'], properties: { entries: { type: 'array', items: entrySchema }, next: { type: ['integer', 'null'], description: 'before= for the next, older page; null: no more' } } },
            ...errorReplies,
            403: errorBody,
          },
        },
      },
      async (req) => {
        const q = req.query;
        const range = q.from === undefined && q.to === undefined ? { from: null, to: null } : rangeFromParams(q, deps.now());
        return deps.audit.list({
          ...(range.from === null ? {} : { from: range.from }),
          ...(range.to === null ? {} : { to: range.to }),
          actor: q.actor,
          action: q.action,
          outcome: q.outcome,
          before: q.before,
          limit: q.limit,
        });
      },
    );
  };
}

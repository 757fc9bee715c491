/**
 * The viewer role reads everything an analyst reads and changes nothing: no triage, nothing
 * saved to the incident base (a session cannot ingest at all). Checked per route, at onRequest (before a body is read), on the session's
 * role; the API token is a machine's and keeps what it may do.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/index.js';

/** Whether the request is a viewer's session (the API token is never one). */
export function isViewer(req: FastifyRequest): boolean {
  const p = req.principal;
  return p !== null && p.kind === 'session' && p.user.role === 'viewer';
}

/** Throws AUTH_FORBIDDEN for a viewer's session: `what` is the change refused, in words ("triaging findings"). */
export function refuseViewer(req: FastifyRequest, what: string): void {
  if (!isViewer(req)) return;
  const p = req.principal!;
  req.log.info({ user: p.user.name, route: req.routeOptions.url, method: req.method }, 'refused: the viewer role reads only');
  throw new AppError('AUTH_FORBIDDEN', 'forbidden', `auth: ${what} needs the analyst or admin role; '${p.user.name}' is a viewer, who reads only (an admin can change the role)`, { role: 'viewer' });
}

/** An onRequest hook refusing a viewer's session (see refuseViewer). */
export function viewersRefused(what: string): (req: FastifyRequest) => Promise<void> {
  return async (req) => refuseViewer(req, what);
}

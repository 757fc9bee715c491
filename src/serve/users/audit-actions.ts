/**
 * Every action the audit log records, in one list: `AuditRecord.action` is typed by it, so a new action
 * is added here or does not compile, and the web UI's filter (Account › Audit log) imports it, so the
 * filter offers each one. No imports: the web bundle takes this file as it is.
 */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'password.change',
  'user.list',
  'user.create',
  // a refusal of PATCH /api/users/:name before its body was read; a change itself is user.role or user.password
  'user.update',
  'user.role',
  'user.password',
  'user.delete',
  'search.export',
  'share.export',
  'watch.create',
  'watch.update',
  'watch.delete',
  // a 403 of any route that is not one of the above
  'access.denied',
  'audit.read',
  'token.rotated',
  'backup.taken',
  'audit.pruned',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

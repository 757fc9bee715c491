/** Users and sessions of the web UI (a folder of serve/; serve/index.ts re-exports what others need). */
export { UserStore, SESSION_DEFAULTS, ROLES, MIN_PASSWORD, checkUserName, checkPassword, checkRole, canTriage, viewerAssignee, notFound as userNotFound, sessionDigest, usersWithReservedNames, reservedNamesWarning } from './store.js';
export type { Role, User, Session, SessionLimits, UserStoreOptions } from './store.js';
export { SCRYPT_DEFAULT, type ScryptParams } from './password.js';
export { FIRST_PASSWORD_FILE, readFirstPassword } from './first-password.js';
export { AuditLog, readAudit, hasAuditTable, cleanDetails, AUDIT_DEFAULTS, AUDIT_OUTCOMES, AUDIT_PAGE_MAX } from './audit.js';
export { AUDIT_ACTIONS, type AuditAction } from './audit-actions.js';
export type { AuditEntry, AuditFilter, AuditOutcome, AuditPage, AuditPruned, AuditRecord, AuditValue } from './audit.js';

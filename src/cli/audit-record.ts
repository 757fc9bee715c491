/**
 * A change a command makes (`nml user`, `nml watch`) goes into the audit trail as the server's do, its
 * actor `cli:<account>` (whoever ran it). Nothing is recorded where the data directory has no users.db
 * yet (no server has run there: nobody to answer to); an entry that cannot be written is a warning on
 * stderr, and the change stands.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AuditLog, type AuditAction, type AuditValue } from '../serve/users/index.js';

export function recordCliAudit(usersDb: string, action: AuditAction, target: string, details: Record<string, AuditValue> = {}): void {
  if (!existsSync(usersDb)) return;
  let log: AuditLog | null = null;
  try {
    log = new AuditLog(usersDb);
    log.record({ actor: `cli:${userInfo().username}`, action, target, outcome: 'ok', details });
  } catch (e) {
    process.stderr.write(`nml: warning: the audit log in users.db could not record ${action} of ${target}: ${(e as Error).message}\n`);
  } finally {
    log?.close();
  }
}

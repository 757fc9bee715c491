/**
 * The audit trail for `nml serve` (serve/users/audit.ts): opened on the users.db the user store has just
 * opened, pruned at start and hourly by `audit.retentionDays` and `audit.maxEntries` (what went is logged,
 * and a removal past the cap is a warning), and told of what happens outside any request: the API token
 * file rotated (`token.rotated`, actor null: the file changed, by whoever may write it), and each scheduled
 * backup (`backup.taken`, actor null: a copy of the users, the logs and, with `backup.includeSecrets`, the
 * API token left for `backup.dir`).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { NmlConfig } from './config-types.js';
import { AuditLog } from './serve/index.js';
import type { BackupSchedule } from './backup/index.js';

export interface AuditWiring {
  log: AuditLog;
  close(): void;
}

export function openAudit(usersDb: string, config: Pick<NmlConfig, 'audit'>, logger: FastifyBaseLogger): AuditWiring {
  const log = new AuditLog(usersDb, { retentionMs: config.audit.retentionDays * 86_400_000, maxEntries: config.audit.maxEntries });
  const stop = log.startRetention(
    (p) => {
      if (p.expired > 0) logger.info({ removed: p.expired, retentionDays: config.audit.retentionDays }, 'audit retention: entries older than audit.retentionDays removed');
      if (p.capped > 0) {
        const through = p.cappedThrough === null ? null : new Date(p.cappedThrough).toISOString();
        logger.warn({ removed: p.capped, newestRemoved: through, maxEntries: config.audit.maxEntries }, `audit: more than audit.maxEntries entries; the ${p.capped} oldest (failed logins first) were removed before their retention, up to ${through}; raise audit.maxEntries to keep more`);
      }
    },
    (err) => logger.error({ err }, 'audit retention: the pass failed; the next one (in an hour) tries again'),
  );
  return {
    log,
    close: () => {
      stop();
      log.close();
    },
  };
}

/** Records that the API token file now holds a new token (or none that is valid). */
export function auditTokenChange(audit: AuditWiring | null | undefined, valid: boolean, logger: FastifyBaseLogger): void {
  audit?.log.tryRecord({ actor: null, action: 'token.rotated', outcome: valid ? 'ok' : 'refused', reason: valid ? null : 'TOKEN_FILE_INVALID', details: {} }, (err) => logger.error({ err }, 'audit: an entry could not be written'));
}

/**
 * Records each scheduled backup's run: ok with the folder, files, bytes and whether secrets went with it;
 * a failed run as refused with its error code (nothing was left for `backup.dir`). Returns the unsubscribe.
 */
export function auditBackups(audit: AuditWiring, schedule: Pick<BackupSchedule, 'subscribe'>, includeSecrets: boolean, logger: FastifyBaseLogger): () => void {
  return schedule.subscribe((run) => {
    audit.log.tryRecord(
      {
        actor: null,
        action: 'backup.taken',
        target: run.folder,
        outcome: run.ok ? 'ok' : 'refused',
        reason: run.ok ? null : (run.code ?? 'BACKUP_PROCESS_FAILED'),
        // `sensitiveFiles`: backup.includeSecrets (the API token, the first admin password, login sessions); a key
        // named for secrets would be dropped as one (serve/users/audit.ts)
        details: { files: run.files, bytes: run.bytes, durationMs: run.durationMs, sensitiveFiles: includeSecrets, pruned: run.pruned.length },
        at: run.finishedAt,
      },
      (err) => logger.error({ err }, 'audit: an entry could not be written'),
    );
  });
}

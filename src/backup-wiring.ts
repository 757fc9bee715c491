/**
 * Scheduled backups (`backup.*`) wired into `nml serve`: the schedule (backup/schedule.ts), its lines in
 * the server log, and a failed backup told to the findings webhooks. Those webhooks take findings, and a
 * failed backup is none (it is not stored in findings.db nor shown on the Alerts page): it is one message
 * of its own, POSTed once with the notifier's delivery (`deliver`: its timeout, headers and format), to
 * each webhook of `findings.notify` without a `detectors` filter (one limited to some detectors asked for
 * those detectors' findings only). Told at the first failure of a streak, and once more when a backup
 * verifies again, not at every failed run. Whether `backup.dir` can be written is checked at start and
 * said as a warning: the server starts anyway (ingest matters more than the backup), and each run reports it.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { BackupSchedule, type BackupRun } from './backup/index.js';
import { backupEveryMs } from './config-backup.js';
import type { NmlConfig } from './config-types.js';
import { describeCause, redactedUrl } from './core/index.js';
import { deliver, deliveryAdvice, NOTIFY_DEFAULTS, type WebhookConfig } from './detect/index.js';
import { localHost } from './config-follow.js';
import { VERSION } from './version.js';

/** Timings tests shorten: the interval (`backup.every`, at least a minute there) and the first run's delay. */
export interface BackupTimings {
  everyMs?: number;
  firstDelayMs?: number;
}

export interface RunningBackups {
  schedule: BackupSchedule;
  close(): Promise<void>;
}

const iso = (ms: number | null | undefined): string => (ms == null ? 'none' : new Date(ms).toISOString());
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** The message's body in the webhook's format: `slack` is `{"text"}`, `json` NML's own. */
export function backupAlertBody(hook: Pick<WebhookConfig, 'format'>, run: BackupRun, lastGood: number | null, host: string): string {
  const text = run.ok
    ? `NML on ${host}: scheduled backups work again: ${run.folder} verified (${run.files} files, ${mb(run.bytes)} MB).`
    : `NML on ${host}: the scheduled backup failed (${run.code}): ${run.error}; last verified backup: ${iso(lastGood)}.`;
  if (hook.format === 'slack') return JSON.stringify({ text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') });
  return JSON.stringify({ kind: run.ok ? 'backup-recovered' : 'backup-failed', host, at: iso(run.finishedAt), code: run.code, message: run.ok ? null : run.error, folder: run.folder, lastSuccessAt: lastGood === null ? null : iso(lastGood), text });
}

/** Starts the schedule when `backup.dir` is set; null otherwise (no schedule: backups are `nml backup`'s). */
export function openBackups(config: Readonly<NmlConfig>, logger: FastifyBaseLogger, timings: BackupTimings = {}): RunningBackups | null {
  const b = config.backup;
  if (b.dir === null) return null;
  const dir = resolve(b.dir);
  const everyMs = timings.everyMs ?? backupEveryMs(config);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    logger.warn({ backupDir: dir }, `backup: backup.dir ${dir} cannot be written (${describeCause(e)}); the scheduled backups fail until it can: make it a folder the user nml runs as may write`);
  }
  const schedule = new BackupSchedule({ dataDir: config.dataDir, dir, everyMs, keep: b.keep, includeSecrets: b.includeSecrets, nmlVersion: VERSION, ...(timings.firstDelayMs === undefined ? {} : { firstDelayMs: timings.firstDelayMs }) });
  const hooks = config.findings.notify.filter((h) => h.detectors === null);
  const closing = new AbortController();
  const sending = new Set<Promise<void>>();
  const host = localHost() ?? 'this host';
  let alerted = false;
  const tell = (run: BackupRun, lastGood: number | null): void => {
    for (const hook of hooks) {
      const p = deliver(hook, backupAlertBody(hook, run, lastGood, host), NOTIFY_DEFAULTS.timeoutMs, closing.signal).then((r) => {
        if (!r.ok) logger.warn({ webhook: redactedUrl(hook.url), status: r.status }, `backup: the message that the ${run.ok ? 'backups work again' : 'backup failed'} could not be sent to ${redactedUrl(hook.url)} (${r.why}); ${deliveryAdvice(r)}`);
      });
      sending.add(p);
      void p.finally(() => sending.delete(p));
    }
  };
  let lastGood = schedule.status().lastSuccess?.at ?? null;
  schedule.subscribe((run) => {
    if (run.ok) {
      logger.info({ backup: run.folder, files: run.files, bytes: run.bytes, ms: run.durationMs, pruned: run.pruned.length }, `backup: taken and verified in ${run.folder}: ${run.files} files, ${mb(run.bytes)} MB in ${(run.durationMs / 1000).toFixed(1)} s${run.pruned.length === 0 ? '' : `; ${run.pruned.length} older removed (backup.keep ${b.keep})`}`);
      if (run.error !== null) logger.warn({ backupDir: dir }, run.error);
      if (alerted) tell(run, run.finishedAt);
      alerted = false;
      lastGood = run.finishedAt;
      return;
    }
    logger.error({ code: run.code, backupDir: dir, ms: run.durationMs }, `${run.error} (last verified backup: ${iso(lastGood)})`);
    if (!alerted) tell(run, lastGood);
    alerted = true;
  });
  schedule.start();
  lastGood = schedule.status().lastSuccess?.at ?? null;
  logger.info(
    { backupDir: dir, everyMs, keep: b.keep, alerts: hooks.length },
    `backup: every ${b.every} into ${dir}, the newest ${b.keep} kept; last verified backup ${iso(lastGood)}, next at ${iso(schedule.status().nextAt)}; a failure is told to ${hooks.length} webhook${hooks.length === 1 ? '' : 's'} (those of findings.notify without a detectors filter)`,
  );
  return {
    schedule,
    async close() {
      await schedule.close();
      // a message under way gets its timeout to finish, no more
      await Promise.race([Promise.allSettled([...sending]), new Promise((r) => setTimeout(r, NOTIFY_DEFAULTS.timeoutMs).unref())]);
      closing.abort();
    },
  };
}

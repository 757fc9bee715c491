/**
 * `backup`: the scheduled backups of `nml serve` (backup/schedule.ts), checked with the rest of the
 * configuration. `dir` null is no schedule. What a path alone can tell is checked here (a folder inside
 * the data directory: each backup would copy the ones before; one that holds the data directory is
 * fine, the backups are folders of their own names in it); whether it can be written is
 * known only on the disk: the server checks it at start and at each run, and reports it there.
 */
import { resolve, sep } from 'node:path';
import { AppError, durationMs } from './core/index.js';
import type { NmlConfig } from './config-types.js';

/** the shortest `backup.every`: a backup reads the whole data directory */
export const BACKUP_EVERY_MIN_MS = 60_000;

function bad(field: string, value: unknown, want: string): never {
  throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${field} is ${JSON.stringify(value)}; expected ${want}`, { field });
}

const within = (a: string, b: string): boolean => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);

/** Throws CONFIG_INVALID naming the `backup.*` setting at fault. */
export function checkBackupConfig(c: Pick<NmlConfig, 'backup' | 'dataDir'>): void {
  const b = c.backup;
  if (b.dir !== null && (typeof b.dir !== 'string' || b.dir.trim() === '')) bad('backup.dir', b.dir, 'the folder scheduled backups are written to (each run a new nml-backup-<time> folder in it), or null for no scheduled backups');
  const every = typeof b.every === 'string' ? durationMs(b.every) : null;
  if (every === null) bad('backup.every', b.every, 'a length of time such as "6h" or "1d" (a whole number and s, m, h, d or w)');
  if (every < BACKUP_EVERY_MIN_MS) bad('backup.every', b.every, 'at least "1m": each backup copies the whole data directory');
  if (!Number.isInteger(b.keep) || b.keep < 1 || b.keep > 1000) bad('backup.keep', b.keep, 'a whole number from 1 to 1000 (verified backups kept; an older one is removed only after a newer one verified)');
  if (b.dir === null) return;
  const dir = resolve(b.dir);
  const data = resolve(c.dataDir);
  if (within(dir, data)) bad('backup.dir', b.dir, `a folder outside the data directory ${data} (a backup inside it would be copied into the next one), such as ${resolve(data, '..', 'nml-backups')}`);
}

/** `backup.every` in ms (checked by checkBackupConfig). */
export function backupEveryMs(c: Pick<NmlConfig, 'backup'>): number {
  return durationMs(c.backup.every)!;
}

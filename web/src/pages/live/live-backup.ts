/**
 * The Live page's word on the scheduled backups (`backup.dir`, `/api/live`'s `backup`): a tile with the last
 * verified backup's age, how many are kept and when the next runs; and, while the last run failed, an
 * alert with its code and message, the streak and the last good one's age. Times are the server's.
 */
import type { ApiBackupStats } from '../../lib/types.ts';

export interface BackupTileText {
  value: string;
  sub: string;
  /** the last run failed: the tile is marked, the alert says why */
  failing: boolean;
}

type Ago = (t: number, now: number) => string;

/** When the next run starts, in words: "next in 5h", "next due now", or nothing once the schedule stopped. */
function nextWords(b: ApiBackupStats, now: number, ago: Ago): string | null {
  if (b.running) return 'taking one now';
  if (b.nextAt === null) return null;
  return b.nextAt > now ? `next ${ago(b.nextAt, now)}` : 'next due now';
}

/** How many runs failed since the last verified one (a server before `failedInARow`: at least one). */
export function failedRuns(b: ApiBackupStats): number {
  return b.failedInARow ?? (b.lastRun !== null && !b.lastRun.ok ? 1 : 0);
}

/** The "Last backup" tile: null where the server does not say (before it told the Live page); "off" without a schedule. */
export function backupTile(b: ApiBackupStats | null | undefined, now: number, ago: Ago): BackupTileText | null {
  if (b === undefined) return null;
  if (b === null) return { value: 'off', sub: 'not scheduled: set backup.dir', failing: false };
  const failing = b.lastRun !== null && !b.lastRun.ok;
  const parts: string[] = [];
  if (failing) {
    const n = failedRuns(b);
    parts.push(`${n === 1 ? 'last run' : `${n} runs in a row`} failed`);
  }
  parts.push(`${b.kept} of ${b.keep} kept`);
  const next = nextWords(b, now, ago);
  if (next !== null) parts.push(next);
  return { value: b.lastSuccess === null ? 'none yet' : ago(b.lastSuccess.at, now), sub: parts.join(' · '), failing };
}

/** The alert while the last run failed (null otherwise): what failed, how often, since when the backups are not current. */
export function backupAlert(b: ApiBackupStats | null | undefined, now: number, ago: Ago, utc: (t: number) => string): { head: string; detail: string[] } | null {
  if (b === undefined || b === null || b.lastRun === null || b.lastRun.ok) return null;
  const run = b.lastRun;
  const n = failedRuns(b);
  const head = `The scheduled backup failed${n === 1 ? '' : ` ${n} times in a row`} (${run.code ?? 'no code'}, ${ago(run.finishedAt, now)})`;
  const detail: string[] = [];
  if (run.error !== null) detail.push(run.error);
  detail.push(b.lastSuccess === null ? 'No verified backup of this data directory yet.' : `Last verified backup: ${ago(b.lastSuccess.at, now)} (${utc(b.lastSuccess.at)}); ${b.kept} kept.`);
  const next = nextWords(b, now, ago);
  detail.push(`${next === null ? 'The schedule is stopped.' : `Next try: ${next.replace(/^next /, '')}.`} ${b.failures} failed since the server started; the server log has each.`);
  return { head, detail };
}

/** Time-range flags shared by search and count. */
import type { Command } from 'commander';
import { AppError, isAppError, type TimeRange } from '../../core/index.js';
import { parseTimeRange, reversedRangeText } from '../../search/index.js';

export function addRangeOptions(cmd: Command): Command {
  return cmd
    .option('--from <time>', "start: ISO time, relative (-15m, -2h, -7d), epoch ms, or Hayabusa's 2017/10/17/15/*")
    .option('--to <time>', 'end (exclusive), same forms; default now');
}

/** The range of --from and --to; one whose start is after its end is said with the options' names. */
export function rangeOf(flags: { from?: string; to?: string }, now = Date.now()): TimeRange {
  try {
    return parseTimeRange({ from: flags.from, to: flags.to }, now);
  } catch (e) {
    if (!isAppError(e) || e.details?.reversed !== true) throw e;
    throw new AppError(e.code, e.kind, `time: ${reversedRangeText(flags.from!, flags.to!, { from: '--from', to: '--to' })}`, e.details, e);
  }
}

/**
 * What to add where nothing matched in a range that starts after `now` (a mistyped year, say): only
 * lines stamped ahead of the clock could be there. Empty for any other range. The web UI refuses such a
 * range, as it reads up to now; the CLI's range is open at its end unless --to is given, so it says so.
 */
export function futureRangeNote(range: TimeRange, now: number): string {
  if (range.from === null || range.from <= now) return '';
  return ` (the range starts at ${new Date(range.from).toISOString()}, after now: only lines stamped ahead of the clock could match; check --from)`;
}

import { daysFromCivil, wallClockToMs, yearOfMs } from './calendar.js';
import { MAX_FUTURE_MS } from './event-time.js';
import type { Clock } from './options.js';

// A device clock a little ahead of ours still belongs to this year; anything later is last year's log
// arriving late (a December line received in January, a late-December line replayed three weeks on). The
// bound is the one trustedTime files by, so an inferred year is never one whose time it then throws away.

const MS_PER_DAY = 86_400_000;

// Lines arrive in receive-time order, so the year of the previous receive time almost always answers:
// a memo of one year's bounds saves the civil-date arithmetic per line. It cannot change any result.
let memoFrom = 0;
let memoTo = 0;
let memoYear = NaN;

function yearOf(ms: number): number {
  if (ms >= memoFrom && ms < memoTo) return memoYear;
  const y = yearOfMs(ms);
  memoFrom = daysFromCivil(y, 1, 1) * MS_PER_DAY;
  memoTo = daysFromCivil(y + 1, 1, 1) * MS_PER_DAY;
  memoYear = y;
  return y;
}

/**
 * Time of a BSD timestamp (no year): the year that puts it nearest to receivedAt without being more
 * than MAX_FUTURE_MS (a day) after it, or opts.defaultYear. NaN when the date exists in no nearby year.
 */
export function bsdTime(month: number, day: number, dayMs: number, offsetMin: number, clock: Clock): number {
  if (!Number.isNaN(clock.defaultYear)) return wallClockToMs(clock.defaultYear, month, day, dayMs, offsetMin);
  const ref = Number.isFinite(clock.receivedAt) ? clock.receivedAt : 0;
  const limit = ref + MAX_FUTURE_MS;
  const refYear = yearOf(ref + offsetMin * 60_000);
  // Any date of next year is at or after memoTo (its first day, which yearOf just memoized) less the
  // offset: beyond the limit unless receivedAt is within a day of the year's end, so most lines skip that year.
  const first = limit < memoTo - offsetMin * 60_000 ? refYear : refYear + 1;
  // Feb 29 may need to reach back to the previous leap year: eight years across a century (2096 from 2101).
  for (let y = first; y >= refYear - 8; y--) {
    const t = wallClockToMs(y, month, day, dayMs, offsetMin);
    if (t <= limit) return t;
  }
  return NaN;
}

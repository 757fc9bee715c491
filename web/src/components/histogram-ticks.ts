/**
 * The histogram's time axis: 24-hour UTC tick labels as fine as the ticks are apart, and the room a
 * label needs. A range of a few seconds has ticks 200 ms apart, and labelled to the second they read
 * "07:15:36" five times over (a UI review): under a second apart they carry milliseconds.
 */
const p2 = (n: number): string => String(n).padStart(2, '0');
const p3 = (n: number): string => String(n).padStart(3, '0');

/** The label of the tick at `ms` when ticks are `incr` ms apart: the date where a tick falls on midnight or ticks are days apart, the month or year where they are months or years apart. */
export function tickLabel(ms: number, incr: number): string {
  const d = new Date(ms);
  const date = `${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
  const hm = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
  // ticks a year or more apart fall on 1 January: the year tells them apart ("01-01" ten times did not)
  if (incr >= 365 * 86_400_000) return String(d.getUTCFullYear());
  // a month or more apart: the year with the month
  if (incr >= 28 * 86_400_000) return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}`;
  if (incr >= 86_400_000) return date;
  if (incr < 1000) return `${hm}:${p2(d.getUTCSeconds())}.${p3(d.getUTCMilliseconds())}`;
  if (incr < 60_000) return `${hm}:${p2(d.getUTCSeconds())}`;
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? date : hm;
}

/** uPlot's least gap between ticks (CSS px) for its axis default */
const SPACE = 50;
/** the gap for labels with milliseconds (`07:15:36.200`, about 75 px at 11 px) */
const SPACE_MS = 90;

/**
 * The least gap between ticks (CSS px) for a range of `min`..`max` ms over `dim` px: wider where ticks
 * at the usual gap would be under a second apart, and so labelled to the millisecond.
 */
export function tickSpace(min: number, max: number, dim: number): number {
  return dim > 0 && ((max - min) / dim) * SPACE < 1000 ? SPACE_MS : SPACE;
}

/**
 * The steps the count axis may tick at: whole numbers only (1, 2, 5, 10, 20, 50, …). uPlot's own steps
 * go below 1, and a search of one match (or none) had its axis labelled 0, 0.5, 1: half a match.
 */
export const COUNT_STEPS: readonly number[] = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3));

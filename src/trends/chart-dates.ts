/**
 * The dates under a trend card's lines (the Trends page): the lines had no time axis, so "since when"
 * and "when was the peak" had no answer on the page. No imports: the web bundle uses it.
 */

export interface AxisDate {
  /** the point's index in the line */
  index: number;
  /** its period's start as the page writes dates, YYYY-MM-DD (UTC) */
  date: string;
  /** where along the line, 0 (first point) to 1 (last) */
  at: number;
}

/**
 * The period starts to label under a line of `starts.length` points: the first, the last, and up to
 * `count - 2` evenly spaced between (fewer when the line has fewer points). Four fit under a line of a
 * 20rem card (a date is about 70 px wide).
 */
export function axisDates(starts: readonly string[], count = 4): AxisDate[] {
  const n = starts.length;
  if (n === 0) return [];
  if (n === 1) return [{ index: 0, date: starts[0]!.slice(0, 10), at: 0 }];
  const indices = new Set<number>();
  const slots = Math.max(2, Math.min(count, n));
  for (let k = 0; k < slots; k++) indices.add(Math.round((k * (n - 1)) / (slots - 1)));
  return [...indices].map((index) => ({ index, date: starts[index]!.slice(0, 10), at: index / (n - 1) }));
}

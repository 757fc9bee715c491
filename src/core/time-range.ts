/** A half-open time interval [from, to) in ms since epoch; either end may be open. */
export interface TimeRange {
  from: number | null;
  to: number | null;
}

export const ALL_TIME: TimeRange = Object.freeze({ from: null, to: null });

export function overlaps(r: TimeRange, from: number, to: number): boolean {
  if (r.from !== null && to <= r.from) return false;
  if (r.to !== null && from >= r.to) return false;
  return true;
}

export function contains(r: TimeRange, t: number): boolean {
  return (r.from === null || t >= r.from) && (r.to === null || t < r.to);
}

/** The largest time a JS Date holds, ms either side of 1970 (ECMAScript's ±8.64e15). */
export const MAX_DATE_MS = 8.64e15;

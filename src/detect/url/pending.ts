/** The sightings of a URL that waits to be scored (live.ts), kept whole in bounded memory. */

/** Times of a waiting URL's sightings kept one by one; past them only a count and a span (Pending). */
export const PENDING_CAP = 1024;

/**
 * A queued URL's sightings while it waits: their times up to PENDING_CAP, then a count and the span of
 * the rest (a burst of one URL, 10,000 times in a second, lost 4,727 sightings when they were dropped).
 */
export interface Pending {
  times: number[];
  more: number;
  moreFrom: number;
  moreTo: number;
}

export function seenAgain(p: Pending, t: number): void {
  if (p.times.length < PENDING_CAP) {
    p.times.push(t);
    return;
  }
  if (p.more === 0) p.moreFrom = p.moreTo = t;
  p.more++;
  p.moreFrom = Math.min(p.moreFrom, t);
  p.moreTo = Math.max(p.moreTo, t);
}

/** Every sighting's time: those past the cap at the first and last of their span (the count and bounds exact). */
export function* sightingTimes(p: Pending | undefined): Generator<number> {
  if (p === undefined) return;
  yield* p.times;
  for (let k = 0; k < p.more; k++) yield k === 0 ? p.moreFrom : p.moreTo;
}

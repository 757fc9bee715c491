/**
 * The values a host sent most SYNs to (destination ports, destination addresses), in bounded memory: the
 * Space-Saving summary (Metwally et al., 2005) of TOP_KEPT counters per host. While a host has sent to at
 * most TOP_KEPT distinct values every count is exact; past that, a value not held takes the counter of the
 * least counted one and inherits its count as its possible overcount (`over`), so a host spraying 60,000
 * ports keeps 32 counters, not 60,000. Any value with more than packets / TOP_KEPT SYNs is always held, and
 * every count held is between `count - over` and `count`. The Hosts page's panel lists the top ones
 * (`top`), with how many distinct values it does not list (distinct.ts counts them).
 */

/** Counters kept per host and per kind (ports, addresses): 32 of each, a few KB a host at most. */
export const TOP_KEPT = 32;

/** A value and its SYNs: at least `count - over`, at most `count` (`over` 0: exact). */
export interface TopCount<T> {
  value: T;
  count: number;
  over: number;
}

export class TopCounts<T> {
  private readonly held = new Map<T, { count: number; over: number }>();
  /** the least count held when the summary last made room */
  private floor = 1;

  constructor(private readonly max = TOP_KEPT) {}

  add(v: T): void {
    const c = this.held.get(v);
    if (c !== undefined) {
      c.count++;
      return;
    }
    if (this.held.size < this.max) {
      this.held.set(v, { count: 1, over: 0 });
      return;
    }
    // full: the least counted value (the oldest of equals) makes room, and the new one inherits its count.
    // The least count never falls (counts only grow, and a newcomer starts above it), so a counter at the
    // last one found is a least one: a spray finds it first, at the front of the Map, not after 32 looks
    let least: T | undefined;
    let min = Infinity;
    for (const [k, x] of this.held) {
      if (x.count < min) {
        min = x.count;
        least = k;
        if (min <= this.floor) break;
      }
    }
    this.floor = min;
    const counter = this.held.get(least as T)!;
    this.held.delete(least as T);
    counter.count = min + 1;
    counter.over = min;
    this.held.set(v, counter);
  }

  /** The `n` values with the most SYNs for sure (`count - over`), then by `count`; each with its bounds. */
  top(n: number): TopCount<T>[] {
    return [...this.held]
      .map(([value, x]) => ({ value, count: x.count, over: x.over }))
      .sort((a, b) => b.count - b.over - (a.count - a.over) || b.count - a.count)
      .slice(0, n);
  }
}

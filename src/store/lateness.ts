/**
 * A shard's lateness bound (schema.ts, LATE_MS_KEY): how far below the greatest time stored before it a
 * line's time may be. The writer keeps it as lines come; shards that predate the key have it measured.
 */

/** Running state over lines in the order they are stored. */
export class Lateness {
  constructor(
    /** greatest time seen so far (ms; any fixed origin); -Infinity before the first line */
    public max = -Infinity,
    /** the bound so far */
    public late = 0,
  ) {}

  see(time: number): void {
    if (time > this.max) this.max = time;
    else if (this.max - time > this.late) this.late = this.max - time;
  }
}

/** The bound over every line of time arrays given in rowid order (a shard's blocks by id). */
export function measureLateness(timesInOrder: Iterable<ArrayLike<number>>): number {
  const l = new Lateness();
  for (const ts of timesInOrder) for (let i = 0; i < ts.length; i++) l.see(ts[i]!);
  return l.late;
}

/**
 * State per key that lasts while the key keeps recurring: a key not touched for `quiet` (in the caller's
 * time unit) starts afresh, and past `max` keys the least recently touched is forgotten. The live
 * detectors keep their summed findings in it (a beacon's host, a flood's victim, a wave's port), so a
 * summed finding tells its whole stretch rather than one flush.
 */
export class Stretches<T extends { last: number }> {
  private readonly m = new Map<string, T>();

  constructor(
    private readonly quiet: number,
    private readonly max = 10_000,
    /** called with a state as it is dropped (quiet too long, or the least recent past `max`) */
    private readonly forget?: (v: T) => void,
  ) {}

  /** The current state of `key` at `time`, if it has one that has not been quiet too long; touches nothing. */
  peek(key: string, time: number): T | undefined {
    const v = this.m.get(key);
    return v !== undefined && time - v.last <= this.quiet ? v : undefined;
  }

  /** Forgets `key` without the forget hook (its state was taken over elsewhere). */
  delete(key: string): void {
    this.m.delete(key);
  }

  /** The state of `key` at `time`: its current one, or `start()` when it is new or was quiet too long. */
  touch(key: string, time: number, start: () => T): T {
    let v = this.m.get(key);
    if (v !== undefined) this.m.delete(key); // set again below: Map order is recency
    if (v === undefined || time - v.last > this.quiet) {
      if (v !== undefined) this.forget?.(v);
      v = start();
    }
    v.last = Math.max(v.last, time);
    this.m.set(key, v);
    if (this.m.size > this.max) {
      const [oldest, old] = this.m.entries().next().value!;
      this.m.delete(oldest);
      this.forget?.(old);
    }
    return v;
  }
}

/**
 * Moving rates of a growing counter (committed lines): samples of (time, total), and the rate over a
 * window measured from the newest sample back to the sample nearest the window's start (sampling
 * jitter then stretches or shrinks the window a little instead of doubling it). Sample times should
 * come from a monotonic clock (`performance.now()`); a time before the newest sample (a wall clock
 * stepped back) starts the history afresh, since the time between the two is unknown.
 */

interface Sample {
  t: number;
  total: number;
}

export class RateMeter {
  private readonly samples: Sample[] = [];

  /** @param keepMs how much history the longest window needs */
  constructor(private readonly keepMs: number) {}

  sample(t: number, total: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && t === last.t) {
      // same instant: keep the newest total
      last.total = total;
      return;
    }
    if (last !== undefined && t < last.t) {
      // a clock stepped back: what was counted since `last` happened over an unknown time, so no rate
      // spans the step (keeping `last.t` while the total grew read as 30 s of lines in one second)
      this.samples.length = 0;
    }
    this.samples.push({ t, total });
    // keep one sample older than keepMs: it is the baseline of the longest window
    while (this.samples.length > 2 && this.samples[1]!.t <= t - this.keepMs) this.samples.shift();
  }

  /** Units per second over the last `windowMs`, from what has been sampled; 0 before two samples. */
  rate(windowMs: number): number {
    const newest = this.samples[this.samples.length - 1];
    if (newest === undefined) return 0;
    const start = newest.t - windowMs;
    let base = this.samples[0]!;
    for (const s of this.samples) {
      if (s === newest) break;
      if (Math.abs(s.t - start) < Math.abs(base.t - start)) base = s;
    }
    const dt = newest.t - base.t;
    if (dt <= 0) return 0;
    return Math.max(0, ((newest.total - base.total) * 1000) / dt);
  }
}

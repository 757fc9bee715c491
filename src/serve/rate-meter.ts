/**
 * Moving rates of a growing counter (committed lines): samples of (time, total), and the rate over a
 * window measured from the newest sample back to the sample nearest the window's start (sampling
 * jitter then stretches or shrinks the window a little instead of doubling it).
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
    if (last !== undefined && t <= last.t) {
      // same instant (or a clock step back): keep the newest total, never a negative interval
      last.total = total;
      return;
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

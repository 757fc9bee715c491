/**
 * The board's flush timer: one flush every interval; while a backlog is left, another follows as soon
 * as pending I/O has run, so the board catches up at full speed without holding the event loop for
 * longer than one flush's budget.
 */
export class FlushLoop {
  private timer: NodeJS.Timeout | null = null;
  private catchUp: NodeJS.Immediate | null = null;

  constructor(
    private readonly flush: () => Promise<unknown>,
    /** whether the last flush left work for the next */
    private readonly behind: () => boolean,
    private readonly intervalMs: number,
    private readonly onError?: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    // while a catch-up flush is pending, the timer leaves the work to it
    this.timer = setInterval(() => this.catchUp === null && this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.catchUp !== null) clearImmediate(this.catchUp);
    this.catchUp = null;
  }

  /** One timer flush (public for tests). */
  tick(): void {
    this.catchUp = null;
    let run: Promise<unknown>;
    try {
      run = this.flush();
    } catch (err) {
      // from a timer a throw would end the process: report it, and the next tick tries again
      this.onError?.(err);
      return;
    }
    run.then(
      () => {
        if (this.behind() && this.timer !== null && this.catchUp === null) this.catchUp = setImmediate(() => this.tick());
      },
      (err: unknown) => this.onError?.(err),
    );
  }
}

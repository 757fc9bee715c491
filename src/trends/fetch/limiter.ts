/** A concurrency limit (async semaphore) and per-host spacing of requests. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

/** Reserves the next free slot per host: requests to one host are at least `intervalMs` apart. */
export class HostSpacing {
  private readonly next = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  /** ms to wait before the request may go; the slot is reserved at once */
  reserve(host: string, intervalMs: number): number {
    const t = this.now();
    const at = Math.max(t, this.next.get(host) ?? 0);
    this.next.set(host, at + intervalMs);
    return at - t;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

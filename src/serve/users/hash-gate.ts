/**
 * A bound on password hashes at once, shared by every route that hashes (login, a password change, an
 * admin adding a user or setting a password). A hash costs 128 MiB and about a second on a 2-core
 * machine, in libuv's pool of 4 threads that file reads share: unbounded, a burst of logins from many
 * addresses (each under its limit) stalled the web UI and every other login for 30 s.
 */
import { AppError } from '../../core/index.js';

/** Password hashes at once, and requests that may wait for one. */
export const HASHES_DEFAULT = Object.freeze({ concurrent: 2, waiting: 16 });

/** At most `concurrent` runs at once and `waiting` queued for a turn; past that, `run` returns `HashGate.FULL` at once without running. */
export class HashGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly concurrent: number = HASHES_DEFAULT.concurrent, private readonly waiting: number = HASHES_DEFAULT.waiting) {}

  async run<T>(fn: () => Promise<T>): Promise<T | typeof HashGate.FULL> {
    if (this.running >= this.concurrent) {
      if (this.queue.length >= this.waiting) return HashGate.FULL;
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else this.running++;
    try {
      return await fn();
    } finally {
      // the slot passes straight to the next in line, or is freed
      const next = this.queue.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }

  static readonly FULL = Symbol('full');
}

/** What a request that found the gate full is told (503; the route sets `retry-after: 5`). */
export function busyError(what: string): AppError {
  return new AppError('AUTH_BUSY', 'unavailable', `auth: too many ${what} at once; retry in 5 s`, { retryAfter: '5 s' });
}

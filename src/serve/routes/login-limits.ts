/**
 * The bookkeeping behind the login limits: the key of a client address (an IPv6 client is its /64, as
 * one host or one customer gets a whole /64 to pick from; an IPv4-mapped address is its IPv4 one), the
 * attempts on each existing user name (a counter per user that no flood of other names can push out),
 * and the addresses a user has logged in from lately.
 */
import { parseIp } from '../../core/index.js';

/** Addresses remembered per user after a successful login (`KNOWN_ADDRESSES` each, for `KNOWN_MS`). */
const KNOWN_ADDRESSES = 16;
const KNOWN_MS = 30 * 86_400_000;

/** The rate-limit key of a client address: IPv4 as is, IPv6 by its /64, `::ffff:a.b.c.d` as `a.b.c.d`. */
export function clientKey(ip: string): string {
  const a = parseIp(ip);
  if (a === null) return ip.slice(0, 64);
  if (a.version === 4) return a.text;
  if (a.hex.startsWith('00000000000000000000ffff')) {
    const h = a.hex.slice(24);
    return [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16)).join('.');
  }
  return `${a.hex.slice(0, 16)}/64`;
}

/** Per user name, the addresses it has logged in from lately (in memory; a restart forgets them). */
export class KnownAddresses {
  private readonly byUser = new Map<string, Map<string, number>>();

  add(user: string, ip: string, now: number): void {
    const m = this.byUser.get(user) ?? new Map<string, number>();
    m.delete(ip);
    m.set(ip, now);
    if (m.size > KNOWN_ADDRESSES) m.delete(m.keys().next().value!);
    this.byUser.set(user, m);
  }

  has(user: string, ip: string, now: number): boolean {
    const t = this.byUser.get(user)?.get(ip);
    return t !== undefined && now - t < KNOWN_MS;
  }
}

/**
 * Attempts per existing user name in fixed windows. Bounded by the number of users (the caller counts
 * only names that exist; unknown names go to an LRU limiter), so it never forgets a user's count early.
 */
export class UserAttempts {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt; returns the seconds until the window resets when it is over the limit, else null. */
  hit(user: string, now: number): number | null {
    let w = this.windows.get(user);
    if (w === undefined || now >= w.resetAt) {
      if (this.windows.size > 10_000) this.sweep(now);
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(user, w);
    }
    w.count += 1;
    return w.count > this.max ? Math.max(1, Math.ceil((w.resetAt - now) / 1000)) : null;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now >= w.resetAt) this.windows.delete(k);
  }
}

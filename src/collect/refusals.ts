/**
 * Refused syslog connections in the server log: the first at once, then at most one line a minute with
 * how many were refused since and from where (a few addresses), so that a host holding every slot is
 * seen, not only counted in `refusedConnections`, and a flood of refusals is not a flood of log lines.
 * Refusals held back are told when their minute is up (a review's second burst waited for a third).
 */
export type RefusalWhy = 'total' | 'address' | 'certificate';

const WHY: Record<RefusalWhy, string> = {
  total: 'syslog.tcp.maxConnections connections were open',
  address: 'its address held syslog.tcp.maxConnectionsPerAddress connections',
  certificate: 'it had no certificate the configured CA signed',
};

export interface RefusalLogOptions {
  /** what refused, at the start of each line (default `syslog tcp`) */
  label?: string;
  /** why, for each reason given (default the syslog listener's) */
  reasons?: Readonly<Record<string, string>>;
  intervalMs?: number;
  now?: () => number;
  /** runs `fn` after `ms` (default an unref'd timer) */
  later?: (fn: () => void, ms: number) => void;
}

export function refusalLog<Why extends string = RefusalWhy>(warn: (fields: Record<string, unknown>, message: string) => void, o: RefusalLogOptions = {}): (why: Why, address: string) => void {
  const label = o.label ?? 'syslog tcp';
  const reasons: Readonly<Record<string, string>> = o.reasons ?? WHY;
  const intervalMs = o.intervalMs ?? 60_000;
  const now = o.now ?? Date.now;
  const later = o.later ?? ((fn, ms) => setTimeout(fn, ms).unref());
  let toldAt = -Infinity;
  let since = 0;
  let last: { why: Why; address: string } | null = null;
  let pending = false;
  const addresses = new Set<string>();
  const tell = (): void => {
    if (since === 0 || last === null) return;
    warn({ refused: since, addresses: [...addresses] }, `${label}: ${since === 1 ? 'a connection was' : `${since} connections were`} refused since the last message; the last because ${reasons[last.why] ?? last.why} (from ${last.address})`);
    toldAt = now();
    since = 0;
    addresses.clear();
  };
  return (why, address) => {
    since++;
    last = { why, address };
    if (addresses.size < 5) addresses.add(address);
    const wait = toldAt + intervalMs - now();
    if (wait <= 0) return tell();
    if (pending) return;
    pending = true;
    later(() => {
      pending = false;
      tell();
    }, wait);
  };
}

/**
 * Refused syslog connections in the server log: the first at once, then at most one line a minute with
 * how many were refused since and from where (a few addresses), so that a host holding every slot is
 * seen, not only counted in `refusedConnections`, and a flood of refusals is not a flood of log lines.
 */
export type RefusalWhy = 'total' | 'address' | 'certificate';

const WHY: Record<RefusalWhy, string> = {
  total: 'syslog.tcp.maxConnections connections were open',
  address: 'its address held syslog.tcp.maxConnectionsPerAddress connections',
  certificate: 'it had no certificate the configured CA signed',
};

export function refusalLog(warn: (fields: Record<string, unknown>, message: string) => void, intervalMs = 60_000, now: () => number = Date.now): (why: RefusalWhy, address: string) => void {
  let toldAt = -Infinity;
  let since = 0;
  const addresses = new Set<string>();
  return (why, address) => {
    since++;
    if (addresses.size < 5) addresses.add(address);
    const t = now();
    if (t - toldAt < intervalMs) return;
    warn({ refused: since, addresses: [...addresses] }, `syslog tcp: ${since === 1 ? 'a connection was' : `${since} connections were`} refused since the last message; the last because ${WHY[why]} (from ${address})`);
    toldAt = t;
    since = 0;
    addresses.clear();
  };
}

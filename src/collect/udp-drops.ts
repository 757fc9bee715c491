import { readFileSync } from 'node:fs';

/** Linux socket tables; each row ends with the socket's `drops` counter (kernel 2.6.27 and later). */
const PROC_TABLES = ['/proc/net/udp', '/proc/net/udp6'];

/**
 * Sums the `drops` column of every row bound to local `port` in a /proc/net/udp(6) table.
 * The kernel counts there the datagrams it threw away for this socket, mostly because the receive
 * buffer was full: loss that user space never sees otherwise.
 */
export function parseUdpDrops(table: string, port: number): number {
  let total = 0;
  const lines = table.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i]!.trim().split(/\s+/);
    // sl, local_address (hex ip:hex port), ..., drops last; short rows are headers or older kernels.
    if (fields.length < 13) continue;
    const local = fields[1]!;
    const colon = local.lastIndexOf(':');
    if (colon === -1 || Number.parseInt(local.slice(colon + 1), 16) !== port) continue;
    const drops = Number(fields[fields.length - 1]);
    if (Number.isFinite(drops)) total += drops;
  }
  return total;
}

/**
 * Kernel drops for a bound UDP port, best effort: 0 where /proc is absent (not Linux, a sandbox)
 * or unreadable. Synchronous because the tables are small and this runs only when stats are asked for.
 */
export function readUdpDrops(port: number, tables: readonly string[] = PROC_TABLES): number {
  let total = 0;
  for (const path of tables) {
    try {
      total += parseUdpDrops(readFileSync(path, 'utf8'), port);
    } catch {
      // absent table (no IPv6, not Linux): nothing to add
    }
  }
  return total;
}

/**
 * The hosts board's rows, bounded: the live socket sends every changed host (the server keeps up to
 * 20,000, in chunks of 500), so the page keeps only the top ROW_LIMIT by the current sort and drops hosts
 * the server would have evicted for going idle (not the findings it lists as idle). Pure, so that a flood costs a 700-row sort per message.
 */
import type { SynBoardStats, SynHost } from '../../lib/types.ts';
import { formatAgo } from '../../lib/format.ts';
import { serverNow } from '../../lib/server-clock.ts';
import { ipOrderKey } from '../../../../src/core/ip.ts';

export type SortKey = 'ip' | 'score' | 'packets' | 'distinctPorts' | 'lastSeen';

/** Rows the board lists (the initial load asks for as many). */
export const ROW_LIMIT = 200;
/** The server drops a host idle this long in capture time (SynLiveBoard's idleMs default). */
export const IDLE_MS = 600_000;

/**
 * An address's place in the `ip` order: IPv4 by value, then IPv6 by value (core's `ipOrderKey`, which the
 * server's `sortedHosts`, src/detect/syn/board-view.ts, orders by too, so the 200 it sends are the first
 * 200 here). Kept per address: a flood's message sorts 700 rows, and each key is a parse.
 */
const ipKeys = new Map<string, string>();
function ipKey(ip: string): string {
  let k = ipKeys.get(ip);
  if (k === undefined) {
    if (ipKeys.size >= 4 * ROW_LIMIT + 1000) ipKeys.clear();
    k = ipOrderKey(ip);
    ipKeys.set(ip, k);
  }
  return k;
}

export function compare(a: SynHost, b: SynHost, key: SortKey): number {
  if (key === 'ip') return ipKey(a.ip) < ipKey(b.ip) ? -1 : ipKey(a.ip) > ipKey(b.ip) ? 1 : 0;
  return a[key] - b[key];
}

/** Sorted by `key` in `order`, ties by score (highest first), then by address for a stable order. */
export function sortHosts(list: SynHost[], key: SortKey, order: 'asc' | 'desc'): SynHost[] {
  return list.sort((a, b) => (order === 'asc' ? 1 : -1) * compare(a, b, key) || compare(b, a, 'score') || compare(a, b, 'ip'));
}

/** Whether the board's hosts are measured on a replay's own capture time (`captureNow`) rather than the server's clock. */
export const onCaptureClock = (stats: SynBoardStats | null): stats is SynBoardStats & { captureNow: number } => stats?.source?.kind === 'replay' && typeof stats.captureNow === 'number';

/**
 * The clock hosts' last-seen times are measured against: a replay's own capture time (`captureNow`; a
 * capture from last year read "365d ago" on every row), a live interface's the server's clock as the
 * page knows it from the browser's `now` (server-clock.ts): a workstation five minutes slow read every
 * host seen in the last five minutes as "0s ago", and one fast read them five minutes older than they were.
 */
export const boardNow = (stats: SynBoardStats | null, now: number): number => (onCaptureClock(stats) ? stats.captureNow : serverNow(now));

/** How long ago the host's last SYN was on the board's clock (`boardNow`): `5m ago`. */
export const seenAgo = (lastSeen: number, seenNow: number): string => formatAgo(lastSeen, Math.max(seenNow, lastSeen));

/**
 * How long a host has been idle, `10m`: one clock and one rounding for its row and its panel. The panel
 * read the server's summary, "no SYN for 11 min", rounded on the board's clock when the panel was opened,
 * beside the row's "idle 10m", floored and ticking on the page's: a minute apart at once, more as it stayed open.
 */
export const idleFor = (lastSeen: number, seenNow: number): string => seenAgo(lastSeen, seenNow).replace(/ ago$/, '');

/** The find box's text as the rows are matched against it (the board writes addresses in lower case). */
export const matchKey = (text: string): string => text.trim().toLowerCase();

/** Whether the host's address contains the find box's text (`matchKey`; empty: every host). */
export const matches = (h: SynHost, match: string): boolean => h.ip.includes(match);

/**
 * Merges changed hosts into the kept ones and returns the new top `limit` (sorted): hosts below
 * `minPackets`, not `match`ing, named `gone` (findings the server no longer keeps) and hosts idle longer
 * than IDLE_MS before the newest SYN seen are left out, except those the server marks `idle`: findings
 * it keeps and lists after they went idle (until it names them `gone`).
 */
export function mergeTop(
  kept: Iterable<SynHost>,
  changed: readonly SynHost[],
  o: { key: SortKey; order: 'asc' | 'desc'; minPackets: number; match?: string; limit?: number },
  gone: readonly string[] = [],
): SynHost[] {
  const all = new Map<string, SynHost>();
  for (const h of kept) all.set(h.ip, h);
  for (const ip of gone) all.delete(ip);
  for (const h of changed) all.set(h.ip, h);
  let newest = 0;
  for (const h of all.values()) if (h.lastSeen > newest) newest = h.lastSeen;
  const match = o.match ?? '';
  const list = [...all.values()].filter((h) => h.packets >= o.minPackets && matches(h, match) && (h.idle === true || h.lastSeen >= newest - IDLE_MS));
  return sortHosts(list, o.key, o.order).slice(0, o.limit ?? ROW_LIMIT);
}

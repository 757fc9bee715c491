/**
 * `syn.ignore`: source addresses the live board never scores or reports — the network's own vulnerability
 * scanners, monitoring probes, load balancers' health checks. An entry is an IPv4 or IPv6 address, or a
 * prefix `address/length` (`10.20.0.0/16`, `2001:db8:5::/48`), parsed as the store parses addresses and
 * matched with node's `net.BlockList`.
 */
import { BlockList, isIP } from 'node:net';
import { parseCidr, parseIp } from '../../core/index.js';

/** `entry` as a network and prefix length, or null when it is neither an address nor address/prefix. */
export function sourceRule(entry: unknown): { network: string; bits: number; version: 4 | 6 } | null {
  if (typeof entry !== 'string') return null;
  const ip = parseIp(entry);
  if (ip !== null) return { network: ip.text, bits: ip.version === 4 ? 32 : 128, version: ip.version };
  const c = parseCidr(entry);
  return c === null ? null : { network: c.network, bits: c.bits, version: c.version };
}

/** A matcher over source address texts (as the capture reader writes them); null when the list is empty. */
export function ignoredSources(entries: readonly string[]): ((ip: string) => boolean) | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const e of entries) {
    const r = sourceRule(e);
    if (r === null) throw new Error(`syn.ignore: "${e}" is not an IP address or address/prefix`);
    list.addSubnet(r.network, r.bits, r.version === 4 ? 'ipv4' : 'ipv6');
  }
  return (ip) => {
    const v = isIP(ip);
    return v !== 0 && list.check(ip, v === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * `match` remembering the ignored sources seen lately, so that each SYN of one costs a set lookup (the
 * memory is cleared when it grows past 65,536); null stays null.
 */
export function rememberIgnored(match: ((ip: string) => boolean) | null): ((ip: string) => boolean) | null {
  if (match === null) return null;
  const seen = new Set<string>();
  return (ip) => {
    if (seen.has(ip)) return true;
    if (!match(ip)) return false;
    if (seen.size >= 65_536) seen.clear();
    seen.add(ip);
    return true;
  };
}

/**
 * IPv4 addresses written with dashes inside host names: a cloud instance's or a DHCP client's name
 * (`ip-10-0-0-1.ec2.internal`, `host-192-168-1-20`, `10-0-0-1.example.com`) and a provider's reverse
 * name for a public address (`ec2-54-12-34-56.compute-1.amazonaws.com`, `static-203-0-113-9.isp.net`).
 * The extractor sees no address there, so the sweep looks for the shape: four numbers of at most 255,
 * dash-joined, not part of a longer dash-joined run of numbers (`1-10-0-0-1`, a date `2026-12-01-10`).
 * A private or otherwise internal one (RFC 1918, loopback, link-local, CGNAT, 0/8) is anonymized wherever
 * it stands; a public one only inside a host name (a label before it, `ec2-`, or a domain after it,
 * `.isp.net`), where it is the same address the rest of the export anonymizes: left clear, it would undo
 * Crypto-PAn for that address. A bare public-looking `1-2-3-4` in prose is kept (a count, a score).
 */
import { parseIp, parseIPv6 } from '../core/index.js';

/** groups 1-4: the octets */
export const DASHED_RE = /(?<![0-9])(?<!(?:^|[^0-9A-Za-z])[0-9]+-)([0-9]{1,3})-([0-9]{1,3})-([0-9]{1,3})-([0-9]{1,3})(?![0-9])(?!-[0-9])/g;

/** 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, 100.64/10 and 0/8: never a public host's address */
export function isInternalV4(o: readonly number[]): boolean {
  const [a, b] = o as [number, number];
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/** Whether the dashed address at `at`..`end` of `text` stands in a host name: a label before it, or a domain after it. */
export function inHostName(text: string, at: number, end: number): boolean {
  return (at >= 2 && text[at - 1] === '-' && /[A-Za-z0-9]/.test(text[at - 2]!)) || /^[.-][A-Za-z]/.test(text.slice(end, end + 2));
}

/**
 * The octets of the dashed address `m` (from DASHED_RE at `at` in `text`) when it is to be anonymized, else null.
 */
export function dashedAddress(m: RegExpExecArray | string[], text: string, at: number): number[] | null {
  const o = [m[1], m[2], m[3], m[4]].map(Number);
  if (o.some((x) => x > 255)) return null;
  return isInternalV4(o) || inHostName(text, at, at + m[0]!.length) ? o : null;
}

/**
 * IPv6 addresses written with dashes in a reverse-DNS name (`2001-db8-85a3--8a2e-370-7334.ipv6.example.net`,
 * `2001-0db8-0000-0000-0000-0000-0000-0001.example`, `host-fd00--5`): groups of one to four hex digits,
 * dash-joined, `--` for `::`. The rule that keeps ordinary hyphenated names out: eight groups, or fewer with
 * exactly one `--`, the first a global (2000::/3), unique-local (fc00::/7) or link-local (fe80::/10) one, so
 * four hex digits from 2, 3, fc/fd or fe8-feb (`dead-beef-…`, `cafe--1` are none); no hex group dash-joined
 * after it (a longer run), and no second `--`. A UUID (`550e8400-e29b-41d4-a716-446655440000`: five groups, of 8-4-4-4-12, no `--`)
 * never has that shape. Like IPv4, a unique-local or link-local one is anonymized wherever it stands, a
 * global one only inside a host name (a label before it, or a domain after it).
 */
const H = '[0-9A-Fa-f]{1,4}';
/** group 1: the address as written */
export const DASHED6_RE = new RegExp(
  String.raw`(?<![0-9A-Za-z:])((?:[23][0-9A-Fa-f]{3}|[Ff][CcDd][0-9A-Fa-f]{2}|[Ff][Ee][89AaBb][0-9A-Fa-f])(?:(?:-${H}){7}|(?:-${H}){0,5}--(?:${H}(?:-${H}){0,5})?))(?![0-9A-Za-z])(?!--|-${H}(?![0-9A-Za-z]))`,
  'g',
);

/**
 * The canonical address of the dashed IPv6 address `written` (DASHED6_RE's group 1, at `at` of `text`) when it
 * is to be anonymized, else null.
 */
export function dashed6Address(written: string, text: string, at: number): string | null {
  if (written.indexOf('--') !== written.lastIndexOf('--')) return null;
  const ip = parseIp(written.replaceAll('-', ':'));
  if (ip === null || ip.version !== 6) return null;
  const internal = /^f[cd]|^fe[89ab]/i.test(written);
  return internal || inHostName(text, at, at + written.length) ? ip.text : null;
}

/**
 * `anon` (an anonymized address, canonical) written back dashed as `written` was: compressed (`--`) when it
 * was, unless that would put a dash at an end of the name; else all eight groups, four digits each when
 * `written` padded them.
 */
export function dashed6Out(anon: string, written: string): string {
  if (written.includes('--') && !anon.startsWith('::') && !anon.endsWith('::')) return anon.replaceAll(':', '-');
  const groups = parseIPv6(anon)!.map((g) => g.toString(16));
  const padded = written.split('-').every((g) => g.length === 4);
  return groups.map((g) => (padded ? g.padStart(4, '0') : g)).join('-');
}

/** The canonical addresses of the dashed addresses (IPv4 and IPv6) of `text` that the sweep anonymizes. */
export function dashedAddresses(text: string): string[] {
  const out: string[] = [];
  if (!text.includes('-')) return out;
  DASHED_RE.lastIndex = 0;
  for (let m = DASHED_RE.exec(text); m !== null; m = DASHED_RE.exec(text)) {
    const o = dashedAddress(m, text, m.index);
    if (o !== null) out.push(o.join('.'));
  }
  DASHED6_RE.lastIndex = 0;
  for (let m = DASHED6_RE.exec(text); m !== null; m = DASHED6_RE.exec(text)) {
    const a = dashed6Address(m[1]!, text, m.index);
    if (a !== null) out.push(a);
  }
  return out;
}

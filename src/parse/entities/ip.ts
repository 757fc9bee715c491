import { mappedIPv4, parseIp } from '../../core/index.js';
import type { Entity } from '../../core/index.js';
import { addEntity, portAt } from './collect.js';

/**
 * Whether codes[a, b) is a dotted quad exactly as core's parseIPv4 accepts it (octets 0..255, no
 * leading zeros): read in place, because this runs for every dotted number of every line.
 */
export function isDottedQuadAt(codes: Uint16Array, a: number, b: number): boolean {
  let groups = 0;
  let i = a;
  while (groups < 4) {
    const start = i;
    let value = 0;
    while (i < b && i - start < 3) {
      const d = codes[i]! - 48;
      if (!(d >= 0 && d <= 9)) break;
      value = value * 10 + d;
      i++;
    }
    const len = i - start;
    if (len === 0 || value > 255 || (len > 1 && codes[start] === 48)) return false;
    groups++;
    if (groups < 4) {
      if (i >= b || codes[i] !== 46) return false;
      i++;
    }
  }
  return i === b;
}

/**
 * Browser and engine names of user agents, lower case: each may be followed by a version that reads as
 * a dotted quad (Chromium's reduced user agent sends `Chrome/124.0.0.0`). A list, because other words
 * before `/` name an address: squid's `HIER_DIRECT/203.0.113.80`, a path's `/hosts/10.0.0.1`.
 */
const UA_PRODUCTS = new Set([
  'chrome', 'chromium', 'headlesschrome', 'crios', 'edg', 'edga', 'edgios', 'edge', 'opr', 'opt', 'opera', 'yabrowser',
  'samsungbrowser', 'brave', 'vivaldi', 'electron', 'ucbrowser', 'qqbrowser', 'whale', 'firefox', 'fxios', 'version',
  'safari', 'applewebkit', 'mobile', 'trident', 'msie', 'gecko', 'thunderbird', 'mozilla',
]);

/**
 * Whether the dotted quad at codes[a] is a browser's version in a user agent: right after `/` and one
 * of UA_PRODUCTS that starts a word (`Chrome/124.0.0.0`, `Edg/124.0.0.0`, `OPR/110.0.0.0`).
 */
export function isProductVersionAt(codes: Uint16Array, a: number): boolean {
  if (a < 3 || codes[a - 1] !== 47) return false;
  let i = a - 2;
  let name = '';
  for (; i >= 0 && a - 2 - i < 16; i--) {
    const l = codes[i]! | 32;
    if (!(l >= 97 && l <= 122)) break;
    name = String.fromCharCode(l) + name;
  }
  // the name starts the text or follows a space, a tab, `(`, `"`, `'`, `;` or `,`
  const before = i < 0 ? 32 : codes[i]!;
  if (before !== 32 && before !== 9 && before !== 40 && before !== 34 && before !== 39 && before !== 59 && before !== 44) return false;
  return UA_PRODUCTS.has(name);
}

/** isDottedQuadAt over a string (a property test keeps it in agreement with core's parseIPv4). */
export function isDottedQuad(s: string, a: number, b: number): boolean {
  const codes = new Uint16Array(Math.max(0, b - a));
  for (let i = a; i < b; i++) codes[i - a] = s.charCodeAt(i);
  return isDottedQuadAt(codes, 0, b - a);
}

/**
 * Whether codes[a, b) may be IPv6, before anything is sliced or parsed: it needs a colon, and full
 * IPv6 has 7 (6 before a dotted tail) while shorter forms need `::`. Rules out times and ratios cheaply.
 */
function mayBeIPv6(codes: Uint16Array, a: number, b: number): boolean {
  let colons = 0;
  let dot = false;
  let double = false;
  for (let i = a; i < b; i++) {
    const c = codes[i];
    if (c === 58) {
      colons++;
      if (i + 1 < b && codes[i + 1] === 58) double = true;
    } else if (c === 46) {
      dot = true;
    }
  }
  if (colons === 0) return false;
  if (double) return b - a > 2;
  return (colons === 7 && !isHexPairs(codes, a, b)) || (colons === 6 && dot);
}

/**
 * Whether codes[a, b) (seven colons, no `::`) is eight groups of exactly two hex digits: a Fibre Channel
 * WWN (`20:00:00:25:b5:00:00:0f`) or an EUI-64, as switches and HBAs write them. IPv6 is never written so:
 * its groups drop leading zeros (`20:0:0:25:...`) or run to four digits.
 */
function isHexPairs(codes: Uint16Array, a: number, b: number): boolean {
  if (b - a !== 23) return false;
  for (let i = a + 2; i < b; i += 3) if (codes[i] !== 58) return false;
  return true;
}

/**
 * Adds the address in [a, b) (code units in `codes`, text in `s`) in canonical form; for an IPv4-mapped
 * address however written (`::ffff:10.0.0.1`, as vsftpd and Proxmox log IPv4 clients, or
 * `0:0:0:0:0:ffff:a00:1`) and for any IPv6 address written with a dotted tail the IPv4 address too,
 * since that is what an operator searches for and what relations key it by. Returns whether it was an address.
 */
export function addIp(codes: Uint16Array, s: string, a: number, b: number, out: Entity[]): boolean {
  if (isDottedQuadAt(codes, a, b)) {
    // A dotted quad without leading zeros is already in canonical form.
    addEntity(out, 'ip', s.slice(a, b));
    return true;
  }
  if (!mayBeIPv6(codes, a, b)) return false;
  const text = s.slice(a, b);
  const ip = parseIp(text);
  if (ip === null) return false;
  addEntity(out, 'ip', ip.text);
  const mapped = mappedIPv4(ip);
  if (mapped !== null) addEntity(out, 'ip', mapped);
  else if (ip.version === 6 && text.indexOf('.') >= 0) {
    const v4 = text.lastIndexOf(':') + 1;
    if (isDottedQuad(text, v4, text.length)) addEntity(out, 'ip', text.slice(v4));
  }
  return true;
}

/** `1.2.3.4:22` in [a, b) with the colon at `colon`: the address, and the port when it is one. */
export function addIpPort(codes: Uint16Array, s: string, a: number, colon: number, b: number, out: Entity[]): void {
  if (!addIp(codes, s, a, colon, out)) return;
  const port = portAt(codes, colon + 1, b);
  if (port !== null) addEntity(out, 'port', port);
}

/** A port written right after an address: `[2001:db8::1]:443` (at `]`) or BIND's `10.0.0.1#53` (at `#`). */
export function addPortAfterIp(codes: Uint16Array, end: number, out: Entity[]): void {
  const c = codes[end];
  let from = -1;
  if (c === 93 && codes[end + 1] === 58) from = end + 2;
  else if (c === 35) from = end + 1;
  if (from < 0) return;
  let to = from;
  while (to - from < 6 && codes[to]! >= 48 && codes[to]! <= 57) to++;
  const port = portAt(codes, from, to);
  if (port !== null) addEntity(out, 'port', port);
}

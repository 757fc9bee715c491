import { parseIp } from '../../core/index.js';
import type { Entity } from '../../core/index.js';
import { addEntity, portText } from './collect.js';

/**
 * Whether s[a, b) is a dotted quad exactly as core's parseIPv4 accepts it (octets 0..255, no leading
 * zeros): read in place, because this runs for every dotted number of every line. A property test
 * keeps it in agreement with core.
 */
export function isDottedQuad(s: string, a: number, b: number): boolean {
  let groups = 0;
  let i = a;
  while (groups < 4) {
    const start = i;
    let value = 0;
    while (i < b && i - start < 3) {
      const d = s.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) break;
      value = value * 10 + d;
      i++;
    }
    const len = i - start;
    if (len === 0 || value > 255 || (len > 1 && s.charCodeAt(start) === 48)) return false;
    groups++;
    if (groups < 4) {
      if (s.charCodeAt(i) !== 46 || i >= b) return false;
      i++;
    }
  }
  return i === b;
}

/** Full IPv6 has 7 colons (6 before a dotted tail); shorter forms need `::`. Rules out times and ratios cheaply. */
function mayBeIPv6(text: string): boolean {
  if (text.indexOf('::') >= 0) return text.length > 2;
  let colons = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 58) colons++;
  return colons === 7 || (colons === 6 && text.indexOf('.') >= 0);
}

/**
 * Adds the address in s[a, b) in canonical form; for an IPv6 address written with a dotted tail
 * (`::ffff:10.0.0.1`, as vsftpd and Proxmox log IPv4 clients) the IPv4 address too, since that is
 * what an operator searches for. Returns whether it was an address.
 */
export function addIp(s: string, a: number, b: number, out: Entity[]): boolean {
  if (isDottedQuad(s, a, b)) {
    // A dotted quad without leading zeros is already in canonical form.
    addEntity(out, 'ip', s.slice(a, b));
    return true;
  }
  const text = s.slice(a, b);
  if (text.indexOf(':') < 0 || !mayBeIPv6(text)) return false;
  const ip = parseIp(text);
  if (ip === null) return false;
  addEntity(out, 'ip', ip.text);
  if (ip.version === 6 && text.indexOf('.') >= 0) {
    const v4 = text.lastIndexOf(':') + 1;
    if (isDottedQuad(text, v4, text.length)) addEntity(out, 'ip', text.slice(v4));
  }
  return true;
}

/** `1.2.3.4:22` in [a, b) with the colon at `colon`: the address, and the port when it is one. */
export function addIpPort(s: string, a: number, colon: number, b: number, out: Entity[]): void {
  if (!addIp(s, a, colon, out)) return;
  const port = portText(s, colon + 1, b);
  if (port !== null) addEntity(out, 'port', port);
}

/** A port written right after an address: `[2001:db8::1]:443` (at `]`) or BIND's `10.0.0.1#53` (at `#`). */
export function addPortAfterIp(s: string, end: number, out: Entity[]): void {
  const c = s.charCodeAt(end);
  let from = -1;
  if (c === 93 && s.charCodeAt(end + 1) === 58) from = end + 2;
  else if (c === 35) from = end + 1;
  if (from < 0) return;
  let to = from;
  while (to - from < 6 && s.charCodeAt(to) >= 48 && s.charCodeAt(to) <= 57) to++;
  const port = portText(s, from, to);
  if (port !== null) addEntity(out, 'port', port);
}

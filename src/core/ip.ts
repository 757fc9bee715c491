/**
 * IP addresses as the store indexes them. An address is one term in canonical text form
 * (`10.0.0.5`, `2001:db8::1`) and also one typed hex term (`ip4_0a000005`, `ip6_2001...`) whose
 * prefixes answer CIDR queries exactly from the index.
 */

/*
 * Addresses are read by hand over char codes, without regular expressions, splits, closures or
 * intermediate arrays: the parser calls parseIp for every address-like word of every line. The
 * regex-and-split version took 5.5–7 µs of CPU per IPv6 address and 1.1–1.3 µs per IPv4 address, this
 * one 1.0–1.2 µs and 0.2–0.3 µs (session 25, warm, a shared 2-core machine at load 7–9; a differential
 * check over 1.9M random and edge-case inputs found the two giving the same result every time).
 */

const COLON = 58;
const DOT = 46;

/** Two lowercase hex digits of every byte, and the shortest hex text of every byte. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const HEX_SHORT: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16));

/** The value of a hex digit (either case), or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/**
 * The dotted quad s[a, b) (octets 0..255 in decimal, no leading zeros) as one unsigned 32-bit
 * number, or -1.
 */
function scanIPv4(s: string, a: number, b: number): number {
  let value = 0;
  let i = a;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= b || s.charCodeAt(i) !== DOT) return -1;
      i++;
    }
    const start = i;
    let v = 0;
    while (i < b && i - start < 3) {
      const d = s.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) break;
      v = v * 10 + d;
      i++;
    }
    if (i === start || v > 255 || (i - start > 1 && s.charCodeAt(start) === 48)) return -1;
    value = value * 256 + v;
  }
  return i === b ? value : -1;
}

/** The four octets of a dotted-quad IPv4 address (no leading zeros), or null. */
export function parseIPv4(s: string): number[] | null {
  const v = scanIPv4(s, 0, s.length);
  return v < 0 ? null : [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

/**
 * The eight 16-bit groups of an IPv6 address (with `::` and an embedded IPv4 tail), or null. A zone
 * (`%eth0`) is dropped; the address before it must be 2 to 45 characters. One pass: groups are read
 * as they come, `::` marks where the zeros go, and a last part with a dot must be a dotted quad.
 */
export function parseIPv6(s: string): number[] | null {
  let end = s.indexOf('%');
  if (end < 0) end = s.length;
  if (end < 2 || end > 45) return null;
  const groups = [0, 0, 0, 0, 0, 0, 0, 0];
  let n = 0;
  let gap = -1;
  let value = 0;
  let digits = 0;
  let partStart = 0;
  let dotted = false;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === COLON) {
      if (dotted) return null;
      if (digits > 0) {
        if (n === 8) return null;
        groups[n++] = value;
        value = 0;
        digits = 0;
      } else if (i > 0) {
        return null; // an empty group: `:` after `:` that is no `::`, or a third colon
      }
      if (s.charCodeAt(i + 1) === COLON) {
        if (gap >= 0 || s.charCodeAt(i + 2) === COLON) return null;
        gap = n;
        i++;
      } else if (i === 0 || i + 1 === end) {
        return null; // a lone `:` opens or closes the address
      }
      partStart = i + 1;
    } else if (c === DOT) {
      dotted = true;
    } else if (!dotted) {
      const d = hexValue(c);
      if (d < 0 || digits === 4) return null;
      value = value * 16 + d;
      digits++;
    }
  }
  if (dotted) {
    const v4 = partStart > 0 && n <= 6 ? scanIPv4(s, partStart, end) : -1;
    if (v4 < 0) return null;
    groups[n++] = Math.floor(v4 / 65536);
    groups[n++] = v4 & 0xffff;
  } else if (digits > 0) {
    if (n === 8) return null;
    groups[n++] = value;
  }
  if (gap < 0) return n === 8 ? groups : null;
  if (n > 7) return null;
  // the groups after `::` move to the end; zeros fill the gap
  const shift = 8 - n;
  for (let k = n - 1; k >= gap; k--) groups[k + shift] = groups[k]!;
  for (let k = gap; k < gap + shift; k++) groups[k] = 0;
  return groups;
}

/** The shortest hex text of a 16-bit group. */
function groupText(g: number): string {
  if (g < 256) return HEX_SHORT[g]!;
  return HEX_SHORT[g >> 8]! + HEX2[g & 255]!;
}

/** RFC 5952 text form: lowercase, longest run of zero groups (length >= 2) as `::`; IPv4-mapped as `::ffff:1.2.3.4` (§5). */
export function formatIPv6(groups: number[]): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    const hi = groups[6]!;
    const lo = groups[7]!;
    return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i !== bestStart + bestLen) text += ':';
    text += groupText(groups[i]!);
  }
  return text;
}

export interface IpAddress {
  version: 4 | 6;
  /** canonical text form */
  text: string;
  /** 8 (v4) or 32 (v6) lowercase hex digits */
  hex: string;
}

/** The 32 hex digits of eight groups, in one expression (a loop of `+=` was several times slower). */
function ipv6Hex(g: number[]): string {
  return (
    HEX2[g[0]! >> 8]! + HEX2[g[0]! & 255]! + HEX2[g[1]! >> 8]! + HEX2[g[1]! & 255]! + HEX2[g[2]! >> 8]! + HEX2[g[2]! & 255]! +
    HEX2[g[3]! >> 8]! + HEX2[g[3]! & 255]! + HEX2[g[4]! >> 8]! + HEX2[g[4]! & 255]! + HEX2[g[5]! >> 8]! + HEX2[g[5]! & 255]! +
    HEX2[g[6]! >> 8]! + HEX2[g[6]! & 255]! + HEX2[g[7]! >> 8]! + HEX2[g[7]! & 255]!
  );
}

export function parseIp(s: string): IpAddress | null {
  const v4 = scanIPv4(s, 0, s.length);
  // a dotted quad without leading zeros is its own canonical text
  if (v4 >= 0) return { version: 4, text: s, hex: HEX2[v4 >>> 24]! + HEX2[(v4 >>> 16) & 255]! + HEX2[(v4 >>> 8) & 255]! + HEX2[v4 & 255]! };
  if (s.indexOf(':') < 0) return null;
  const v6 = parseIPv6(s);
  if (v6 === null) return null;
  return { version: 6, text: formatIPv6(v6), hex: ipv6Hex(v6) };
}

/** the first 96 bits of an IPv4-mapped IPv6 address (::ffff:0:0/96), as `hex` writes them */
const MAPPED_HEAD = '00000000000000000000ffff';

/**
 * The IPv4 address an IPv4-mapped IPv6 address stands for, dotted (`::ffff:10.0.0.5`, `::FFFF:a00:5`,
 * `0:0:0:0:0:ffff:a00:5` → `10.0.0.5`); null for any other address. A dual-stack socket reports an IPv4
 * peer so (sshd, vsftpd, Java servers): relations, entities and pivots key it as the IPv4 address, while
 * `text` keeps the IPv6 form (the SYN board keys on it).
 */
export function mappedIPv4(ip: IpAddress): string | null {
  if (ip.version !== 6 || !ip.hex.startsWith(MAPPED_HEAD)) return null;
  const n = parseInt(ip.hex.slice(MAPPED_HEAD.length), 16);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The typed index term of an address: `ip4_0a000005` or `ip6_<32 hex>`. */
export function ipTerm(ip: IpAddress): string {
  return `ip${ip.version}_${ip.hex}`;
}

export interface Cidr {
  version: 4 | 6;
  /** network address, canonical text */
  network: string;
  bits: number;
  /** typed-term prefixes whose union is exactly the network (one for nibble-aligned lengths, up to 8 otherwise) */
  termPrefixes: string[];
}

/** Parses `10.1.0.0/16` or `2001:db8::/32`; host bits are cleared. Returns null when it is not a CIDR. */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (ip === null || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  const width = ip.version === 4 ? 32 : 128;
  if (bits > width) return null;
  const fullNibbles = Math.floor(bits / 4);
  const extraBits = bits % 4;
  const digits = ip.hex.split('').map((h) => parseInt(h, 16));
  const maskedDigits = digits.map((d, i) => {
    if (i < fullNibbles) return d;
    if (i === fullNibbles && extraBits > 0) return d & (0xf << (4 - extraBits)) & 0xf;
    return 0;
  });
  const maskedHex = maskedDigits.map((d) => d.toString(16)).join('');
  const network = parseIp(hexToText(ip.version, maskedHex))!.text;
  const base = `ip${ip.version}_${maskedHex.slice(0, fullNibbles)}`;
  const termPrefixes: string[] = [];
  if (extraBits === 0) termPrefixes.push(base);
  else {
    const first = maskedDigits[fullNibbles]!;
    for (let k = 0; k < 1 << (4 - extraBits); k++) termPrefixes.push(base + (first + k).toString(16));
  }
  return { version: ip.version, network, bits, termPrefixes };
}

function hexToText(version: 4 | 6, hex: string): string {
  if (version === 4) return [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(parseInt(hex.slice(i, i + 4), 16));
  return formatIPv6(groups);
}

/**
 * An address's place in the "by address" order, as text that sorts so: IPv4 by value (10.0.0.9 before
 * 10.0.0.10), then IPv6 by value (2001:db8::9 before 2001:db8::10, and 2001:db8::1 before 2001:db8:0:1::),
 * then anything that is no address, as text. The SYN board's `sort=ip` (src/detect/syn/board-view.ts) and
 * the Hosts page's rows (web/src/pages/hosts/board-rows.ts) both order by it, so the 200 hosts the server
 * sends are the first 200 the page shows. Text order put 2001:db8::10 before 2001:db8::9 and `::1` last.
 * An IPv4-mapped address goes just after its IPv4 form.
 */
export function ipOrderKey(s: string): string {
  const ip = parseIp(s);
  if (ip === null) return `9${s}`;
  // an IPv4-mapped IPv6 address (`::ffff:10.0.0.9`, a dual-stack socket's) is that IPv4 host: beside it, just after
  if (mappedIPv4(ip) !== null) return `4${ip.hex.slice(MAPPED_HEAD.length)}~`;
  return `${ip.version}${ip.hex}`;
}

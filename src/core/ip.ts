/**
 * IP addresses as the store indexes them. An address is one term in canonical text form
 * (`10.0.0.5`, `2001:db8::1`) and also one typed hex term (`ip4_0a000005`, `ip6_2001...`) whose
 * prefixes answer CIDR queries exactly from the index.
 */

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The four octets of a dotted-quad IPv4 address (no leading zeros), or null. */
export function parseIPv4(s: string): number[] | null {
  const m = V4.exec(s);
  if (m === null) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
}

/** The eight 16-bit groups of an IPv6 address (with `::` and an embedded IPv4 tail), or null. */
export function parseIPv6(input: string): number[] | null {
  let s = input.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.length < 2 || s.length > 45 || !/^[0-9a-f:.]+$/.test(s)) return null;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  if (head === null) return null;
  if (halves.length === 1) {
    const groups = [...head, ...tail];
    return groups.length === 8 ? groups : null;
  }
  const rest = parseGroups(halves[1]!);
  if (rest === null) return null;
  const known = head.length + rest.length + tail.length;
  if (known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

/** RFC 5952 text form: lowercase, longest run of zero groups (length >= 2) as `::`; IPv4-mapped as `::ffff:1.2.3.4` (§5). */
export function formatIPv6(groups: number[]): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!];
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
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

export interface IpAddress {
  version: 4 | 6;
  /** canonical text form */
  text: string;
  /** 8 (v4) or 32 (v6) lowercase hex digits */
  hex: string;
}

export function parseIp(s: string): IpAddress | null {
  const v4 = parseIPv4(s);
  if (v4 !== null) return { version: 4, text: v4.join('.'), hex: v4.map((o) => o.toString(16).padStart(2, '0')).join('') };
  if (s.indexOf(':') < 0) return null;
  const v6 = parseIPv6(s);
  if (v6 === null) return null;
  return { version: 6, text: formatIPv6(v6), hex: v6.map((g) => g.toString(16).padStart(4, '0')).join('') };
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

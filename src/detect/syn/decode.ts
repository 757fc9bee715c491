/** Link layer → IPv4/IPv6 → TCP: decodes one captured frame into a SynPacket, or counts why not. */
import { countSkip, type ReadStats, type SynPacket } from './types.js';

export const LINKTYPE = { NULL: 0, ETHERNET: 1, RAW: 101, RAW_OLD: 12, RAW_OBSD: 14, LOOP: 108, SLL: 113, SLL2: 276, IPV4: 228, IPV6: 229 } as const;

const OCTET: string[] = Array.from({ length: 256 }, (_, i) => String(i));

export function ipv4ToString(n: number): string {
  return OCTET[n >>> 24]! + '.' + OCTET[(n >>> 16) & 255]! + '.' + OCTET[(n >>> 8) & 255]! + '.' + OCTET[n & 255]!;
}

/** A direct-mapped cache of address texts: most SYNs repeat a recent source or destination. */
const CACHE_BITS = 12;
const cacheKey = new Float64Array(1 << CACHE_BITS).fill(-1);
const cacheVal: string[] = new Array<string>(1 << CACHE_BITS).fill('');

function ipv4Text(n: number): string {
  const i = (n ^ (n >>> CACHE_BITS) ^ (n >>> 24)) & ((1 << CACHE_BITS) - 1);
  if (cacheKey[i] === n) return cacheVal[i]!;
  const s = ipv4ToString(n);
  cacheKey[i] = n;
  cacheVal[i] = s;
  return s;
}

/** Option orders seen so far, by their base-8 code (one digit per option). */
const OPT_LETTERS = ['', 'E', 'N', 'M', 'W', 'S', 'T', '?'];
const optStrings = new Map<number, string>();

function optText(code: number): string {
  let s = optStrings.get(code);
  if (s === undefined) {
    s = '';
    for (let c = code; c > 0; c = Math.floor(c / 8)) s = OPT_LETTERS[c % 8]! + s;
    if (optStrings.size < 10_000) optStrings.set(code, s);
  }
  return s;
}

/** Canonical (RFC 5952) text of the 16 bytes at `off`; IPv4-mapped as `::ffff:1.2.3.4` (§5), as core's formatIPv6 writes it. */
export function ipv6ToString(b: Uint8Array, off: number): string {
  let mapped = b[off + 10] === 0xff && b[off + 11] === 0xff;
  for (let i = 0; mapped && i < 10; i++) mapped = b[off + i] === 0;
  if (mapped) return '::ffff:' + OCTET[b[off + 12]!]! + '.' + OCTET[b[off + 13]!]! + '.' + OCTET[b[off + 14]!]! + '.' + OCTET[b[off + 15]!]!;
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return hex(g.slice(0, bestAt)) + '::' + hex(g.slice(bestAt + bestLen));
}

/** The same cache for IPv6 texts: the 16 bytes as four words, the text built only on a miss. */
const V6_BITS = 10;
const v6Key = new Int32Array(4 << V6_BITS);
const v6Used = new Uint8Array(1 << V6_BITS);
const v6Val: string[] = new Array<string>(1 << V6_BITS).fill('');

function ipv6Text(b: Uint8Array, off: number): string {
  const w0 = (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
  const w1 = (b[off + 4]! << 24) | (b[off + 5]! << 16) | (b[off + 6]! << 8) | b[off + 7]!;
  const w2 = (b[off + 8]! << 24) | (b[off + 9]! << 16) | (b[off + 10]! << 8) | b[off + 11]!;
  const w3 = (b[off + 12]! << 24) | (b[off + 13]! << 16) | (b[off + 14]! << 8) | b[off + 15]!;
  let h = Math.imul(w0, 0x9e3779b1) ^ Math.imul(w1, 0x85ebca6b) ^ Math.imul(w2, 0xc2b2ae35) ^ w3;
  h ^= h >>> 15;
  const i = Math.imul(h, 0x2c1b3c6d) >>> (32 - V6_BITS);
  const k = i << 2;
  if (v6Used[i] === 1 && v6Key[k] === w0 && v6Key[k + 1] === w1 && v6Key[k + 2] === w2 && v6Key[k + 3] === w3) return v6Val[i]!;
  const text = ipv6ToString(b, off);
  v6Key[k] = w0;
  v6Key[k + 1] = w1;
  v6Key[k + 2] = w2;
  v6Key[k + 3] = w3;
  v6Used[i] = 1;
  v6Val[i] = text;
  return text;
}

/** The most IPv6 extension headers walked before TCP. */
const MAX_V6_EXT = 16;

/** Ethertypes of a VLAN tag: 802.1Q, 802.1ad (QinQ) and the old 0x9100. */
const isVlan = (p: number): boolean => p === 0x8100 || p === 0x88a8 || p === 0x9100;

/** Link header → offset and ethertype of the network layer, or -1 (skip counted). */
function linkOffset(linktype: number, b: Uint8Array, off: number, end: number, stats: ReadStats): { at: number; proto: number } | null {
  let p: number;
  let at: number;
  switch (linktype) {
    case LINKTYPE.ETHERNET: {
      if (end - off < 14) return skip(stats, 'short_packet');
      at = off + 12;
      p = (b[at]! << 8) | b[at + 1]!;
      at += 2;
      // 802.1Q, 802.1ad (QinQ) and the old 0x9100 tag, any depth
      while (isVlan(p)) {
        if (end - at < 4) return skip(stats, 'short_packet');
        p = (b[at + 2]! << 8) | b[at + 3]!;
        at += 4;
      }
      return { at, proto: p };
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OLD:
    case LINKTYPE.RAW_OBSD:
      if (end - off < 1) return skip(stats, 'short_packet');
      return { at: off, proto: b[off]! >> 4 === 6 ? 0x86dd : 0x0800 };
    case LINKTYPE.IPV4:
      return { at: off, proto: 0x0800 };
    case LINKTYPE.IPV6:
      return { at: off, proto: 0x86dd };
    case LINKTYPE.SLL:
      if (end - off < 16) return skip(stats, 'short_packet');
      return { at: off + 16, proto: (b[off + 14]! << 8) | b[off + 15]! };
    case LINKTYPE.SLL2:
      if (end - off < 20) return skip(stats, 'short_packet');
      return { at: off + 20, proto: (b[off]! << 8) | b[off + 1]! };
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (end - off < 4) return skip(stats, 'short_packet');
      // the family is in the capturing host's byte order (NULL) or network order (LOOP): accept both
      const le = b[off]! | (b[off + 1]! << 8);
      const be = (b[off + 2]! << 8) | b[off + 3]!;
      const fam = le !== 0 ? le : be;
      p = fam === 2 ? 0x0800 : fam === 24 || fam === 28 || fam === 30 ? 0x86dd : -1;
      return { at: off + 4, proto: p };
    }
    default:
      return skip(stats, 'unsupported_linktype');
  }
}

/**
 * The encapsulations a backbone or access link puts between the link header and IP: MPLS label stacks
 * (the payload read by its first nibble: 4 IPv4, 6 IPv6, 0 a pseudowire control word and an Ethernet
 * frame), PPPoE sessions, and VLAN tags after them or after a cooked header. Anything else is returned
 * as it is (the caller counts it as not IP).
 */
function unwrap(b: Uint8Array, at: number, proto: number, end: number, stats: ReadStats): { at: number; proto: number } | null {
  for (let hops = 0; hops < 8; hops++) {
    if (proto === 0x8847 || proto === 0x8848) {
      // labels of 4 bytes until the one with the bottom-of-stack bit
      for (let labels = 0; ; labels++) {
        // a stack deeper than any network uses is a bad header, not a short packet
        if (labels === 16) return skip(stats, 'bad_header');
        if (end - at < 4) return skip(stats, 'short_packet');
        const bottom = b[at + 2]! & 1;
        at += 4;
        if (bottom === 1) break;
      }
      if (end - at < 1) return skip(stats, 'short_packet');
      const nibble = b[at]! >> 4;
      if (nibble === 4) return { at, proto: 0x0800 };
      if (nibble === 6) return { at, proto: 0x86dd };
      if (nibble !== 0 || end - at < 18) return { at, proto: -1 };
      // Ethernet over MPLS: the control word, then the customer's frame
      at += 4;
      proto = (b[at + 12]! << 8) | b[at + 13]!;
      at += 14;
    } else if (proto === 0x8864) {
      // PPPoE session: version/type, code, session id, length, then the PPP protocol
      if (end - at < 8) return skip(stats, 'short_packet');
      const ppp = (b[at + 6]! << 8) | b[at + 7]!;
      at += 8;
      proto = ppp === 0x0021 ? 0x0800 : ppp === 0x0057 ? 0x86dd : -1;
    } else if (isVlan(proto)) {
      if (end - at < 4) return skip(stats, 'short_packet');
      proto = (b[at + 2]! << 8) | b[at + 3]!;
      at += 4;
    } else return { at, proto };
  }
  return { at, proto: -1 };
}

function skip(stats: ReadStats, r: Parameters<typeof countSkip>[1]): null {
  countSkip(stats, r);
  return null;
}

/**
 * Decodes the frame in b[off, end) captured on `linktype` at time `t` (µs). Returns the SYN, or null
 * with the reason counted in `stats.skipped`. Never throws on any bytes.
 */
export function decodeSyn(linktype: number, b: Uint8Array, off: number, end: number, t: number, stats: ReadStats): SynPacket | null {
  let link = linkOffset(linktype, b, off, end, stats);
  if (link !== null && link.proto !== 0x0800 && link.proto !== 0x86dd) link = unwrap(b, link.at, link.proto, end, stats);
  if (link === null) return null;
  let at = link.at;
  let v: number;
  let ttl: number;
  let ipid = 0;
  let len: number;
  let src4 = 0;
  let dst4 = 0;
  let src: string;
  let dst: string;
  let tcp: number;
  if (link.proto === 0x0800) {
    if (end - at < 20) return skip(stats, 'short_packet');
    const vihl = b[at]!;
    const ihl = (vihl & 15) * 4;
    if (vihl >> 4 !== 4 || ihl < 20) return skip(stats, 'bad_header');
    if (b[at + 9] !== 6) return skip(stats, 'not_tcp');
    if ((((b[at + 6]! & 0x1f) << 8) | b[at + 7]!) !== 0) return skip(stats, 'fragment');
    v = 4;
    len = (b[at + 2]! << 8) | b[at + 3]!;
    ipid = (b[at + 4]! << 8) | b[at + 5]!;
    ttl = b[at + 8]!;
    src4 = ((b[at + 12]! << 24) | (b[at + 13]! << 16) | (b[at + 14]! << 8) | b[at + 15]!) >>> 0;
    dst4 = ((b[at + 16]! << 24) | (b[at + 17]! << 16) | (b[at + 18]! << 8) | b[at + 19]!) >>> 0;
    tcp = at + ihl;
    if (end - tcp < 20) return skip(stats, 'short_packet');
    if ((b[tcp + 13]! & 0x12) !== 0x02) return skip(stats, 'not_syn');
    src = ipv4Text(src4);
    dst = ipv4Text(dst4);
  } else if (link.proto === 0x86dd) {
    if (end - at < 40) return skip(stats, 'short_packet');
    if (b[at]! >> 4 !== 6) return skip(stats, 'bad_header');
    v = 6;
    len = ((b[at + 4]! << 8) | b[at + 5]!) + 40;
    ttl = b[at + 7]!;
    let next = b[at + 6]!;
    const ipAt = at;
    at += 40;
    // skip extension headers: hop-by-hop, routing, destination options, fragment, AH; a chain of more
    // than MAX_V6_EXT is no stack's header (bad_header), anything else before TCP is not TCP
    for (let hops = 0; next !== 6; hops++) {
      if (next !== 0 && next !== 43 && next !== 60 && next !== 44 && next !== 51) return skip(stats, 'not_tcp');
      if (hops === MAX_V6_EXT) return skip(stats, 'bad_header');
      if (end - at < 8) return skip(stats, 'short_packet');
      if (next === 0 || next === 43 || next === 60) {
        const l = (b[at + 1]! + 1) * 8;
        next = b[at]!;
        at += l;
      } else if (next === 44) {
        if ((((b[at + 2]! << 8) | b[at + 3]!) & 0xfff8) !== 0) return skip(stats, 'fragment');
        next = b[at]!;
        at += 8;
      } else {
        // AH
        const l = (b[at + 1]! + 2) * 4;
        next = b[at]!;
        at += l;
      }
    }
    tcp = at;
    if (end - tcp < 20) return skip(stats, 'short_packet');
    if ((b[tcp + 13]! & 0x12) !== 0x02) return skip(stats, 'not_syn');
    src4 = ((b[ipAt + 20]! << 24) | (b[ipAt + 21]! << 16) | (b[ipAt + 22]! << 8) | b[ipAt + 23]!) >>> 0;
    dst4 = ((b[ipAt + 36]! << 24) | (b[ipAt + 37]! << 16) | (b[ipAt + 38]! << 8) | b[ipAt + 39]!) >>> 0;
    src = ipv6Text(b, ipAt + 8);
    dst = ipv6Text(b, ipAt + 24);
  } else return skip(stats, 'not_ip');

  const doff = (b[tcp + 12]! >> 4) * 4;
  const syn: SynPacket = {
    t,
    v,
    src,
    dst,
    src4,
    dst4,
    sport: (b[tcp]! << 8) | b[tcp + 1]!,
    dport: (b[tcp + 2]! << 8) | b[tcp + 3]!,
    ttl,
    ipid,
    win: (b[tcp + 14]! << 8) | b[tcp + 15]!,
    seq: ((b[tcp + 4]! << 24) | (b[tcp + 5]! << 16) | (b[tcp + 6]! << 8) | b[tcp + 7]!) >>> 0,
    mss: -1,
    ws: -1,
    sack: false,
    ts: false,
    opts: '',
    len,
  };
  // options cut off by the snaplen read as far as they go (a fingerprint short of its last options): counted
  if (tcp + doff > end) stats.truncatedOptions = (stats.truncatedOptions ?? 0) + 1;
  if (doff > 20) readOptions(syn, b, tcp + 20, Math.min(tcp + doff, end));
  return syn;
}

function readOptions(s: SynPacket, b: Uint8Array, at: number, end: number): void {
  // option kinds as base-8 digits (E1 N2 M3 W4 S5 T6 ?7); at most 16 are recorded
  let code = 0;
  let n = 0;
  const add = (d: number): void => {
    if (n++ < 16) code = code * 8 + d;
  };
  while (at < end) {
    const kind = b[at]!;
    if (kind === 0) {
      add(1);
      break;
    }
    if (kind === 1) {
      add(2);
      at++;
      continue;
    }
    if (at + 1 >= end) break;
    const l = b[at + 1]!;
    if (l < 2 || at + l > end) break;
    if (kind === 2 && l === 4) {
      s.mss = (b[at + 2]! << 8) | b[at + 3]!;
      add(3);
    } else if (kind === 3 && l === 3) {
      s.ws = b[at + 2]!;
      add(4);
    } else if (kind === 4) {
      s.sack = true;
      add(5);
    } else if (kind === 8) {
      s.ts = true;
      add(6);
    } else add(7);
    at += l;
  }
  s.opts = optText(code);
}

/** Writes SYN packets as frames and captures (pcap µs/ns, either byte order; pcapng): fixtures, synthetic data. */
import { LINKTYPE } from './decode.js';
import type { SynPacket } from './types.js';

/** The fields a frame needs; IPv6 addresses are written from `src`/`dst` text. */
export type SynSpec = Pick<SynPacket, 't' | 'src' | 'dst' | 'sport' | 'dport' | 'ttl' | 'ipid' | 'win' | 'seq' | 'mss' | 'ws' | 'sack' | 'ts'> & { ack?: boolean; opts?: string };

export function ipv4ToNumber(s: string): number {
  const p = s.split('.').map(Number);
  return (((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0);
}

function ipv6Bytes(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const hs = head === '' || head === undefined ? [] : head.split(':');
  const ts = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...hs, ...Array<string>(8 - hs.length - ts.length).fill('0'), ...ts].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 255]);
}

/** TCP options in the order given by `opts` letters (default: M W S T as present). */
function tcpOptions(p: SynSpec): number[] {
  const order = p.opts ?? (p.mss >= 0 ? 'M' : '') + (p.ws >= 0 ? 'NW' : '') + (p.sack ? 'NNS' : '') + (p.ts ? 'NNT' : '');
  const o: number[] = [];
  for (const c of order) {
    if (c === 'M') o.push(2, 4, (p.mss >> 8) & 255, p.mss & 255);
    else if (c === 'W') o.push(3, 3, p.ws & 255);
    else if (c === 'S') o.push(4, 2);
    else if (c === 'T') o.push(8, 10, 0, 0, 0, 1, 0, 0, 0, 0);
    else if (c === 'N') o.push(1);
    else if (c === 'E') o.push(0);
  }
  while (o.length % 4 !== 0) o.push(0);
  return o;
}

/** The IP packet (v4 or v6 by the address text) carrying a TCP SYN. */
export function synIpPacket(p: SynSpec): Buffer {
  const opts = tcpOptions(p);
  const tcp = Buffer.alloc(20 + opts.length);
  tcp.writeUInt16BE(p.sport, 0);
  tcp.writeUInt16BE(p.dport, 2);
  tcp.writeUInt32BE(p.seq >>> 0, 4);
  tcp[12] = ((20 + opts.length) / 4) << 4;
  tcp[13] = p.ack === true ? 0x12 : 0x02;
  tcp.writeUInt16BE(p.win, 14);
  Buffer.from(opts).copy(tcp, 20);
  if (p.src.includes(':')) {
    const ip = Buffer.alloc(40);
    ip[0] = 0x60;
    ip.writeUInt16BE(tcp.length, 4);
    ip[6] = 6;
    ip[7] = p.ttl;
    Buffer.from(ipv6Bytes(p.src)).copy(ip, 8);
    Buffer.from(ipv6Bytes(p.dst)).copy(ip, 24);
    return Buffer.concat([ip, tcp]);
  }
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + tcp.length, 2);
  ip.writeUInt16BE(p.ipid, 4);
  ip[8] = p.ttl;
  ip[9] = 6;
  ip.writeUInt32BE(ipv4ToNumber(p.src), 12);
  ip.writeUInt32BE(ipv4ToNumber(p.dst), 16);
  return Buffer.concat([ip, tcp]);
}

/** A frame for `linktype` around an IP packet; `vlans` adds 802.1Q (then 802.1ad outer) tags on Ethernet. */
export function frame(ipPacket: Buffer, linktype: number, vlans: number[] = []): Buffer {
  const v6 = ipPacket[0]! >> 4 === 6;
  const et = v6 ? 0x86dd : 0x0800;
  switch (linktype) {
    case LINKTYPE.ETHERNET: {
      const tags = vlans.map((id, i) => {
        const t = Buffer.alloc(4);
        t.writeUInt16BE(i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100, 0);
        t.writeUInt16BE(id & 0xfff, 2);
        return t;
      });
      const h = Buffer.alloc(14);
      Buffer.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]).copy(h);
      // with tags, the first TPID sits where the ethertype would; each tag's TCI is followed by the next type
      if (tags.length === 0) {
        h.writeUInt16BE(et, 12);
        return Buffer.concat([h, ipPacket]);
      }
      // layout: dst src TPID TCI [TPID TCI] type
      const out: Buffer[] = [h.subarray(0, 12)];
      for (let i = 0; i < tags.length; i++) out.push(tags[i]!);
      const type = Buffer.alloc(2);
      type.writeUInt16BE(et, 0);
      out.push(type, ipPacket);
      return Buffer.concat(out);
    }
    case LINKTYPE.SLL: {
      const h = Buffer.alloc(16);
      h.writeUInt16BE(4, 0); // sent by us
      h.writeUInt16BE(1, 2);
      h.writeUInt16BE(6, 4);
      h.writeUInt16BE(et, 14);
      return Buffer.concat([h, ipPacket]);
    }
    case LINKTYPE.SLL2: {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(et, 0);
      h.writeUInt32BE(2, 4);
      h.writeUInt16BE(1, 8);
      h[10] = 4;
      h[11] = 6;
      return Buffer.concat([h, ipPacket]);
    }
    default:
      return ipPacket;
  }
}

/** An Ethernet header (fixed test addresses) with `ethertype`. */
function ethernet(ethertype: number): Buffer {
  const h = Buffer.alloc(14);
  Buffer.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]).copy(h);
  h.writeUInt16BE(ethertype, 12);
  return h;
}

/**
 * An Ethernet frame carrying `ipPacket` behind an MPLS label stack (`labels`, outermost first); with
 * `pseudowire`, as a customer's Ethernet frame (control word, then the frame) over MPLS.
 */
export function mplsFrame(ipPacket: Buffer, labels: readonly number[], pseudowire = false): Buffer {
  const stack = labels.map((label, i) => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE((((label & 0xfffff) << 12) | (i === labels.length - 1 ? 0x100 : 0) | 64) >>> 0, 0);
    return l;
  });
  const payload = pseudowire ? Buffer.concat([Buffer.alloc(4), frame(ipPacket, LINKTYPE.ETHERNET)]) : ipPacket;
  return Buffer.concat([ethernet(0x8847), ...stack, payload]);
}

/** An Ethernet frame carrying `ipPacket` in a PPPoE session (session 0x1234). */
export function pppoeFrame(ipPacket: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = 0x11; // version 1, type 1
  h.writeUInt16BE(0x1234, 2);
  h.writeUInt16BE(ipPacket.length + 2, 4);
  h.writeUInt16BE(ipPacket[0]! >> 4 === 6 ? 0x0057 : 0x0021, 6);
  return Buffer.concat([ethernet(0x8864), h, ipPacket]);
}

export interface PcapOptions {
  linktype?: number;
  nano?: boolean;
  bigEndian?: boolean;
}

/** A classic pcap file of (time µs, frame) records. */
export function writePcap(records: readonly { t: number; frame: Buffer }[], o: PcapOptions = {}): Buffer {
  const le = o.bigEndian !== true;
  const w32 = (b: Buffer, v: number, at: number): number => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
  const w16 = (b: Buffer, v: number, at: number): number => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const h = Buffer.alloc(24);
  w32(h, o.nano === true ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(h, 2, 4);
  w16(h, 4, 6);
  w32(h, 262144, 16);
  w32(h, o.linktype ?? LINKTYPE.RAW, 20);
  const parts: Buffer[] = [h];
  for (const r of records) {
    const rh = Buffer.alloc(16);
    const sec = Math.floor(r.t / 1e6);
    const us = Math.round(r.t - sec * 1e6);
    w32(rh, sec, 0);
    w32(rh, o.nano === true ? us * 1000 : us, 4);
    w32(rh, r.frame.length, 8);
    w32(rh, r.frame.length, 12);
    parts.push(rh, r.frame);
  }
  return Buffer.concat(parts);
}

export interface NgInterface {
  linktype: number;
  /** if_tsresol byte (6 = µs, 9 = ns, 0x80|n = 2^-n); absent = µs */
  tsresol?: number;
  /** more options as they are written: code and value (e.g. 14, if_tsoffset, a signed 64-bit count of seconds) */
  options?: readonly (readonly [number, Buffer])[];
}

/** A pcapng section: interfaces, then packets (`iface` index; `simple` writes an SPB; `units`, the raw 64-bit time in the interface's units, instead of `t`). */
export function writePcapng(ifaces: readonly NgInterface[], records: readonly { t: number; frame: Buffer; iface?: number; simple?: boolean; units?: bigint }[], o: { bigEndian?: boolean } = {}): Buffer {
  const le = o.bigEndian !== true;
  const block = (type: number, body: Buffer): Buffer => {
    const pad = (4 - (body.length % 4)) % 4;
    const len = 12 + body.length + pad;
    const b = Buffer.alloc(len);
    const w = (v: number, at: number): number => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
    w(type, 0);
    w(len, 4);
    body.copy(b, 8);
    w(len, len - 4);
    return b;
  };
  const u32 = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return b;
  };
  const u16 = (v: number): Buffer => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  };
  const parts: Buffer[] = [];
  parts.push(block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), u32(0xffffffff), u32(0xffffffff)])));
  for (const i of ifaces) {
    const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
    const list = [...(i.tsresol === undefined ? [] : [[9, Buffer.from([i.tsresol])] as const]), ...(i.options ?? [])];
    const opts = list.length === 0 ? Buffer.alloc(0) : Buffer.concat([...list.map(([code, v]) => Buffer.concat([u16(code), u16(v.length), pad(v)])), u16(0), u16(0)]);
    parts.push(block(1, Buffer.concat([u16(i.linktype), u16(0), u32(262144), opts])));
  }
  for (const r of records) {
    const ifId = r.iface ?? 0;
    if (r.simple === true) {
      parts.push(block(3, Buffer.concat([u32(r.frame.length), r.frame])));
      continue;
    }
    const res = ifaces[ifId]?.tsresol ?? 6;
    const perSec = res & 0x80 ? 2 ** (res & 0x7f) : 10 ** res;
    const units = r.units ?? (BigInt(Math.round(r.t)) * BigInt(Math.round(perSec))) / 1000000n;
    const hi = Number(units >> 32n);
    const lo = Number(units & 0xffffffffn);
    parts.push(block(6, Buffer.concat([u32(ifId), u32(hi), u32(lo), u32(r.frame.length), u32(r.frame.length), r.frame])));
  }
  return Buffer.concat(parts);
}

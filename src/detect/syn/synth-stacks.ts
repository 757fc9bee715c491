/** OS TCP stacks as their SYNs look (window, TTL, options, IP ID and source port habits), for the generator. */
import { ipv4ToString } from './decode.js';
import type { SynPacket } from './types.js';

export type Rand = () => number;

export const pick = <T>(r: Rand, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const exp = (r: Rand, mean: number): number => -Math.log(1 - r()) * mean;

export interface Stack {
  name: string;
  win: number;
  ttl: number;
  mss: number;
  ws: number;
  sack: boolean;
  ts: boolean;
  opts: string;
  /** IP ID: random per packet, or a global counter */
  ipid: 'random' | 'counter' | 'zero';
  /** ephemeral ports: random in a range, or sequential */
  sport: 'random' | 'sequential';
  /** SYN retransmission delays (s) when no answer */
  retries: number[];
}

export const STACKS: Record<string, Stack> = {
  linux: { name: 'linux', win: 64240, ttl: 64, mss: 1460, ws: 7, sack: true, ts: true, opts: 'MSTNW', ipid: 'random', sport: 'random', retries: [1, 2, 4] },
  linuxOld: { name: 'linux-3', win: 29200, ttl: 64, mss: 1460, ws: 7, sack: true, ts: true, opts: 'MSTNW', ipid: 'random', sport: 'random', retries: [1, 2, 4] },
  windows: { name: 'windows-10', win: 64240, ttl: 128, mss: 1460, ws: 8, sack: true, ts: false, opts: 'MNWNNS', ipid: 'counter', sport: 'sequential', retries: [3, 6] },
  windows7: { name: 'windows-7', win: 8192, ttl: 128, mss: 1460, ws: 2, sack: true, ts: false, opts: 'MNWNNS', ipid: 'counter', sport: 'sequential', retries: [3, 6] },
  windowsXp: { name: 'windows-xp', win: 64240, ttl: 128, mss: 1460, ws: -1, sack: true, ts: false, opts: 'MNNS', ipid: 'counter', sport: 'sequential', retries: [3, 6] },
  macos: { name: 'macos', win: 65535, ttl: 64, mss: 1460, ws: 6, sack: true, ts: true, opts: 'MNWNNTSEE', ipid: 'random', sport: 'random', retries: [1, 1, 1, 1, 2] },
  android: { name: 'android', win: 65535, ttl: 64, mss: 1460, ws: 9, sack: true, ts: true, opts: 'MSTNW', ipid: 'random', sport: 'random', retries: [1, 2, 4] },
  ios: { name: 'ios', win: 65535, ttl: 64, mss: 1460, ws: 6, sack: true, ts: true, opts: 'MNWNNTSEE', ipid: 'random', sport: 'random', retries: [1, 1, 1, 2] },
};
export const BENIGN_STACKS = ['linux', 'linuxOld', 'windows', 'windows7', 'macos', 'android', 'ios'] as const;

/**
 * Which stacks the benign profiles draw. `real` (the generator as it trains the shipped model): BENIGN_STACKS,
 * so Windows XP's (no window scale, MSS-NOP-NOP-SACK) is the worms' alone. `shared`: the benign profiles
 * draw it too, a control for how much a result rests on a stack only the synthetic malicious hosts use
 * (`nml eval syn --synthetic-stacks shared`).
 */
export type StackKnowledge = 'real' | 'shared';
export const BENIGN_STACKS_BY: Record<StackKnowledge, readonly string[]> = { real: BENIGN_STACKS, shared: [...BENIGN_STACKS, 'windowsXp'] };

export function randomPublicIp(r: Rand): number {
  for (;;) {
    const a = int(r, 1, 223);
    if (a === 10 || a === 127 || a === 100 || a === 169 || a === 172 || a === 192) continue;
    return ((a << 24) | (int(r, 0, 255) << 16) | (int(r, 0, 255) << 8) | int(r, 1, 254)) >>> 0;
  }
}

export function privateIp(r: Rand): number {
  return ((10 << 24) | (int(r, 0, 255) << 16) | (int(r, 0, 255) << 8) | int(r, 2, 254)) >>> 0;
}

/** A host's stack state: counters the OS keeps between connections. */
export class StackHost {
  private ipid: number;
  private port: number;

  constructor(
    readonly r: Rand,
    readonly src4: number,
    readonly stack: Stack,
  ) {
    this.ipid = int(r, 0, 65535);
    this.port = stack.sport === 'sequential' ? int(r, 49152, 60000) : 0;
  }

  nextPort(): number {
    if (this.stack.sport === 'random') return int(this.r, 32768, 60999);
    this.port = this.port >= 65535 ? 49152 : this.port + 1;
    return this.port;
  }

  /** One SYN of a new connection (and its retransmissions with probability `lossP`) */
  connect(t: number, dst4: number, dport: number, lossP = 0.02): SynPacket[] {
    const s = this.stack;
    const sport = this.nextPort();
    const seq = Math.floor(this.r() * 4294967296);
    const out: SynPacket[] = [];
    let tt = t;
    const tries = this.r() < lossP ? 1 + int(this.r, 1, s.retries.length) : 1;
    for (let k = 0; k < tries; k++) {
      if (k > 0) tt += s.retries[k - 1]! * 1e6;
      this.ipid = (this.ipid + (s.ipid === 'counter' ? int(this.r, 1, 6) : 0)) & 0xffff;
      const ipid = s.ipid === 'random' ? int(this.r, 0, 65535) : s.ipid === 'zero' ? 0 : this.ipid;
      out.push(makeSyn(tt, this.src4, dst4, sport, dport, s.ttl, ipid, s.win, seq, s));
    }
    return out;
  }
}

export function makeSyn(t: number, src4: number, dst4: number, sport: number, dport: number, ttl: number, ipid: number, win: number, seq: number, o: Pick<Stack, 'mss' | 'ws' | 'sack' | 'ts' | 'opts'>): SynPacket {
  let len = 40;
  for (const c of o.opts) len += c === 'M' ? 4 : c === 'W' ? 3 : c === 'S' ? 2 : c === 'T' ? 10 : 1;
  len = 40 + Math.ceil((len - 40) / 4) * 4;
  return { t: Math.round(t), v: 4, src: ipv4ToString(src4), dst: ipv4ToString(dst4), src4, dst4, sport, dport, ttl, ipid, win, seq: seq >>> 0, mss: o.mss, ws: o.ws, sack: o.sack, ts: o.ts, opts: o.opts, len };
}

/** An IPv6 address in 2001:db8:`net`::/64 whose low 32 bits are `a` (so `src4`/`dst4` read as decode gives them). */
function v6Address(net: number, a: number): string {
  const hi = (a >>> 16) & 0xffff;
  const lo = a & 0xffff;
  return hi === 0 ? `2001:db8:${net.toString(16)}::${lo.toString(16)}` : `2001:db8:${net.toString(16)}::${hi.toString(16)}:${lo.toString(16)}`;
}

/**
 * The same SYN sent over IPv6: no IP ID (0, as decode gives it), the MSS 20 bytes smaller (the larger
 * header), the length as decode counts it (payload + 40), addresses in 2001:db8::/32 with the same low
 * 32 bits. TTL becomes the hop limit unchanged.
 */
export function toIpv6(s: SynPacket): SynPacket {
  return { ...s, v: 6, ipid: 0, src: v6Address(5, s.src4), dst: v6Address(0xd, s.dst4), mss: s.mss > 0 ? s.mss - 20 : s.mss, len: s.len + 20 };
}

/**
 * Picturization: a host's SYNs → one image per window of N consecutive SYNs (rows) × per-packet fields
 * (columns, each in [0, 1]), plus a vector of timing and spread statistics over the window and the host
 * so far. Also the "bits" layout (gap, window and sequence bits) kept for comparison.
 */
import type { SynPacket } from './types.js';

export const ROWS = 32;

/** The field image's columns, by name (see fieldImage). */
export const FIELD_COLUMNS = [
  'present', 'gap', 'window', 'log window', 'ttl', 'ip id', 'ip id step', 'seq', 'seq^dst', 'seq step', 'ipid^(dst^dport^seq)',
  'dport', 'new dport', 'new dst', 'sport step', 'mss', 'wscale', 'sack', 'timestamp', 'option count', 'length', 'same dst', 'same dport',
  'dport bit 15', 'dport bit 14', 'dport bit 13', 'dport bit 12', 'dport bit 11', 'dport bit 10', 'dport bit 9', 'dport bit 8',
  'dport bit 7', 'dport bit 6', 'dport bit 5', 'dport bit 4', 'dport bit 3', 'dport bit 2', 'dport bit 1', 'dport bit 0',
] as const;
export const FIELDS = FIELD_COLUMNS.length;

/** The field columns as the UI labels them: one group per field, the 16 port bits as one. */
export const FIELD_GROUPS: readonly { name: string; from: number; to: number }[] = FIELD_COLUMNS.reduce<{ name: string; from: number; to: number }[]>((gs, name, i) => {
  const group = name.startsWith('dport bit') ? 'dport bits' : name;
  const last = gs[gs.length - 1];
  if (last !== undefined && last.name === group) last.to = i;
  else gs.push({ name: group, from: i, to: i });
  return gs;
}, []);

export const STAT_NAMES = [
  'window fill', 'window duration', 'window rate', 'median gap', 'gap cv', 'gaps <10ms', 'distinct dports', 'distinct dsts',
  'host syns', 'host dports', 'host dsts', 'host duration', 'host rate', 'same window value', 'dport entropy', 'dports <1024',
] as const;
export const STATS = STAT_NAMES.length;

export const BIT_COLUMNS = 8 + 16 + 32;

/** Host-wide counts up to the end of a window (the live board keeps the same). */
export interface HostContext {
  count: number;
  distinctPorts: number;
  distinctDsts: number;
  firstSeen: number;
  lastSeen: number;
}

export interface HostImage {
  /** ROWS × FIELDS, row-major */
  pixels: Float32Array;
  stats: Float32Array;
}

const clamp = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : Number.isFinite(x) ? x : 0);
const lg = Math.log10;
const log2p = (x: number, bits: number): number => clamp(Math.log2(Math.abs(x) + 1) / bits);

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** log-scaled gap in seconds: 1 µs → 0, 100 s → 1 */
export const gapPixel = (gapUs: number): number => clamp((lg(gapUs / 1e6 + 1e-6) + 6) / 8);

/**
 * The field image of `w` (≤ ROWS packets, oldest first; rows after the last packet stay 0).
 * `prev` is the host's packet just before the window (for the first row's gap and steps).
 */
export function fieldImage(w: readonly SynPacket[], prev: SynPacket | undefined, ctx: HostContext): HostImage {
  const px = new Float32Array(ROWS * FIELDS);
  const ports = new Set<number>();
  const dsts = new Set<string>();
  const gaps: number[] = [];
  const winCount = new Map<number, number>();
  const portCount = new Map<number, number>();
  let low = 0;
  let p = prev;
  for (let r = 0; r < w.length && r < ROWS; r++) {
    const s = w[r]!;
    const o = r * FIELDS;
    const gap = p === undefined ? 1e8 : Math.max(0, s.t - p.t);
    if (p !== undefined) gaps.push(gap);
    px[o] = 1;
    px[o + 1] = gapPixel(gap);
    px[o + 2] = s.win / 65535;
    px[o + 3] = log2p(s.win, 16);
    px[o + 4] = s.ttl / 255;
    px[o + 5] = s.ipid / 65535;
    px[o + 6] = p === undefined ? 1 : log2p((s.ipid - p.ipid + 65536) % 65536, 16);
    px[o + 7] = s.seq / 4294967296;
    px[o + 8] = popcount32((s.seq ^ s.dst4) >>> 0) / 32;
    px[o + 9] = p === undefined ? 1 : log2p(s.seq - p.seq, 32);
    px[o + 10] = popcount32((s.ipid ^ ((s.dst4 ^ s.dport ^ s.seq) & 0xffff)) >>> 0) / 16;
    px[o + 11] = s.dport / 65535;
    px[o + 12] = ports.has(s.dport) ? 0 : 1;
    px[o + 13] = dsts.has(s.dst) ? 0 : 1;
    px[o + 14] = p === undefined ? 1 : log2p(s.sport - p.sport, 16);
    px[o + 15] = s.mss < 0 ? 0 : s.mss / 65535 + 0.5 * Number(s.mss > 0);
    px[o + 16] = s.ws < 0 ? 0 : (s.ws + 1) / 16;
    px[o + 17] = s.sack ? 1 : 0;
    px[o + 18] = s.ts ? 1 : 0;
    px[o + 19] = clamp(s.opts.length / 10);
    px[o + 20] = clamp((s.len - 40) / 40);
    px[o + 21] = p !== undefined && p.dst === s.dst ? 1 : 0;
    px[o + 22] = p !== undefined && p.dport === s.dport ? 1 : 0;
    for (let b = 0; b < 16; b++) px[o + 23 + b] = (s.dport >>> (15 - b)) & 1;
    ports.add(s.dport);
    dsts.add(s.dst);
    winCount.set(s.win, (winCount.get(s.win) ?? 0) + 1);
    portCount.set(s.dport, (portCount.get(s.dport) ?? 0) + 1);
    if (s.dport < 1024) low++;
    p = s;
  }
  const n = Math.max(1, Math.min(w.length, ROWS));
  const dur = w.length > 1 ? (w[w.length - 1]!.t - w[0]!.t) / 1e6 : 0;
  gaps.sort((a, b) => a - b);
  const mean = gaps.length > 0 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0;
  const sd = gaps.length > 1 ? Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length) : 0;
  let ent = 0;
  for (const c of portCount.values()) ent -= (c / n) * Math.log2(c / n);
  const hostDur = (ctx.lastSeen - ctx.firstSeen) / 1e6;
  const st = new Float32Array(STATS);
  st[0] = n / ROWS;
  st[1] = clamp((lg(dur + 1e-3) + 3) / 7);
  st[2] = clamp((lg(n / (dur + 1e-3)) + 1) / 7);
  st[3] = gaps.length > 0 ? gapPixel(gaps[gaps.length >> 1]!) : 1;
  st[4] = mean > 0 ? clamp(sd / mean / 5) : 0;
  st[5] = gaps.length > 0 ? gaps.filter((g) => g < 10_000).length / gaps.length : 0;
  st[6] = ports.size / n;
  st[7] = dsts.size / n;
  st[8] = clamp(lg(ctx.count) / 6);
  st[9] = clamp(lg(ctx.distinctPorts) / 5);
  st[10] = clamp(lg(ctx.distinctDsts) / 5);
  st[11] = clamp((lg(hostDur + 1e-3) + 3) / 8);
  st[12] = clamp((lg(ctx.count / (hostDur + 1e-3)) + 1) / 7);
  st[13] = Math.max(...winCount.values(), 0) / n;
  st[14] = n > 1 ? ent / Math.log2(ROWS) : 0;
  st[15] = low / n;
  return { pixels: px, stats: st };
}

/** The reference "bits" layout: per row 8 bits of the quantized log gap, 16 window bits, 32 seq bits. */
export function bitImage(w: readonly SynPacket[], prev: SynPacket | undefined): HostImage {
  const px = new Float32Array(ROWS * BIT_COLUMNS);
  let p = prev;
  for (let r = 0; r < w.length && r < ROWS; r++) {
    const s = w[r]!;
    const o = r * BIT_COLUMNS;
    const g = Math.round(gapPixel(p === undefined ? 1e8 : s.t - p.t) * 255);
    for (let i = 0; i < 8; i++) px[o + i] = (g >> (7 - i)) & 1;
    for (let i = 0; i < 16; i++) px[o + 8 + i] = (s.win >> (15 - i)) & 1;
    for (let i = 0; i < 32; i++) px[o + 24 + i] = (s.seq >>> (31 - i)) & 1;
    p = s;
  }
  return { pixels: px, stats: new Float32Array(0) };
}

/** Windows of a host's SYNs (time order) with the context at each window's end. */
export interface HostWindow {
  from: number;
  to: number;
  ctx: HostContext;
}

/** Consecutive windows of ROWS packets; at most `maxWindows`, chosen evenly, always including the last. */
export function hostWindows(syns: readonly SynPacket[], maxWindows = Infinity): HostWindow[] {
  const all: HostWindow[] = [];
  const ports = new Set<number>();
  const dsts = new Set<string>();
  for (let from = 0; from < syns.length; from += ROWS) {
    const to = Math.min(syns.length, from + ROWS);
    for (let i = from; i < to; i++) {
      ports.add(syns[i]!.dport);
      dsts.add(syns[i]!.dst);
    }
    all.push({ from, to, ctx: { count: to, distinctPorts: ports.size, distinctDsts: dsts.size, firstSeen: syns[0]!.t, lastSeen: syns[to - 1]!.t } });
  }
  if (all.length <= maxWindows) return all;
  const out: HostWindow[] = [];
  for (let k = 0; k < maxWindows; k++) out.push(all[Math.round((k * (all.length - 1)) / Math.max(1, maxWindows - 1))]!);
  return out;
}

/**
 * The "wide" input of the SYN CNN: a bag of hashed fingerprint tokens per window, read by one linear
 * term added to the network's logit (wide & deep). Per SYN (weighted by its share of the window): the
 * window size, the likely initial TTL, the option order, MSS, window scale, the whole stack tuple, the
 * tool tells (IP ID 0 or 54321, sequence number = destination, masscan's IP ID relation; IPv6, which has
 * no IP ID, as a token of its own), the
 * destination port and its range, how many of the training benign hosts used that port (`PortPrior`),
 * repeats of source port, sequence number or IP ID. Per window (weight
 * 1): the host's SYN count, distinct ports and destinations so far, their ratios, the window's median
 * gap and the host's rate, all log-binned. Measured first as a model of its own
 * (scripts/experiments/syn-bag.ts; models/syn/MODEL_CARD.md).
 */
import type { HostContext } from './image.js';
import type { SynPacket } from './types.js';

/**
 * How many of the training benign hosts sent a SYN to each destination port: the model's knowledge of
 * which ports ordinary hosts use, learned from benign data rather than from lists of attacked ports.
 */
export interface PortPrior {
  hosts: number;
  counts: ReadonlyMap<number, number>;
}

/** A bag's port-rarity input: the prior, and whether the host is one of the benign hosts it counts (training only). */
export interface Rarity {
  prior: PortPrior;
  own: boolean;
}

/** The prior of `hosts`' benign hosts: per port, how many of them sent to it. */
export function portPrior(hosts: readonly { label: 0 | 1; syns: readonly SynPacket[] }[]): PortPrior {
  const counts = new Map<number, number>();
  let n = 0;
  for (const h of hosts) {
    if (h.label !== 0) continue;
    n++;
    for (const p of new Set(h.syns.map((s) => s.dport))) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return { hosts: n, counts };
}

const RARITY_NAMES = ['≥10%', '1–10%', '0.1–1%', 'under 0.1%', 'none'];

/**
 * 0: ≥10% of the training benign hosts used the port, 1: ≥1%, 2: ≥0.1%, 3: fewer, 4: none. A benign
 * training host is left out of its own count (`own`), or its rare ports would never read as rare.
 */
export function rarityLevel(r: Rarity, port: number): number {
  if (!r.own) return levelTable(r.prior)[port & 0xffff]!;
  return levelOf(r, port);
}

/** Every port's level for hosts outside the prior, built once per prior: scoring looks a SYN's level up. */
const tables = new WeakMap<PortPrior, Uint8Array>();
function levelTable(p: PortPrior): Uint8Array {
  let t = tables.get(p);
  if (t === undefined) {
    t = new Uint8Array(65536).fill(4);
    for (const port of p.counts.keys()) if (port >= 0 && port < 65536) t[port] = levelOf({ prior: p, own: false }, port);
    tables.set(p, t);
  }
  return t;
}

function levelOf(r: Rarity, port: number): number {
  const c = (r.prior.counts.get(port) ?? 0) - (r.own ? 1 : 0);
  if (c <= 0) return 4;
  const share = c / Math.max(1, r.prior.hosts - (r.own ? 1 : 0));
  return share >= 0.1 ? 0 : share >= 0.01 ? 1 : share >= 0.001 ? 2 : 3;
}

/** The bucket of port-rarity level `level`, and its name in explanations. */
let rarityBuckets: number[] | null = null;
export const rarityBucket = (level: number): number => (rarityBuckets ??= [0, 1, 2, 3, 4].map((l) => bucket(K.portRarity, l)))[level]!;
export const rarityName = (level: number): string => `dport used by ${RARITY_NAMES[level]} of the training benign hosts`;

/** log2 of the hashed token space */
export const BAG_BITS = 14;
export const BAG_SIZE = 1 << BAG_BITS;

/** A sparse bag: bucket indices (distinct) and their values; `names` lists each bucket's tokens when asked. */
export interface Bag {
  idx: Int32Array;
  val: Float32Array;
  names?: string[][];
}

export const EMPTY_BAG: Bag = { idx: new Int32Array(0), val: new Float32Array(0) };

/** Token kinds: a token is (kind, a, b), hashed as integers (no string is built unless names are asked for). */
export const TOKEN_KINDS = {
  win: 1, ttl: 2, opts: 3, mss: 4, ws: 5, stack: 6, ipid0: 7, ipid54321: 8, seqDst: 9, masscanIpid: 10, dport: 11, dportRange: 12,
  sameSport: 13, sameSeq: 14, sameIpid: 15, syns: 16, ports: 17, dsts: 18, portsPerSyn: 19, dstsPerSyn: 20, medianGap: 21, rate: 22,
  ipv6: 23, portRarity: 24,
} as const;
const K = TOKEN_KINDS;

const mix = (h: number, x: number): number => {
  h = Math.imul(h ^ (x | 0), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
};

/** The bucket of token (kind, a, b). */
export function bucket(kind: number, a = 0, b = 0): number {
  let h = mix(mix(mix(0x811c9dc5, kind), a), b);
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) & (BAG_SIZE - 1);
}

/** A small integer per option order ("MSTNW" …), the same in every process (FNV-1a of its letters). */
function optsCode(opts: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < opts.length; i++) h = Math.imul(h ^ opts.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** the initial TTL a stack most likely set */
const initialTtl = (t: number): number => (t <= 32 ? 32 : t <= 64 ? 64 : t <= 128 ? 128 : 255);
const log2 = (x: number): number => Math.floor(Math.log2(Math.max(1, x)));
/** the values whose log2 bin is `b`: "1" for 0, "256–511" for 8 */
const pow2Range = (b: number): string => (b === 0 ? '1' : `${2 ** b}–${2 ** (b + 1) - 1}`);
const optsName = (opts: string): string => (opts === '' ? 'no options' : `options ${opts}`);

/** Scratch sums over every bucket (reset after each bag), the buckets touched, and a window's gaps. */
const acc = new Float64Array(BAG_SIZE);
const touched: number[] = [];
let gaps = new Float64Array(64);

/** The bag of window `w` (the host's SYNs from `prev`'s successor on) with the host context at its end; port rarity tokens where a prior is given. */
export function windowBag(w: readonly SynPacket[], prev: SynPacket | undefined, ctx: HostContext, withNames = false, rarity: Rarity | null = null): Bag {
  const n = w.length;
  if (n === 0) return EMPTY_BAG;
  const names = withNames ? new Map<number, Set<string>>() : null;
  const nm = names !== null;
  // `name` is false unless names were asked for (the template is then never built)
  const add = (k: number, v: number, name: string | false): void => {
    if (acc[k] === 0) touched.push(k);
    acc[k] = acc[k]! + v;
    if (name !== false) names!.set(k, (names!.get(k) ?? new Set<string>()).add(name));
  };
  const share = 1 / n;
  if (gaps.length < n) gaps = new Float64Array(n);
  let nGaps = 0;
  let p = prev;
  // consecutive SYNs of a host nearly always share their option order: hash it once per run
  let lastOpts: string | undefined;
  let oc = 0;
  for (const s of w) {
    const ttl = initialTtl(s.ttl);
    if (s.opts !== lastOpts) {
      lastOpts = s.opts;
      oc = optsCode(s.opts);
    }
    add(bucket(K.win, s.win), share, nm && `window ${s.win}`);
    add(bucket(K.ttl, ttl), share, nm && `initial TTL ${ttl}`);
    add(bucket(K.opts, oc), share, nm && optsName(s.opts));
    add(bucket(K.mss, s.mss), share, nm && (s.mss < 0 ? 'no MSS' : `MSS ${s.mss}`));
    add(bucket(K.ws, s.ws), share, nm && (s.ws < 0 ? 'no window scale' : `window scale ${s.ws}`));
    add(bucket(K.stack, (s.win << 8) | ttl, mix(oc, s.mss)), share, nm && `stack: window ${s.win}, TTL ${ttl}, ${optsName(s.opts)}, ${s.mss < 0 ? 'no MSS' : `MSS ${s.mss}`}`);
    // IPv6 has no IP ID: its SYNs say so instead of reading as IP ID 0
    if (s.v === 6) add(bucket(K.ipv6), share, nm && 'IPv6');
    else if (s.ipid === 0) add(bucket(K.ipid0), share, nm && 'IP ID 0');
    if (s.v === 4 && s.ipid === 54321) add(bucket(K.ipid54321), share, nm && "IP ID 54321 (ZMap's)");
    if (s.v === 4 && s.seq === s.dst4) add(bucket(K.seqDst), share, nm && "sequence = destination address (Mirai's)");
    if (s.v === 4 && ((s.ipid ^ ((s.dst4 ^ s.dport ^ s.seq) & 0xffff)) & 0xffff) === 0) add(bucket(K.masscanIpid), share, nm && "IP ID = dst ⊕ dport ⊕ seq (masscan's)");
    add(bucket(K.dport, s.dport), share, nm && `dport ${s.dport}`);
    if (rarity !== null) {
      const level = rarityLevel(rarity, s.dport);
      add(rarityBucket(level), share, nm && rarityName(level));
    }
    const range = s.dport < 1024 ? 0 : s.dport < 49152 ? 1 : 2;
    add(bucket(K.dportRange, range), share, nm && ['dport < 1024', 'dport 1024–49151', 'dport ≥ 49152'][range]!);
    if (p !== undefined) {
      gaps[nGaps++] = s.t - p.t;
      if (s.sport === p.sport) add(bucket(K.sameSport), share, nm && 'source port repeated');
      if (s.seq === p.seq) add(bucket(K.sameSeq), share, nm && 'sequence number repeated');
      if (s.ipid === p.ipid && s.v === 4) add(bucket(K.sameIpid), share, nm && 'IP ID repeated');
    }
    p = s;
  }
  const binned = (k: number, v: number, name: (v: number) => string): void => add(bucket(k, v), 1, nm && name(v));
  binned(K.syns, log2(ctx.count), (v) => `host SYNs ${pow2Range(v)}`);
  binned(K.ports, log2(ctx.distinctPorts), (v) => `host dports ${pow2Range(v)}`);
  binned(K.dsts, log2(ctx.distinctDsts), (v) => `host destinations ${pow2Range(v)}`);
  binned(K.portsPerSyn, Math.round((ctx.distinctPorts / ctx.count) * 4), (v) => `dports per SYN ≈ ${v / 4}`);
  binned(K.dstsPerSyn, Math.round((ctx.distinctDsts / ctx.count) * 4), (v) => `destinations per SYN ≈ ${v / 4}`);
  if (nGaps > 0) {
    const sorted = gaps.subarray(0, nGaps).sort();
    binned(K.medianGap, log2(sorted[nGaps >> 1]!), (v) => `median gap ${pow2Range(v)} µs`);
  }
  if (ctx.count > 1) binned(K.rate, log2((ctx.count / Math.max(1, ctx.lastSeen - ctx.firstSeen)) * 1e6), (v) => `host rate ${pow2Range(v)} SYNs/s`);
  const idx = Int32Array.from(touched).sort();
  const val = new Float32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    val[i] = acc[idx[i]!]!;
    acc[idx[i]!] = 0;
  }
  touched.length = 0;
  const bag: Bag = { idx, val };
  if (names !== null) bag.names = Array.from(idx, (k) => [...(names.get(k) ?? [])]);
  return bag;
}

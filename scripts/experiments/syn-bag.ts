/**
 * Experiment (not part of the product): a bag of SYN fingerprints and host statistics, one logistic
 * regression, under the same leave-one-capture-out folds as `nml eval syn` (real captures plus the
 * synthetic training hosts, flood sources subsampled). Prints per-host ROC-AUC and the malicious hosts
 * found at ≤1% of benign hosts flagged, over every benign host and over those that send TCP options.
 *
 *   node --import tsx scripts/experiments/syn-bag.ts            # training seed 1 (SEED=2 … for others; the synthetic hosts are seed 1 as in `nml eval syn`)
 *   PORTS=0 …      without the destination-port tokens
 *   NEUTRAL=1 …    synthetic worm and P2P hosts on ports no real capture uses (`--synthetic-ports neutral`)
 *   LIST=1 …       also every malicious host: capture, category, SYNs, score, found or not
 *
 * Results and their reading: models/syn/MODEL_CARD.md. The shipped model now carries the same tokens per
 * window as its wide input (src/detect/syn/bag.ts, integer-hashed); this script stays as the measurement
 * of the tokens alone.
 */
import { loadReal, type LabeledHost } from '../../src/detect/syn/data.js';
import { folds } from '../../src/detect/syn/evaluate.js';
import { rocAuc } from '../../src/core/index.js';
import { generateSynthetic } from '../../src/detect/syn/synth.js';
import type { SynPacket } from '../../src/detect/syn/types.js';
import { Rng } from '../../src/detect/url/rng.js';

const DIM = 1 << 18;
const SEED = Number(process.env.SEED ?? 1);
const PORTS = process.env.PORTS !== '0';
const NEUTRAL = process.env.NEUTRAL === '1';

const bucket = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) & (DIM - 1);
};
/** the initial TTL a stack most likely set */
const initialTtl = (t: number): number => (t <= 32 ? 32 : t <= 64 ? 64 : t <= 128 ? 128 : 255);
const log2 = (x: number): number => Math.floor(Math.log2(Math.max(1, x)));

/** Per-SYN tokens weighted 1/n (their share of the host's SYNs), host statistics weighted 1. */
function features(syns: readonly SynPacket[]): Map<number, number> {
  const f = new Map<number, number>();
  const add = (token: string, v: number): void => {
    const k = bucket(token);
    f.set(k, (f.get(k) ?? 0) + v);
  };
  const n = syns.length;
  const share = 1 / n;
  const ports = new Set<number>();
  const dsts = new Set<string>();
  const gaps: number[] = [];
  let prev: SynPacket | null = null;
  for (const s of syns) {
    const ttl = initialTtl(s.ttl);
    add(`win:${s.win}`, share);
    add(`ttl:${ttl}`, share);
    add(`opts:${s.opts}`, share);
    add(`mss:${s.mss}`, share);
    add(`ws:${s.ws}`, share);
    add(`stack:${s.win}|${ttl}|${s.opts}|${s.mss}`, share);
    if (s.ipid === 0) add('ipid:0', share);
    if (s.ipid === 54321) add('ipid:54321', share);
    if (s.seq === s.dst4) add('seq=dst', share);
    if (((s.ipid ^ ((s.dst4 ^ s.dport ^ s.seq) & 0xffff)) & 0xffff) === 0) add('ipid=dst^dport^seq', share);
    if (PORTS) add(`dport:${s.dport}`, share);
    add(`dport-range:${s.dport < 1024 ? 'low' : s.dport < 49152 ? 'registered' : 'ephemeral'}`, share);
    if (prev !== null) {
      gaps.push(s.t - prev.t);
      if (s.sport === prev.sport) add('same-sport', share);
      if (s.seq === prev.seq) add('same-seq', share);
      if (s.ipid === prev.ipid) add('same-ipid', share);
    }
    ports.add(s.dport);
    dsts.add(s.dst);
    prev = s;
  }
  add(`syns:${log2(n)}`, 1);
  add(`ports:${log2(ports.size)}`, 1);
  add(`dsts:${log2(dsts.size)}`, 1);
  add(`ports/syns:${Math.round((ports.size / n) * 4)}`, 1);
  add(`dsts/syns:${Math.round((dsts.size / n) * 4)}`, 1);
  if (gaps.length > 0) {
    gaps.sort((a, b) => a - b);
    add(`median-gap:${log2(gaps[gaps.length >> 1]!)}`, 1);
    add(`rate:${log2((n / Math.max(1, syns[n - 1]!.t - syns[0]!.t)) * 1e6)}`, 1);
  }
  return f;
}

interface Row {
  label: 0 | 1;
  f: Map<number, number>;
  weight: number;
}

/** Adagrad logistic regression, classes weighted to count the same, 10 epochs in a seeded order. */
function train(rows: readonly Row[], seed: number): Float32Array {
  const w = new Float32Array(DIM + 1);
  const g2 = new Float32Array(DIM + 1).fill(1e-8);
  const mass = [0, 0];
  for (const r of rows) mass[r.label]! += r.weight;
  const order = rows.map((_, i) => i);
  const rng = new Rng(seed);
  for (let epoch = 0; epoch < 10; epoch++) {
    rng.shuffle(order);
    for (const i of order) {
      const r = rows[i]!;
      let z = w[DIM]!;
      for (const [k, v] of r.f) z += w[k]! * v;
      const g = (1 / (1 + Math.exp(-z)) - r.label) * r.weight * (rows.length / (2 * mass[r.label]!));
      w[DIM]! -= 0.01 * g;
      for (const [k, v] of r.f) {
        const gk = g * v + 1e-5 * w[k]!;
        g2[k]! += gk * gk;
        w[k]! -= (0.1 * gk) / Math.sqrt(g2[k]!);
      }
    }
  }
  return w;
}

function score(w: Float32Array, f: Map<number, number>): number {
  let z = w[DIM]!;
  for (const [k, v] of f) z += w[k]! * v;
  return 1 / (1 + Math.exp(-z));
}

const { hosts: real } = loadReal('../shared/datasets');
const synthetic: Row[] = generateSynthetic(1, 8, undefined, NEUTRAL ? 'neutral' : 'real').map((h) => ({ label: h.label, f: features(h.syns), weight: 1 }));
const feats = new Map<LabeledHost, Map<number, number>>(real.map((h) => [h, features(h.syns)]));
const scored: { label: 0 | 1; score: number; flood: boolean; options: boolean; host: LabeledHost }[] = [];
let fold = 0;
for (const [, test] of folds(real)) {
  const held = new Set(test);
  const rng = new Rng(SEED + fold);
  // flood sources (one SYN each, ~47k) are subsampled to about 1,500 and weigh a tenth
  const train_ = real.filter((h) => !held.has(h) && (!h.flood || rng.next() < 1500 / 47_000));
  const w = train([...train_.map((h) => ({ label: h.label, f: feats.get(h)!, weight: h.flood ? 0.1 : 1 })), ...synthetic], SEED + fold);
  for (const h of test) scored.push({ label: h.label, score: score(w, feats.get(h)!), flood: h.flood, options: h.syns.some((p) => p.opts.length > 0), host: h });
  fold++;
}

type Scored = (typeof scored)[number];
const found = (xs: readonly Scored[]): number => {
  const benign = xs.filter((x) => x.label === 0).map((x) => x.score).sort((a, b) => b - a);
  const line = benign[Math.floor(0.01 * benign.length)] ?? 0;
  return xs.filter((x) => x.label === 1 && x.score > line).length;
};
const auc = (xs: readonly Scored[]): string => rocAuc(xs.map((x) => x.score), xs.map((x) => x.label))?.toFixed(3) ?? 'n/a';
const hosts = scored.filter((x) => !x.flood);
const withOptions = hosts.filter((x) => x.label === 1 || x.options);
console.log(`seed ${SEED}${PORTS ? '' : ', no port tokens'}${NEUTRAL ? ', neutral synthetic ports' : ''}: ${hosts.length} hosts (${hosts.filter((x) => x.label === 1).length} malicious, floods apart)`);
console.log(`  every benign host: ROC-AUC ${auc(hosts)}, found ${found(hosts)} at ≤1% benign`);
console.log(`  benign hosts that send options: ROC-AUC ${auc(withOptions)}, found ${found(withOptions)}`);
if (process.env.LIST === '1') {
  const benign = hosts.filter((x) => x.label === 0).map((x) => x.score).sort((a, b) => b - a);
  const line = benign[Math.floor(0.01 * benign.length)] ?? 0;
  for (const x of hosts.filter((y) => y.label === 1).sort((a, b) => b.score - a.score)) {
    console.log(`  ${x.score > line ? 'found' : 'missed'} ${x.score.toFixed(3)} ${x.host.category} ${x.host.syns.length} SYNs ${x.host.capture}`);
  }
}

/** Image variants and training samples: hosts → windows → (image, statistics, label, weight). */
import { BAG_SIZE, EMPTY_BAG, portPrior, rarityBucket, rarityLevel, windowBag, type Bag, type PortPrior, type Rarity } from './bag.js';
import type { CnnShape } from './cnn.js';
import { BIT_COLUMNS, bitImage, FIELDS, fieldImage, hostWindows, ROWS, STATS, type HostWindow } from './image.js';
import type { Sample } from './train.js';
import type { SynPacket } from './types.js';

export type Variant = 'fields+stats+bag' | 'fields+stats' | 'fields' | 'bits' | 'stats';
export const VARIANTS: Variant[] = ['fields+stats+bag', 'fields+stats', 'fields', 'bits', 'stats'];
const hasStats = (v: Variant): boolean => v === 'fields+stats+bag' || v === 'fields+stats' || v === 'stats';

export function shapeOf(v: Variant): CnnShape {
  const conv = v !== 'stats';
  const shape: CnnShape = { rows: ROWS, cols: v === 'bits' ? BIT_COLUMNS : FIELDS, stats: hasStats(v) ? STATS : 0, conv, h1: 12, h2: 12, dense: 24 };
  if (v === 'fields+stats+bag') shape.wide = BAG_SIZE;
  return shape;
}

const NO_STATS = new Float32Array(0);

export interface WindowInput {
  x: Float32Array;
  s: Float32Array;
  b: Bag;
}

export function windowInput(v: Variant, syns: readonly SynPacket[], w: HostWindow, bagNames = false, rarity: Rarity | null = null): WindowInput {
  const win = syns.slice(w.from, w.to);
  const prev = w.from > 0 ? syns[w.from - 1] : undefined;
  if (v === 'bits') return { x: bitImage(win, prev).pixels, s: NO_STATS, b: EMPTY_BAG };
  const img = fieldImage(win, prev, w.ctx);
  if (v === 'fields') return { x: img.pixels, s: NO_STATS, b: EMPTY_BAG };
  if (v === 'stats') return { x: new Float32Array(0), s: img.stats, b: EMPTY_BAG };
  return { x: img.pixels, s: img.stats, b: v === 'fields+stats+bag' ? windowBag(win, prev, w.ctx, bagNames, rarity) : EMPTY_BAG };
}

export interface TrainHost {
  syns: readonly SynPacket[];
  label: 0 | 1;
  flood?: boolean;
}

/** A host's window inputs (at most `maxWindows`, chosen evenly), computed once and reused across folds. */
export interface HostInputs {
  host: TrainHost;
  inputs: WindowInput[];
}

export function hostInputs(v: Variant, host: TrainHost, maxWindows = 8, rarity: Rarity | null = null): HostInputs {
  return { host, inputs: host.syns.length === 0 ? [] : hostWindows(host.syns, maxWindows).map((w) => windowInput(v, host.syns, w, false, rarity)) };
}

/** The port prior of `hosts`' benign ones for a model of variant `v`: none where the variant has no wide input or `enabled` is false. */
export function priorFor(v: Variant, hosts: readonly TrainHost[], enabled = true): PortPrior | null {
  return enabled && v === 'fields+stats+bag' ? portPrior(hosts) : null;
}

/**
 * `hi` (inputs computed without a port prior) with the port-rarity tokens of `rarity` added, as
 * `hostInputs` with `rarity` computes them: evaluation folds each have their own prior, and the rest of
 * a host's inputs is computed once for all folds.
 */
export function withRarity(v: Variant, hi: HostInputs, rarity: Rarity, maxWindows = 8): HostInputs {
  if (v !== 'fields+stats+bag' || hi.inputs.length === 0) return hi;
  const syns = hi.host.syns;
  const ws = hostWindows(syns, maxWindows);
  return {
    host: hi.host,
    inputs: hi.inputs.map((inp, i) => {
      const { from, to } = ws[i]!;
      const add = new Map<number, number>();
      for (let j = from; j < to; j++) {
        const k = rarityBucket(rarityLevel(rarity, syns[j]!.dport));
        add.set(k, (add.get(k) ?? 0) + 1 / (to - from));
      }
      const sum = new Map<number, number>();
      inp.b.idx.forEach((k, j) => sum.set(k, inp.b.val[j]!));
      for (const [k, x] of add) sum.set(k, (sum.get(k) ?? 0) + x);
      const idx = Int32Array.from(sum.keys()).sort();
      return { ...inp, b: { idx, val: Float32Array.from(idx, (k) => sum.get(k)!) } };
    }),
  };
}

/**
 * Weighted samples: each class sums to the same total, each host's windows share one host weight, and
 * one-packet flood sources together get at most 10% of the malicious weight (they carry no host behaviour).
 */
export function weightSamples(hosts: readonly HostInputs[]): Sample[] {
  const out: Sample[] = [];
  const nb = hosts.filter((h) => h.host.label === 0).length;
  const nf = hosts.filter((h) => h.host.label === 1 && h.host.flood === true).length;
  const nm = hosts.filter((h) => h.host.label === 1 && h.host.flood !== true).length;
  const floodShare = nm === 0 ? 1 : Math.min(0.1, nf / (nf + nm));
  for (const { host: h, inputs } of hosts) {
    const hw = h.label === 0 ? 1 / Math.max(1, nb) : h.flood === true ? floodShare / Math.max(1, nf) : (1 - floodShare) / Math.max(1, nm);
    for (const { x, s, b } of inputs) out.push({ x, s, b, y: h.label, w: (hw / inputs.length) * 1000 });
  }
  return out;
}

export function buildSamples(v: Variant, hosts: readonly TrainHost[], maxWindows = 8, prior: PortPrior | null = null): Sample[] {
  return weightSamples(hosts.map((h) => hostInputs(v, h, maxWindows, prior === null ? null : { prior, own: h.label === 0 })));
}

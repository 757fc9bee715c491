/** The eXpose baseline (Saxe & Berlin 2017), a character-level CNN, trained exactly with table lookups instead of convolution gradients. */
/*
 * The eXpose baseline (Saxe & Berlin 2017): byte embedding 32 over the first 200 bytes, 1-D convolutions
 * of width 2, 3, 4, 5 × 256 filters with ReLU, sum-pooled over time, three dense layers of 1024 (ReLU,
 * dropout 0.5), sigmoid. Trained exactly but cheaply: embedding then convolution is linear, so each
 * (width, offset) pair is a 256 × 256 table P = E · W[offset] looked up per byte; gradients flow into
 * the tables and from them back into E and W once per batch.
 */
import { stripScheme, utf8 } from './features.js';
import type { Rng } from './rng.js';
import { Arena, kernels, type SimdKernels } from './simd.js';

export const EX_LEN = 200;
export const EX_EMB = 32;
export const EX_WIDTHS = [2, 3, 4, 5] as const;
export const EX_FILTERS = 256;
export const EX_DENSE = 1024;
const V = 256;
const F = EX_FILTERS;
const D = EX_DENSE;
const OFFSETS = EX_WIDTHS.reduce((a, b) => a + b, 0);

/** Trainable tensors, named as stored in weights.bin. */
export interface ExposeTensors {
  emb: Float32Array; // [256, 32]
  conv: Float32Array; // [14 offsets, 32, 256]: widths 2..5 one after another
  convBias: Float32Array; // [4, 256]
  d1: Float32Array; // [1024, 1024] input-major
  b1: Float32Array;
  d2: Float32Array;
  b2: Float32Array;
  d3: Float32Array;
  b3: Float32Array;
  out: Float32Array; // [1024]
  outBias: Float32Array; // [1]
}

export const EXPOSE_SHAPES: [keyof ExposeTensors, number[]][] = [
  ['emb', [V, EX_EMB]],
  ['conv', [OFFSETS, EX_EMB, F]],
  ['convBias', [EX_WIDTHS.length, F]],
  ['d1', [D, D]],
  ['b1', [D]],
  ['d2', [D, D]],
  ['b2', [D]],
  ['d3', [D, D]],
  ['b3', [D]],
  ['out', [D]],
  ['outBias', [1]],
];
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

export function initExpose(rng: Rng): Record<keyof ExposeTensors, Float32Array> {
  const u = (n: number, a: number): Float32Array => Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * a);
  return {
    emb: u(V * EX_EMB, 0.05),
    conv: u(OFFSETS * EX_EMB * F, Math.sqrt(6 / (4 * EX_EMB + F))),
    convBias: new Float32Array(EX_WIDTHS.length * F),
    d1: u(D * D, Math.sqrt(6 / D) / 8),
    b1: new Float32Array(D),
    d2: u(D * D, Math.sqrt(6 / D)),
    b2: new Float32Array(D),
    d3: u(D * D, Math.sqrt(6 / D)),
    b3: new Float32Array(D),
    out: u(D, Math.sqrt(6 / D)),
    outBias: new Float32Array(1),
  };
}

/** The first 200 bytes of the scheme-less URL. */
export function exposeBytes(url: string): Uint8Array {
  const [b, n] = utf8(stripScheme(url), new Uint8Array(EX_LEN));
  return b.slice(0, Math.min(n, EX_LEN));
}

/** Weights, tables, gradients and scratch in one WebAssembly memory. */
export class ExposeNet {
  readonly k: SimdKernels;
  readonly t: ExposeTensors;
  readonly g: ExposeTensors | null;
  /** P[(offset*256 + byte)*256 + filter] */
  readonly p: Float32Array;
  readonly dp: Float32Array | null;
  readonly conv: Float32Array; // [4][200][256] pre-activations of the current sample
  readonly pooled: Float32Array; // [1024]
  readonly h: Float32Array[]; // 3 × [1024] activations after dropout
  readonly masks: Float32Array[]; // 3 × [1024] dropout scale (0 or 1/keep)
  readonly dz: Float32Array[]; // 3 × [1024]
  readonly dpooled: Float32Array;
  readonly act: Int32Array[] = [new Int32Array(D), new Int32Array(D), new Int32Array(D)];
  readonly nAct = [0, 0, 0];
  /** bytes seen in the current batch (their P rows carry gradient) */
  readonly touched = new Uint8Array(V);

  constructor(init: Record<string, Float32Array>, training: boolean) {
    const params = EXPOSE_SHAPES.reduce((a, [, s]) => a + size(s) + 4, 0);
    const floats = params * (training ? 2 : 1) + OFFSETS * V * F * (training ? 2 : 1) + 4 * EX_LEN * F + 14 * D + 64;
    this.k = kernels(floats * 4);
    const ar = new Arena(this.k.memory);
    const alloc = (): ExposeTensors => Object.fromEntries(EXPOSE_SHAPES.map(([n, s]) => [n, ar.f32(Math.max(4, size(s)))])) as unknown as ExposeTensors;
    this.t = alloc();
    for (const [n, s] of EXPOSE_SHAPES) {
      const src = init[n];
      if (src === undefined || src.length !== size(s)) throw new Error(`tensor ${n} missing or of the wrong size`);
      this.t[n].set(src);
    }
    this.g = training ? alloc() : null;
    this.p = ar.f32(OFFSETS * V * F);
    this.dp = training ? ar.f32(OFFSETS * V * F) : null;
    this.conv = ar.f32(EX_WIDTHS.length * EX_LEN * F);
    this.pooled = ar.f32(D);
    this.h = [ar.f32(D), ar.f32(D), ar.f32(D)];
    this.masks = [ar.f32(D), ar.f32(D), ar.f32(D)];
    this.dz = [ar.f32(D), ar.f32(D), ar.f32(D)];
    this.dpooled = ar.f32(D);
    this.rebuildTables();
  }

  /** P_{offset} = E · W_{offset}, for every offset */
  rebuildTables(): void {
    const { k, p, t } = this;
    p.fill(0);
    for (let o = 0; o < OFFSETS; o++) {
      for (let v = 0; v < V; v++) {
        const row = p.byteOffset + ((o * V + v) * F) * 4;
        for (let e = 0; e < EX_EMB; e++) k.axpy(row, t.conv.byteOffset + ((o * EX_EMB + e) * F) * 4, t.emb[v * EX_EMB + e]!, F);
      }
    }
  }

  /** Convolutions and sum-pool of one byte string into `pooled`; keeps pre-activations in `conv`. */
  private convolve(b: Uint8Array): void {
    const { k, p, conv, pooled, t } = this;
    pooled.fill(0);
    let o0 = 0;
    EX_WIDTHS.forEach((w, wi) => {
      const pool = pooled.byteOffset + wi * F * 4;
      for (let s = 0; s + w <= b.length; s++) {
        const row = conv.subarray((wi * EX_LEN + s) * F, (wi * EX_LEN + s + 1) * F);
        row.set(t.convBias.subarray(wi * F, (wi + 1) * F));
        for (let o = 0; o < w; o++) k.axpy(row.byteOffset, p.byteOffset + ((o0 + o) * V + b[s + o]!) * F * 4, 1, F);
        k.reluAdd(pool, row.byteOffset, F);
      }
      o0 += w;
    });
  }

  /** Dense layer `i` from input x into h[i] (ReLU, then dropout when keep < 1, listing active units). */
  private dense(i: number, x: Float32Array, xAct: Int32Array | null, nx: number, keep: number, rng: Rng | null): void {
    const { k } = this;
    const w = [this.t.d1, this.t.d2, this.t.d3][i]!;
    const bias = [this.t.b1, this.t.b2, this.t.b3][i]!;
    const h = this.h[i]!;
    h.set(bias);
    for (let q = 0; q < nx; q++) {
      const r = xAct === null ? q : xAct[q]!;
      const v = x[r]!;
      if (v !== 0) k.axpy(h.byteOffset, w.byteOffset + r * D * 4, v, D);
    }
    const m = this.masks[i]!;
    const act = this.act[i]!;
    let n = 0;
    const inv = 1 / keep;
    for (let j = 0; j < D; j++) {
      if (h[j]! > 0 && (rng === null || rng.next() < keep)) {
        m[j] = inv;
        h[j] = h[j]! * inv;
        act[n++] = j;
      } else {
        m[j] = 0;
        h[j] = 0;
      }
    }
    this.nAct[i] = n;
  }

  /** Logit of one URL's bytes; with `rng`, applies dropout (training). */
  forward(b: Uint8Array, keep = 1, rng: Rng | null = null): number {
    this.convolve(b);
    this.dense(0, this.pooled, null, D, keep, rng);
    this.dense(1, this.h[0]!, this.act[0]!, this.nAct[0]!, keep, rng);
    this.dense(2, this.h[1]!, this.act[1]!, this.nAct[1]!, keep, rng);
    const h = this.h[2]!;
    let z = this.t.outBias[0]!;
    const act = this.act[2]!;
    for (let q = 0; q < this.nAct[2]!; q++) z += h[act[q]!]! * this.t.out[act[q]!]!;
    return z;
  }

  /** Adds the gradients of one sample (after `forward` with dropout) for d(loss)/d(logit) = dlogit. */
  backward(b: Uint8Array, dlogit: number): void {
    const { k } = this;
    const g = this.g!;
    const dp = this.dp!;
    g.outBias[0]! += dlogit;
    const dz2 = this.dz[2]!;
    dz2.fill(0);
    for (let q = 0; q < this.nAct[2]!; q++) {
      const j = this.act[2]![q]!;
      g.out[j]! += dlogit * this.h[2]![j]!;
      dz2[j] = dlogit * this.t.out[j]! * this.masks[2]![j]!;
    }
    const layers: [Float32Array, Float32Array, Float32Array, Float32Array, number][] = [
      [this.t.d3, g.d3, g.b3, this.h[1]!, 2],
      [this.t.d2, g.d2, g.b2, this.h[0]!, 1],
    ];
    for (const [w, gw, gb, x, i] of layers) {
      const dz = this.dz[i]!;
      for (let j = 0; j < D; j++) gb[j]! += dz[j]!;
      const dPrev = this.dz[i - 1]!;
      dPrev.fill(0);
      const act = this.act[i - 1]!;
      const mPrev = this.masks[i - 1]!;
      for (let q = 0; q < this.nAct[i - 1]!; q++) {
        const r = act[q]!;
        dPrev[r] = k.axpyDot(gw.byteOffset + r * D * 4, w.byteOffset + r * D * 4, dz.byteOffset, x[r]!, D) * mPrev[r]!;
      }
    }
    const dz0 = this.dz[0]!;
    for (let j = 0; j < D; j++) g.b1[j]! += dz0[j]!;
    const dpooled = this.dpooled;
    for (let r = 0; r < D; r++) {
      const v = this.pooled[r]!;
      dpooled[r] = k.axpyDot(g.d1.byteOffset + r * D * 4, this.t.d1.byteOffset + r * D * 4, dz0.byteOffset, v, D);
    }
    let o0 = 0;
    EX_WIDTHS.forEach((w, wi) => {
      const dpool = dpooled.byteOffset + wi * F * 4;
      for (let s = 0; s + w <= b.length; s++) {
        const row = this.conv.byteOffset + (wi * EX_LEN + s) * F * 4;
        k.maskAdd(g.convBias.byteOffset + wi * F * 4, row, dpool, F);
        for (let o = 0; o < w; o++) {
          const byte = b[s + o]!;
          this.touched[byte] = 1;
          k.maskAdd(dp.byteOffset + ((o0 + o) * V + byte) * F * 4, row, dpool, F);
        }
      }
      o0 += w;
    });
  }

  /** Moves the table gradients into E and W (dW_o += Eᵀ dP_o, dE += dP_o W_oᵀ) and clears them. */
  flushTableGrads(): void {
    const { k, t } = this;
    const g = this.g!;
    const dp = this.dp!;
    for (let v = 0; v < V; v++) {
      if (this.touched[v] === 0) continue;
      for (let o = 0; o < OFFSETS; o++) {
        const row = dp.byteOffset + ((o * V + v) * F) * 4;
        for (let e = 0; e < EX_EMB; e++) {
          const wRow = t.conv.byteOffset + ((o * EX_EMB + e) * F) * 4;
          g.emb[v * EX_EMB + e]! += k.dot(wRow, row, F);
          k.axpy(g.conv.byteOffset + ((o * EX_EMB + e) * F) * 4, row, t.emb[v * EX_EMB + e]!, F);
        }
        dp.fill(0, (o * V + v) * F, (o * V + v + 1) * F);
      }
      this.touched[v] = 0;
    }
  }

  /** plain copies of the trainable tensors */
  snapshot(): Record<string, Float32Array> {
    return Object.fromEntries(EXPOSE_SHAPES.map(([n, s]) => [n, this.t[n].slice(0, size(s))]));
  }
}

/**
 * A small CNN written directly in TypeScript (forward, backward, Adam): two convolutions over the rows
 * of a host image (kernel 3 rows × all columns, so a 2-D convolution whose kernel spans the image's width),
 * max- and mean-pooling over rows, the window statistics joined in, one hidden dense layer, a sigmoid.
 * With `conv: false` it is an MLP over the statistics alone (a comparison variant).
 */
import { mulberry32 } from '../../core/index.js';
import { EMPTY_BAG, type Bag } from './bag.js';

export interface CnnShape {
  rows: number;
  cols: number;
  stats: number;
  conv: boolean;
  h1: number;
  h2: number;
  dense: number;
  /** buckets of the wide input (a bag of hashed tokens, bag.ts) whose linear term joins the logit; 0 or absent: none */
  wide?: number;
}

export interface CnnWeights {
  shape: CnnShape;
  /** all parameters, flat, in the order of `layout(shape)` */
  params: number[];
}

const K = 3;

interface Layout {
  w1: number; b1: number; w2: number; b2: number; wd: number; bd: number; wo: number; bo: number; ww: number; total: number; zLen: number;
}

export function layout(s: CnnShape): Layout {
  const h1 = s.conv ? s.h1 : 0;
  const h2 = s.conv ? s.h2 : 0;
  const zLen = 2 * h2 + s.stats;
  let at = 0;
  const take = (n: number): number => ((at += n), at - n);
  const w1 = take(h1 * K * s.cols), b1 = take(h1), w2 = take(h2 * K * h1), b2 = take(h2);
  const wd = take(s.dense * zLen), bd = take(s.dense), wo = take(s.dense), bo = take(1);
  const ww = take(s.wide ?? 0);
  return { w1, b1, w2, b2, wd, bd, wo, bo, ww, total: at, zLen };
}

/** Deterministic PRNG (core's mulberry32). */
export const rng = mulberry32;

export function initWeights(shape: CnnShape, seed: number): CnnWeights {
  const L = layout(shape);
  const r = rng(seed);
  const p = new Float64Array(L.total);
  const fill = (at: number, n: number, fanIn: number): void => {
    const sd = Math.sqrt(2 / Math.max(1, fanIn));
    for (let i = 0; i < n; i++) p[at + i] = (r() * 2 - 1) * sd * Math.sqrt(3) * 0.7;
  };
  fill(L.w1, L.b1 - L.w1, K * shape.cols);
  fill(L.w2, L.b2 - L.w2, K * shape.h1);
  fill(L.wd, L.bd - L.wd, L.zLen);
  fill(L.wo, shape.dense, shape.dense);
  // the wide weights start at 0: a token never seen in training adds nothing
  return { shape, params: Array.from(p) };
}

/** Activations kept for the backward pass. */
export interface Trace {
  a1: Float64Array;
  a2: Float64Array;
  arg: Int32Array;
  z: Float64Array;
  d: Float64Array;
  p: number;
}

/** Scratch for the image's non-zero pixels (forward passes run one at a time). */
let nzCol = new Int32Array(0);
let nzVal = new Float64Array(0);
let nzEnd = new Int32Array(1);

export class Cnn {
  readonly L: Layout;
  readonly P: Float64Array;

  constructor(readonly w: CnnWeights) {
    this.L = layout(w.shape);
    this.P = Float64Array.from(w.params);
    if (this.P.length !== this.L.total) throw new Error(`weights hold ${this.P.length} parameters, the shape needs ${this.L.total}`);
  }

  /** The wide term: the bag's linear contribution to the logit (0 without a wide input). */
  wideLogit(b: Bag): number {
    const ww = this.L.ww;
    const P = this.P;
    let z = 0;
    for (let i = 0; i < b.idx.length; i++) z += P[ww + b.idx[i]!]! * b.val[i]!;
    return z;
  }

  forward(x: Float32Array, s: Float32Array, keep = false, b: Bag = EMPTY_BAG): Trace {
    const { rows: R, cols: C, conv, h1: H1, h2: H2, dense: D, stats: S } = this.w.shape;
    const P = this.P;
    const L = this.L;
    const h1 = conv ? H1 : 0;
    const h2 = conv ? H2 : 0;
    const a1 = new Float64Array(R * h1);
    const a2 = new Float64Array(R * h2);
    const arg = new Int32Array(h2);
    const z = new Float64Array(L.zLen);
    if (conv) {
      // the image's non-zero pixels, row by row: a partial window's empty rows and a row's clear bits cost
      // nothing (skipping terms that add exactly 0 leaves every sum, and so every trained weight, as it was)
      if (nzCol.length < R * C) {
        nzCol = new Int32Array(R * C);
        nzVal = new Float64Array(R * C);
      }
      if (nzEnd.length < R + 1) nzEnd = new Int32Array(R + 1);
      let n = 0;
      for (let r = 0; r < R; r++) {
        for (let c = 0, xo = r * C; c < C; c++) {
          const v = x[xo + c]!;
          if (v !== 0) {
            nzCol[n] = c;
            nzVal[n++] = v;
          }
        }
        nzEnd[r + 1] = n;
      }
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < h1; j++) {
          let acc = P[L.b1 + j]!;
          for (let t = 0; t < K; t++) {
            const rr = r + t - 1;
            if (rr < 0 || rr >= R) continue;
            const wo = L.w1 + (j * K + t) * C;
            for (let k = nzEnd[rr]!, end = nzEnd[rr + 1]!; k < end; k++) acc += P[wo + nzCol[k]!]! * nzVal[k]!;
          }
          a1[r * h1 + j] = acc > 0 ? acc : 0;
        }
      }
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < h2; j++) {
          let acc = P[L.b2 + j]!;
          for (let t = 0; t < K; t++) {
            const rr = r + t - 1;
            if (rr < 0 || rr >= R) continue;
            const wo = L.w2 + (j * K + t) * h1;
            const xo = rr * h1;
            for (let c = 0; c < h1; c++) acc += P[wo + c]! * a1[xo + c]!;
          }
          a2[r * h2 + j] = acc > 0 ? acc : 0;
        }
      }
      for (let j = 0; j < h2; j++) {
        let m = -1;
        let at = 0;
        let sum = 0;
        for (let r = 0; r < R; r++) {
          const v = a2[r * h2 + j]!;
          sum += v;
          if (v > m) {
            m = v;
            at = r;
          }
        }
        z[j] = m;
        z[h2 + j] = sum / R;
        arg[j] = at;
      }
    }
    for (let i = 0; i < S; i++) z[2 * h2 + i] = s[i]!;
    const d = new Float64Array(D);
    let logit = P[L.bo]! + this.wideLogit(b);
    for (let k = 0; k < D; k++) {
      let acc = P[L.bd + k]!;
      const wo = L.wd + k * L.zLen;
      for (let i = 0; i < L.zLen; i++) acc += P[wo + i]! * z[i]!;
      d[k] = acc > 0 ? acc : 0;
      logit += P[L.wo + k]! * d[k]!;
    }
    const p = 1 / (1 + Math.exp(-logit));
    return keep ? { a1, a2, arg, z, d, p } : { a1: EMPTY, a2: EMPTY, arg: EMPTY_I, z: EMPTY, d: EMPTY, p };
  }

  /** Adds d(loss)/d(params) to `g` for one sample with d(loss)/d(logit) = `dl`; returns d/d(input) when asked. */
  backward(x: Float32Array, tr: Trace, dl: number, g: Float64Array, wantDx = false, b: Bag = EMPTY_BAG): Float64Array | null {
    const { rows: R, cols: C, conv, h1: H1, h2: H2, dense: D } = this.w.shape;
    const P = this.P;
    const L = this.L;
    const h1 = conv ? H1 : 0;
    const h2 = conv ? H2 : 0;
    g[L.bo] = g[L.bo]! + dl;
    for (let i = 0; i < b.idx.length; i++) g[L.ww + b.idx[i]!] = g[L.ww + b.idx[i]!]! + dl * b.val[i]!;
    const dz = new Float64Array(L.zLen);
    for (let k = 0; k < D; k++) {
      g[L.wo + k] = g[L.wo + k]! + dl * tr.d[k]!;
      if (tr.d[k]! <= 0) continue;
      const dd = dl * P[L.wo + k]!;
      g[L.bd + k] = g[L.bd + k]! + dd;
      const wo = L.wd + k * L.zLen;
      for (let i = 0; i < L.zLen; i++) {
        g[wo + i] = g[wo + i]! + dd * tr.z[i]!;
        dz[i] = dz[i]! + dd * P[wo + i]!;
      }
    }
    if (!conv) return null;
    const da2 = new Float64Array(R * h2);
    for (let j = 0; j < h2; j++) {
      da2[tr.arg[j]! * h2 + j] = da2[tr.arg[j]! * h2 + j]! + dz[j]!;
      const m = dz[h2 + j]! / R;
      for (let r = 0; r < R; r++) da2[r * h2 + j] = da2[r * h2 + j]! + m;
    }
    const da1 = new Float64Array(R * h1);
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < h2; j++) {
        if (tr.a2[r * h2 + j]! <= 0) continue;
        const gr = da2[r * h2 + j]!;
        if (gr === 0) continue;
        g[L.b2 + j] = g[L.b2 + j]! + gr;
        for (let t = 0; t < K; t++) {
          const rr = r + t - 1;
          if (rr < 0 || rr >= R) continue;
          const wo = L.w2 + (j * K + t) * h1;
          const xo = rr * h1;
          for (let c = 0; c < h1; c++) {
            g[wo + c] = g[wo + c]! + gr * tr.a1[xo + c]!;
            da1[xo + c] = da1[xo + c]! + gr * P[wo + c]!;
          }
        }
      }
    }
    const dx = wantDx ? new Float64Array(R * C) : null;
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < h1; j++) {
        if (tr.a1[r * h1 + j]! <= 0) continue;
        const gr = da1[r * h1 + j]!;
        if (gr === 0) continue;
        g[L.b1 + j] = g[L.b1 + j]! + gr;
        for (let t = 0; t < K; t++) {
          const rr = r + t - 1;
          if (rr < 0 || rr >= R) continue;
          const wo = L.w1 + (j * K + t) * C;
          const xo = rr * C;
          for (let c = 0; c < C; c++) {
            g[wo + c] = g[wo + c]! + gr * x[xo + c]!;
            if (dx !== null) dx[xo + c] = dx[xo + c]! + gr * P[wo + c]!;
          }
        }
      }
    }
    return dx;
  }

  toWeights(): CnnWeights {
    return { shape: this.w.shape, params: Array.from(this.P, (v) => Math.round(v * 1e7) / 1e7) };
  }
}

const EMPTY = new Float64Array(0);
const EMPTY_I = new Int32Array(0);

/** The Bag-of-Bytes network 512 → 256 → 256 → 1 (ReLU, sigmoid): weights in SIMD memory, sparse forward pass, gradient × input. */
import { sigmoid } from '../../core/index.js';
import { FEATURE_DIM } from './features.js';
import type { Rng } from './rng.js';
import { Arena, kernels, type SimdKernels } from './simd.js';
import type { SparseSet } from './sparse-set.js';

export const H1 = 256;
export const H2 = 256;

/** Weights, input-major: w1[i*H1 + j] links input bin i to hidden unit j. */
export interface MlpWeights {
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  w3: Float32Array;
  b3: Float32Array;
}

export const MLP_PARAM_NAMES = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;
export const MLP_SHAPES: Record<(typeof MLP_PARAM_NAMES)[number], number> = { w1: FEATURE_DIM * H1, b1: H1, w2: H1 * H2, b2: H2, w3: H2, b3: 1 };

/** He-uniform initial weights, zero biases. */
export function initMlp(rng: Rng): MlpWeights {
  const he = (fanIn: number, n: number): Float32Array => {
    const a = Math.sqrt(6 / fanIn);
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) w[i] = (rng.next() * 2 - 1) * a;
    return w;
  };
  return { w1: he(FEATURE_DIM, MLP_SHAPES.w1), b1: new Float32Array(H1), w2: he(H1, MLP_SHAPES.w2), b2: new Float32Array(H2), w3: he(H2, H2), b3: new Float32Array(1) };
}

export function cloneMlp(w: MlpWeights): MlpWeights {
  return { w1: w.w1.slice(), b1: w.b1.slice(), w2: w.w2.slice(), b2: w.b2.slice(), w3: w.w3.slice(), b3: w.b3.slice() };
}

const PARAMS = Object.values(MLP_SHAPES).reduce((a, b) => a + b, 0);

/**
 * The network in one WebAssembly memory: weights (`w`), gradients (`g`, when training) and scratch
 * rows. Every vector op is a SIMD kernel call over 256 floats.
 */
export class MlpNet {
  readonly k: SimdKernels;
  readonly w: MlpWeights;
  readonly g: MlpWeights | null;
  readonly h1: Float32Array;
  readonly h2: Float32Array;
  readonly d1: Float32Array;
  readonly d2: Float32Array;

  constructor(weights: MlpWeights, withGrads = false) {
    this.k = kernels((PARAMS * (withGrads ? 2 : 1) + 8 * H1 + 64) * 4);
    const ar = new Arena(this.k.memory);
    const alloc = (): MlpWeights => ({ w1: ar.f32(MLP_SHAPES.w1), b1: ar.f32(H1), w2: ar.f32(MLP_SHAPES.w2), b2: ar.f32(H2), w3: ar.f32(H2), b3: ar.f32(4) });
    this.w = alloc();
    for (const n of MLP_PARAM_NAMES) this.w[n].set(weights[n].subarray(0, MLP_SHAPES[n]));
    this.g = withGrads ? alloc() : null;
    this.h1 = ar.f32(H1);
    this.h2 = ar.f32(H2);
    this.d1 = ar.f32(H1);
    this.d2 = ar.f32(H2);
  }

  /** a plain copy of the weights */
  snapshot(): MlpWeights {
    const w = cloneMlp(this.w);
    w.b3 = w.b3.slice(0, 1);
    return w;
  }

  /** h1 = relu(b1 + Σ val·W1[idx]) for entries [a, b) of a sparse row */
  layer1(idx: Uint16Array, val: Float32Array, a: number, b: number): void {
    const { k, h1 } = this;
    h1.set(this.w.b1);
    const base = this.w.w1.byteOffset;
    for (let e = a; e < b; e++) k.axpy(h1.byteOffset, base + idx[e]! * H1 * 4, val[e]!, H1);
  }

  /** h2 = b2 + Σ h1[i]·W2[i] over the non-zero h1 (listed in `act`, `n` of them) */
  layer2(act: Int32Array, n: number): void {
    const { k, h1, h2 } = this;
    h2.set(this.w.b2);
    const base = this.w.w2.byteOffset;
    for (let q = 0; q < n; q++) {
      const i = act[q]!;
      k.axpy(h2.byteOffset, base + i * H2 * 4, h1[i]!, H2);
    }
  }

  /** logit of row r of a sparse set, no dropout; leaves h1, h2 (after ReLU) in place */
  logit(s: SparseSet, r: number): number {
    this.layer1(s.idx, s.val, s.rowPtr[r]!, s.rowPtr[r + 1]!);
    const h1 = this.h1;
    let n = 0;
    for (let j = 0; j < H1; j++) {
      if (h1[j]! > 0) ACT[n++] = j;
      else h1[j] = 0;
    }
    this.layer2(ACT, n);
    const { h2 } = this;
    const w3 = this.w.w3;
    let z = this.w.b3[0]!;
    for (let j = 0; j < H2; j++) {
      const v = h2[j]!;
      if (v > 0) z += v * w3[j]!;
      else h2[j] = 0;
    }
    return z;
  }

  /** probabilities of every row */
  predict(s: SparseSet): Float32Array {
    const out = new Float32Array(s.n);
    for (let r = 0; r < s.n; r++) out[r] = sigmoid(this.logit(s, r));
    return out;
  }

  /** Gradient × input of the logit of row r: one value per entry of the row, in its order. */
  gradTimesInput(s: SparseSet, r: number): { logit: number; contrib: Float32Array } {
    const logit = this.logit(s, r);
    const { k, h1, h2, d1, d2 } = this;
    for (let j = 0; j < H2; j++) d2[j] = h2[j]! > 0 ? this.w.w3[j]! : 0;
    const w2 = this.w.w2.byteOffset;
    for (let i = 0; i < H1; i++) d1[i] = h1[i]! > 0 ? k.dot(w2 + i * H2 * 4, d2.byteOffset, H2) : 0;
    const a = s.rowPtr[r]!;
    const b = s.rowPtr[r + 1]!;
    const contrib = new Float32Array(b - a);
    const w1 = this.w.w1.byteOffset;
    for (let e = a; e < b; e++) contrib[e - a] = k.dot(w1 + s.idx[e]! * H1 * 4, d1.byteOffset, H1) * s.val[e]!;
    return { logit, contrib };
  }
}

const ACT = new Int32Array(H1);

/** Probabilities for every row of a sparse set (a fresh network each call; keep an MlpNet to reuse). */
export function predictSet(w: MlpWeights, s: SparseSet): Float32Array {
  return new MlpNet(w).predict(s);
}

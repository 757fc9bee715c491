/** Sparse vectors (sorted indices, values) and a seeded random source for reproducible training. */
import { mulberry32 } from '../../core/index.js';

export interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

export function dot(w: Float32Array, x: SparseVec): number {
  let s = 0;
  for (let i = 0; i < x.idx.length; i++) s += w[x.idx[i]!]! * x.val[i]!;
  return s;
}

/** The seeded generator that shuffles training examples reproducibly (core's mulberry32). */
export const seededRandom = mulberry32;

export function shuffled(n: number, rand: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}


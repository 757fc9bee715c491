/** A seeded PRNG (mulberry32) and the samplers the generator draws from; same seed, same stream. */

export type Rng = () => number;

/** mulberry32: 32-bit state, period 2^32, uniform floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi). */
export function intIn(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/**
 * A Zipf-skewed picker over `items` (rank 1 most frequent, weight ~ 1/rank^exponent), drawn by
 * inverting the continuous power law: one random number, one or two `pow`, no table to miss in cache.
 */
export function zipfPicker<T>(items: readonly T[], exponent = 1.0): (rng: Rng) => T {
  const n = items.length;
  if (n === 0) throw new RangeError('zipfPicker: no items');
  if (exponent === 1) {
    const logSpan = Math.log(n + 1);
    return (rng) => items[Math.min(n - 1, Math.floor(Math.exp(rng() * logSpan)) - 1)]!;
  }
  const q = 1 - exponent;
  const span = Math.pow(n + 1, q) - 1;
  const inv = 1 / q;
  return (rng) => items[Math.min(n - 1, Math.floor(Math.pow(1 + rng() * span, inv)) - 1)]!;
}

/** Picks an index by weight; `weights` need not sum to 1. Built once, O(1) per draw. */
export function weightedIndex(weights: readonly number[]): (rng: Rng) => number {
  const total = weights.reduce((a, b) => a + b, 0);
  const table: number[] = [];
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    const share = w > 0 ? Math.max(1, Math.round((w / total) * 10000)) : 0;
    for (let k = 0; k < share; k++) table.push(i);
  }
  const n = table.length;
  return (rng) => table[Math.floor(rng() * n)]!;
}

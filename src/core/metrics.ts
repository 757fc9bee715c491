/**
 * Binary-classification arithmetic shared by every model's evaluation: the confusion counts at a
 * threshold, ROC-AUC (Mann-Whitney, ties counted half, optional weights) and the detection rate at a
 * false-positive budget. Labels are 0/1 (anything above 0.5 is positive). Pure functions.
 */

import { AppError } from './errors.js';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Counts at `threshold`: a score at or above it is flagged. */
export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i]! >= threshold;
    if (labels[i]! > 0.5) {
      if (flagged) c.tp++;
      else c.fn++;
    } else if (flagged) c.fp++;
    else c.tn++;
  }
  return c;
}

/** ROC-AUC; null when a class is missing. `weights` count a sample that many times. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number | null {
  const n = scores.length;
  // a NaN equals nothing, not even itself: the tie loop below would never move past it
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i]!)) throw new AppError('METRICS_BAD_SCORE', 'internal', `metrics: score ${i} is NaN; every score must be a number (the model gave NaN: check its weights and input)`);
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    if (labels[i]! > 0.5) pos += w;
    else neg += w;
  }
  if (pos === 0 || neg === 0) return null;
  let negBelow = 0;
  let sum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    let p = 0;
    let q = 0;
    while (j < n && scores[idx[j]!] === scores[idx[i]!]) {
      const w = weights?.[idx[j]!] ?? 1;
      if (labels[idx[j]!]! > 0.5) p += w;
      else q += w;
      j++;
    }
    sum += p * (negBelow + q / 2);
    negBelow += q;
    i = j;
  }
  return sum / (pos * neg);
}

/**
 * The share of positives detected at the strictest threshold whose false-positive rate stays ≤ `fpr`:
 * flagged are scores strictly above the (k+1)-th highest negative, k = ⌊fpr × negatives⌋. Null without
 * both classes.
 */
export function tprAtFpr(scores: ArrayLike<number>, labels: ArrayLike<number>, fpr: number): number | null {
  const neg: number[] = [];
  const pos: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i]! > 0.5 ? pos : neg).push(scores[i]!);
  if (neg.length === 0 || pos.length === 0) return null;
  neg.sort((a, b) => b - a);
  const k = Math.floor(fpr * neg.length);
  // every negative may be flagged (fpr 1): so is every positive
  if (k >= neg.length) return 1;
  const thr = neg[k]!;
  let tp = 0;
  for (const s of pos) if (s > thr) tp++;
  return tp / pos.length;
}

/** precision, recall and F1 of confusion counts (0 where undefined). */
export function precisionRecall(c: Confusion): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Binary classification figures at a threshold, and ROC-AUC: what every model's evaluation reports. */
export interface BinaryMetrics {
  n: number;
  positives: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** null when the test set holds one class only */
  rocAuc: number | null;
}

export function binaryMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): BinaryMetrics {
  const c = confusionAt(scores, labels, threshold);
  const n = c.tp + c.fp + c.tn + c.fn;
  return {
    n,
    positives: c.tp + c.fn,
    accuracy: n === 0 ? 0 : (c.tp + c.tn) / n,
    ...precisionRecall(c),
    rocAuc: rocAuc(scores, labels),
  };
}

/** The logistic function, in the form that never overflows: exp of a negative number only. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

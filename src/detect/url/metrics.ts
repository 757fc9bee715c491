/** Binary classification metrics: accuracy, precision, recall, F1, ROC-AUC, detection at fixed false-positive rates. */

export interface Metrics {
  n: number;
  positives: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** null when the test set holds one class only */
  rocAuc: number | null;
  /** true-positive rate at ≤1% and ≤0.1% false positives; null without both classes */
  tprAt1pct: number | null;
  tprAt01pct: number | null;
  /** at threshold 0.5: [[TN, FP], [FN, TP]] */
  confusion: [[number, number], [number, number]];
}

/** Rank-based ROC-AUC (ties count half). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]! > 0) {
        pos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** The share of positives detected at the strictest threshold whose false-positive rate stays ≤ `fpr`. */
export function tprAtFpr(scores: ArrayLike<number>, labels: ArrayLike<number>, fpr: number): number | null {
  const neg: number[] = [];
  const pos: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i]! > 0 ? pos : neg).push(scores[i]!);
  if (neg.length === 0 || pos.length === 0) return null;
  neg.sort((a, b) => b - a);
  const allowed = Math.floor(fpr * neg.length);
  // flag scores strictly above the (allowed+1)-th highest negative: at most `allowed` negatives pass
  const thr = neg[allowed]!;
  let tp = 0;
  for (const s of pos) if (s > thr) tp++;
  return tp / pos.length;
}

export function computeMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): Metrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = scores[i]! >= threshold;
    const y = labels[i]! > 0;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
    else tn++;
  }
  const n = scores.length;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    n,
    positives: tp + fn,
    accuracy: n === 0 ? 0 : (tp + tn) / n,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    rocAuc: rocAuc(scores, labels),
    tprAt1pct: tprAtFpr(scores, labels, 0.01),
    tprAt01pct: tprAtFpr(scores, labels, 0.001),
    confusion: [
      [tn, fp],
      [fn, tp],
    ],
  };
}

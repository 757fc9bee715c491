/** Binary-classification metrics: accuracy, precision, recall at a threshold; ROC-AUC; detection at 1% false positives. */

export interface Metrics {
  n: number;
  positives: number;
  accuracy: number;
  precision: number;
  recall: number;
  fpr: number;
  auc: number | null;
  /** true-positive rate at the largest threshold whose false-positive rate is ≤ 1% */
  tprAt1: number | null;
}

/** ROC-AUC with ties counted half (Mann-Whitney); null when a class is missing. */
export function rocAuc(scores: readonly number[], labels: readonly number[], weights?: readonly number[]): number | null {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights?.[i] ?? 1;
    if (labels[i] === 1) pos += w;
    else neg += w;
  }
  if (pos === 0 || neg === 0) return null;
  let negBelow = 0;
  let sum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    let p = 0;
    let nn = 0;
    while (j < idx.length && scores[idx[j]!] === scores[idx[i]!]) {
      const w = weights?.[idx[j]!] ?? 1;
      if (labels[idx[j]!] === 1) p += w;
      else nn += w;
      j++;
    }
    sum += p * (negBelow + nn / 2);
    negBelow += nn;
    i = j;
  }
  return sum / (pos * neg);
}

export function tprAtFpr(scores: readonly number[], labels: readonly number[], maxFpr = 0.01): number | null {
  const neg = scores.filter((_, i) => labels[i] !== 1).sort((a, b) => b - a);
  const pos = scores.filter((_, i) => labels[i] === 1);
  if (neg.length === 0 || pos.length === 0) return null;
  // flag strictly above the (k+1)-th highest negative score, k = allowed false positives
  const k = Math.floor(maxFpr * neg.length);
  const thr = neg[k]!;
  return pos.filter((s) => s > thr).length / pos.length;
}

export function metrics(scores: readonly number[], labels: readonly number[], threshold: number): Metrics {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flag = scores[i]! >= threshold;
    if (labels[i] === 1) {
      if (flag) tp++;
      else fn++;
    } else if (flag) fp++;
    else tn++;
  }
  const n = scores.length;
  return {
    n,
    positives: tp + fn,
    accuracy: n === 0 ? 0 : (tp + tn) / n,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    fpr: fp + tn === 0 ? 0 : fp / (fp + tn),
    auc: rocAuc(scores, labels),
    tprAt1: tprAtFpr(scores, labels),
  };
}

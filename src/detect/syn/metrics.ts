/** The SYN report's metrics (the arithmetic is core's): accuracy, precision, recall at a threshold; ROC-AUC; detection at 1% false positives. */
import { confusionAt, rocAuc, tprAtFpr as coreTprAtFpr } from '../../core/index.js';

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

/** Detection at ≤ `maxFpr` false positives (default 1%). */
export const tprAtFpr = (scores: readonly number[], labels: readonly number[], maxFpr = 0.01): number | null => coreTprAtFpr(scores, labels, maxFpr);

export function metrics(scores: readonly number[], labels: readonly number[], threshold: number): Metrics {
  const { tp, fp, tn, fn } = confusionAt(scores, labels, threshold);
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

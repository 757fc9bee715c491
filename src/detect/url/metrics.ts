/** Binary classification metrics of the URL models (the arithmetic is core's): accuracy, precision, recall, F1, ROC-AUC, detection at fixed false-positive rates. */
import { confusionAt, precisionRecall, rocAuc, tprAtFpr } from '../../core/index.js';

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

export function computeMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): Metrics {
  const c = confusionAt(scores, labels, threshold);
  const { tp, fp, tn, fn } = c;
  const n = scores.length;
  return {
    n,
    positives: tp + fn,
    accuracy: n === 0 ? 0 : (tp + tn) / n,
    ...precisionRecall(c),
    rocAuc: rocAuc(scores, labels),
    tprAt1pct: tprAtFpr(scores, labels, 0.01),
    tprAt01pct: tprAtFpr(scores, labels, 0.001),
    confusion: [
      [tn, fp],
      [fn, tp],
    ],
  };
}

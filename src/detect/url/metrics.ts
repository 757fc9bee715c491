/** Binary classification metrics of the URL models (the arithmetic is core's): accuracy, precision, recall, F1, ROC-AUC, detection at fixed false-positive rates. */
import { binaryMetrics, confusionAt, tprAtFpr, type BinaryMetrics } from '../../core/index.js';

export interface Metrics extends BinaryMetrics {
  /** true-positive rate at ≤1% and ≤0.1% false positives; null without both classes */
  tprAt1pct: number | null;
  tprAt01pct: number | null;
  /** at threshold 0.5: [[TN, FP], [FN, TP]] */
  confusion: [[number, number], [number, number]];
}

export function computeMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): Metrics {
  const { tp, fp, tn, fn } = confusionAt(scores, labels, threshold);
  return {
    ...binaryMetrics(scores, labels, threshold),
    tprAt1pct: tprAtFpr(scores, labels, 0.01),
    tprAt01pct: tprAtFpr(scores, labels, 0.001),
    confusion: [
      [tn, fp],
      [fn, tp],
    ],
  };
}

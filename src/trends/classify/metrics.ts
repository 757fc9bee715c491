/** Binary classification metrics of the text and trend models (the arithmetic is core's): accuracy, precision, recall, F1 at a threshold, and ROC-AUC. */
import { confusionAt, precisionRecall, rocAuc } from '../../core/index.js';

export interface BinaryMetrics {
  n: number;
  positives: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** null when the test set holds only one class */
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

/** Binary classification metrics of the text and trend models: core's (accuracy, precision, recall, F1 at a threshold, and ROC-AUC). */
export { binaryMetrics, type BinaryMetrics } from '../../core/index.js';

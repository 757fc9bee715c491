/** Watches: saved queries the server counts on a schedule, raising findings (a folder of serve/; serve/index.ts re-exports what others need). */
export { WatchStore, WATCHES_FILE, readWatches, hasWatchesTable, watchNotFound } from './store.js';
export type { WatchStoreOptions } from './store.js';
export { WatchEvaluator, watchFinding } from './evaluator.js';
export type { WatchCount, WatchEvaluatorOptions, WatchLog, WatchStats } from './evaluator.js';
export { WATCH_DETECTOR, WATCH_DEFAULTS, WATCH_LIMITS, checkWatchInput, checkWatchQuery, checkThreshold, countedQuery, windowMs, everyMs, spanWords, watchAuditDetails } from './spec.js';
export type { Watch, WatchInput, WatchChange, WatchRun } from './spec.js';

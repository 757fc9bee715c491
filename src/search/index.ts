// In: a query string, a time range, a page size and cursor; the store's catalog and shard files.
// Out: counts, newest-first pages of stored hits with a cursor, streams for exports.
// Never: writes to a shard, knows HTTP, or passes user text to SQL except as a bound FTS5 expression.
export { Searcher, streamPages } from './root.js';
export { SkippedShards, skippedMessage } from './skipped.js';
export type { SkippedShard } from './skipped.js';
export type { Hit, SearchPage, SearchRange, CountResult, ShardCatalog, HistogramResult } from './root.js';
export { bucketLayout, NICE_INTERVALS } from './histogram.js';
export { compileQuery, parseTimeRange, parseTimeExpr, reversedRangeText, LineMatcher, LineTerms, MAX_QUERY_LENGTH } from './query/index.js';
export type { LeafPlan, Pred } from './query/index.js';

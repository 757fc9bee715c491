// In: LogEvents (prepared into StoredLines by the composition root's writer worker) and raw records.
// Out: time-partitioned SQLite FTS5 shards (a closed hour's merged into one), their catalog, read access for search, retention.
// Never: parses lines itself, knows HTTP, or builds SQL from user text (FTS expressions are bound).
export { FTS_TOKENIZER, TYPED_MARK, TYPED_FIELDS, encodeValue, typedTerm, domainAndParents, eventTerms, indexText, indexParts, textTokens } from './terms.js';
export type { TypedField } from './terms.js';
export { SCHEMA_VERSION, BLOCK_LINES } from './schema.js';
export { slotStartOf, shardRelPath, parseShardRelPath } from './slots.js';
export type { StoredLine, ShardStats } from './shard-writer.js';
export { ShardWriter } from './shard-writer.js';
export type { ShardEvent, ShardSetOptions } from './shard-set.js';
export { ShardSet } from './shard-set.js';
export { runWriterLane } from './writer-lane.js';
export type { LinePreparer } from './writer-lane.js';
export type { LaneData, RecordColumns } from './writer-protocol.js';
export { WriterPool } from './writer-pool.js';
export { hostOf, sourceOf, storedSource } from './stored-source.js';
export type { WriterPoolOptions } from './writer-pool.js';
export { Catalog } from './catalog.js';
export type { ShardInfo, CatalogSummary } from './catalog-types.js';
export { ShardReader } from './shard-reader.js';
export { accessError, openForReading, sqliteAccessProblem } from './sqlite-read.js';
export { shardFileName } from './shard-damage.js';
export { forgetLost } from './lost-shards.js';
export type { LostShard } from './lost-shards.js';
export type { StoredHit } from './shard-reader.js';
export { applyRetention } from './retention.js';
export type { RetentionPolicy, RetentionResult } from './retention.js';
export { Store, STORE_DEFAULTS } from './store.js';
export { Compactor, COMPACTION_DEFAULTS, compactionText } from './compaction.js';
export type { CompactionConfig, CompactionOutcome, CompactionStats, MergeReport } from './compaction.js';
export type { RetentionReport, StoreConfig, StoreHooks, StoreStats } from './store.js';
export type { TempSweepReport } from './temp-sweep.js';
export { RelationWriter } from './relation-writer.js';
export type { RelationEdge, RelationWriterOptions } from './relation-writer.js';
export { RelationIndex } from './relation-reader.js';
export type { EdgeSummary, EdgeQuery } from './relation-reader.js';
export { RELATIONS_DIR, listRelationFiles, relationRelPath, parseRelationRelPath, removeRelationFilesBefore } from './relation-files.js';
export type { RelationFile } from './relation-files.js';
export { DataDirLock, pidAlive } from './lock.js';

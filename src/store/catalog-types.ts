/** What the catalog says of each shard and of them all: the shapes `catalog.ts` and `catalog-db.ts` both name. */

export interface ShardInfo {
  rel: string;
  path: string;
  slotStart: number;
  slotEnd: number;
  lane: number;
  seq: number;
  rows: number;
  tmin: number | null;
  tmax: number | null;
  bytes: number;
  sealed: boolean;
  /** a merged shard's sources, and theirs (compaction.ts): a search cursor naming one of them is stale */
  replaces?: readonly string[];
}

export interface CatalogSummary {
  shards: number;
  sealedShards: number;
  /** closed hours merged into one shard each (`hour-<seq>.db`, compaction.ts) */
  mergedShards: number;
  rows: number;
  bytes: number;
  /** event-time bounds of everything stored, ms; null when empty */
  oldest: number | null;
  newest: number | null;
}

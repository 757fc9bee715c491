/** On-disk format of one shard. Bump SCHEMA_VERSION whenever a statement or the tokenizer changes. */
import { FTS_TOKENIZER } from './terms.js';

export const SCHEMA_VERSION = 1;

/**
 * Lines per compressed block of new shards; rowid = blockId * BLOCK_LINES + index in block. Reading a
 * hit decompresses its whole block (~0.6 µs per line in it): 128 keeps a newest-100 page of rare hits
 * near 10 ms on two cores, at 0.24 of raw size instead of 0.20 for 256 (shards record their own size).
 */
export const BLOCK_LINES = 128;

/**
 * The meta key of a shard's lateness bound, ms: no line is stored more than this before (in rowid order)
 * a line whose time it is below, i.e. each line's time ≥ the greatest time stored before it − late_ms.
 * Searches read a shard newest-first by time and use it to know when no unread row can be newer
 * (search/leaf.ts). 0 for a merged shard (rows in time order); absent in shards written before session
 * 39, whose readers measure it (ShardReader.lateness).
 */
export const LATE_MS_KEY = 'late_ms';

export const CREATE_SHARD_SQL = [
  'CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID',
  // contentless, rowids only: the index finds lines, the blocks hold their text (see docs/architecture.md)
  `CREATE VIRTUAL TABLE idx USING fts5(t, content='', detail=none, columnsize=0, tokenize="${FTS_TOKENIZER}")`,
  // ts: little-endian uint32 ms offsets from the slot start, one per line; meta and data: brotli
  'CREATE TABLE blocks(id INTEGER PRIMARY KEY, n INTEGER NOT NULL, tmin INTEGER NOT NULL, tmax INTEGER NOT NULL, ts BLOB NOT NULL, meta BLOB NOT NULL, data BLOB NOT NULL)',
];

/**
 * Pragmas of a shard (or relation file) being written: WAL so readers never block the writer. `fsync`:
 * each commit waits for the disk (synchronous=FULL: an acknowledged line survives a power loss or a
 * kernel crash); without it (synchronous=OFF) only nml being killed. See durability in docs/architecture.md.
 */
export function writerPragmas(fsync: boolean): string[] {
  return ['journal_mode = WAL', `synchronous = ${fsync ? 'FULL' : 'OFF'}`, 'temp_store = MEMORY'];
}

/**
 * FTS5 settings stored in the shard: a large in-memory hash so a transaction flushes as one segment,
 * and merging segments 16 at a time rather than 4 (less rewriting while ingesting; files ~10% smaller).
 */
export const FTS_WRITE_SETTINGS = [
  "INSERT INTO idx(idx, rank) VALUES('hashsize', 33554432)",
  "INSERT INTO idx(idx, rank) VALUES('automerge', 16)",
];

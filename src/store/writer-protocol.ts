/** Messages between the writer pool (main thread) and a writer lane (worker thread). Plain data only. */
import type { ErrorData } from '../core/index.js';
import type { ShardEvent } from './shard-set.js';
import type { ShardSetOptions } from './shard-set.js';

/** A batch of raw records in columns: cheaper to clone across threads than an array of objects. */
export interface RecordColumns {
  lines: string[];
  receivedAt: Float64Array;
  /** one source for the whole batch, or one per line; a stored source, which carries a line's host (stored-source.ts) */
  sources: string | string[];
}

export type ToLane =
  | { type: 'write'; id: number; batch: RecordColumns }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number };

export type FromLane =
  | { type: 'ack'; ids: number[]; shards: ShardEvent[]; relationFailed?: boolean }
  /** `shards`: what the round changed before it failed; `partial`: ids of batches some of whose lines were stored */
  | { type: 'nack'; ids: number[]; error: ErrorData; shards?: ShardEvent[]; partial?: number[] }
  | { type: 'shards'; shards: ShardEvent[] }
  /** lines of a round whose preparer threw (a parser bug), kept raw with their batch; `error`: the first one's */
  | { type: 'unprepared'; lines: number; error: string }
  | { type: 'closed'; id: number; shards: ShardEvent[] };

export interface LaneData {
  shardSet: ShardSetOptions;
  /** how often the lane checks for shards to seal */
  sealCheckMs: number;
  /** most lines committed in one transaction round */
  maxLinesPerCommit: number;
  /** handed to the line preparer (e.g. parse options); opaque to the store */
  prepareOptions: unknown;
  /** the relation index (`relations/` directory and period length); null: the preparer names no edges */
  relations: { dir: string; periodMs: number; fsync: boolean } | null;
}

/**
 * Decoded blocks, shared by every shard reader of a thread and bounded by the text they hold, least
 * recently used first out. Until session 36 each reader kept its own 64 blocks: the newest 100 hits of
 * a common term in a merged hour's shard lie in ~69 blocks of that one reader, so each repeat of the
 * page decoded them all again (30 ms warm against 7 ms over minute shards, whose readers each held a
 * few). Keys carry the reader's own number, never a path: a file deleted and made again at the same
 * path is another reader, whose blocks are not the old one's.
 */
import type { DecodedBlock } from './block-codec.js';

/** about 64 MiB of line text per thread (UTF-16: two bytes a character) */
export const BLOCK_CACHE_CHARS = 32 * 1024 * 1024;

interface Entry {
  block: DecodedBlock;
  chars: number;
}

const entries = new Map<string, Entry>();
let chars = 0;
let nextReader = 0;
const counts = { hits: 0, misses: 0 };

/** A number of its own for each reader: its blocks' keys. */
export function readerKey(): number {
  return nextReader++;
}

export function cachedBlock(reader: number, blockId: number): DecodedBlock | undefined {
  const key = `${reader}:${blockId}`;
  const e = entries.get(key);
  if (e === undefined) {
    counts.misses++;
    return undefined;
  }
  counts.hits++;
  // most recently used last
  entries.delete(key);
  entries.set(key, e);
  return e.block;
}

export function cacheBlock(reader: number, blockId: number, block: DecodedBlock): void {
  let size = 64; // the arrays themselves, roughly
  for (const r of block.raw) size += r.length;
  const key = `${reader}:${blockId}`;
  const old = entries.get(key);
  if (old !== undefined) chars -= old.chars;
  entries.delete(key);
  entries.set(key, { block, chars: size });
  chars += size;
  for (const [k, e] of entries) {
    if (chars <= BLOCK_CACHE_CHARS || k === key) break;
    entries.delete(k);
    chars -= e.chars;
  }
}

/** Hits and misses since the thread started, and what is held: for tests and benchmarks. */
export function blockCacheStats(): { hits: number; misses: number; blocks: number; chars: number } {
  return { ...counts, blocks: entries.size, chars };
}

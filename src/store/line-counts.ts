/**
 * A shard's line count (every line, no query), summed once and afterwards only over the blocks added
 * since, per thread. Summing `n` over every block reads a B-tree leaf per block (a row holds its
 * block's compressed lines): 8–30 ms for an open hour of 500k lines, and an open shard is opened
 * afresh for each search job, so a client polling the count during ingest (`npm run bench` asks every
 * 100 ms) re-read every open hour each time. A shard's blocks are only ever added, with growing ids
 * (shard-writer.ts; a merge writes a new file), so the sum up to a block holds while that block is
 * there as it was: the memo keeps the file's inode and the last block counted (its id, n, tmin and
 * tmax) and counts anew when either differs.
 */
import { statSync } from 'node:fs';

/** What the memo needs of a shard reader. */
export interface BlockCounts {
  readonly path: string;
  /** lines in the blocks after `afterId` (-1: all of them) and the highest block id (-1: none) */
  linesAfter(afterId: number): { lines: number; lastId: number };
  /** a block's n, tmin and tmax, or null when there is no such block */
  blockMark(id: number): string | null;
}

interface Known {
  ino: number;
  lastId: number;
  mark: string | null;
  lines: number;
}

/** shards remembered per thread; the oldest is forgotten past this */
const MAX_KNOWN = 4096;
const known = new Map<string, Known>();

export function countLines(shard: BlockCounts): number {
  const ino = statSync(shard.path, { throwIfNoEntry: false })?.ino;
  const was = known.get(shard.path);
  let base: Known = { ino: ino ?? -1, lastId: -1, mark: null, lines: 0 };
  if (was !== undefined && was.ino === ino && (was.lastId === -1 || shard.blockMark(was.lastId) === was.mark)) base = was;
  const added = shard.linesAfter(base.lastId);
  const lastId = Math.max(base.lastId, added.lastId);
  const now: Known = { ino: base.ino, lastId, mark: lastId === base.lastId ? base.mark : shard.blockMark(lastId), lines: base.lines + added.lines };
  known.delete(shard.path);
  if (ino !== undefined) known.set(shard.path, now);
  if (known.size > MAX_KNOWN) known.delete(known.keys().next().value!);
  return now.lines;
}

/** Forgets every shard (tests). */
export function forgetLineCounts(): void {
  known.clear();
}

/**
 * A search worker thread: keeps read-only connections to sealed shards (an LRU, idle ones closed), opens open shards
 * per job (so that sealing can switch their journal mode), and answers leaf jobs. Errors go back as data:
 * a damaged shard's as STORE_SHARD_UNREADABLE naming its file (ShardReader makes it), with its path in details.
 */
import { statSync } from 'node:fs';
import { ShardReader } from '../store/index.js';
import { toErrorData, type ErrorData } from '../core/index.js';
import { runCount, runFetch, runPage, type LeafCountJob, type LeafFetchJob, type LeafPageJob, type ShardPage } from './leaf.js';
import type { StoredHit } from '../store/index.js';
import { runHistogram, type LeafHistogramJob } from './histogram.js';

const MAX_OPEN = 256;
/** how often the cache drops readers of files that retention removed (their disk space is freed only when closed), and idle ones */
export const SWEEP_MS = 30_000;
/**
 * A reader unused this long is closed at the next sweep. Each keeps SQLite's page cache (up to 16 MB a
 * connection in this build) filled by what it read: an open Search page over the last hour grew the demo
 * server's RssAnon ~8 MB a minute until the 256 readers were full (docs/architecture.md, Memory).
 */
export const READER_IDLE_MS = 5 * 60_000;
/** a sealed shard's reader and the file it has open: retention may remove a file and a late line make a new one at the same path */
const cache = new Map<string, { reader: ShardReader; ino: number; usedAt: number }>();
let sweptAt = Date.now();

const inodeOf = (path: string): number | null => statSync(path, { throwIfNoEntry: false })?.ino ?? null;

function drop(path: string): void {
  const hit = cache.get(path);
  if (hit === undefined) return;
  cache.delete(path);
  hit.reader.close();
}

function sweep(): void {
  sweptAt = Date.now();
  for (const [path, hit] of [...cache]) if (sweptAt - hit.usedAt >= READER_IDLE_MS || inodeOf(path) !== hit.ino) drop(path);
}

/** the sealed shards this thread keeps a reader of, least recently used first (tests) */
export function openReaders(): string[] {
  return [...cache.keys()];
}

export type LeafJob = (LeafCountJob | LeafPageJob | LeafFetchJob | LeafHistogramJob) & { sealed: Record<string, boolean> };
export type LeafReply =
  | { ok: true; count?: number; pages?: ShardPage[]; fetched?: { rel: string; hits: StoredHit[] }[]; histogram?: number[] }
  | { ok: false; error: ErrorData };

export default function handle(job: LeafJob): LeafReply {
  const transient: ShardReader[] = [];
  if (Date.now() - sweptAt >= SWEEP_MS) sweep();
  const open = (path: string): ShardReader => {
    if (!job.sealed[path]) {
      const r = new ShardReader(path);
      transient.push(r);
      return r;
    }
    const ino = inodeOf(path);
    const hit = cache.get(path);
    if (hit !== undefined && hit.ino === ino) {
      cache.delete(path);
      hit.usedAt = Date.now();
      cache.set(path, hit);
      return hit.reader;
    }
    drop(path);
    const reader = new ShardReader(path);
    cache.set(path, { reader, ino: ino ?? -1, usedAt: Date.now() });
    if (cache.size > MAX_OPEN) drop(cache.keys().next().value!);
    return reader;
  };
  try {
    if (job.mode === 'count') return { ok: true, count: runCount(job, open) };
    if (job.mode === 'fetch') return { ok: true, fetched: runFetch(job, open) };
    if (job.mode === 'histogram') return { ok: true, histogram: runHistogram(job, open) };
    return { ok: true, pages: runPage(job, open) };
  } catch (e) {
    const error = toErrorData(e);
    // a damaged file's reader is not kept: the operator may put a good copy at the same path
    if (error.code === 'STORE_SHARD_UNREADABLE' && typeof error.details?.['path'] === 'string') drop(error.details['path']);
    return { ok: false, error };
  } finally {
    for (const r of transient) r.close();
  }
}

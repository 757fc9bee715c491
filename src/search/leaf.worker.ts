/**
 * A search worker thread: keeps read-only connections to sealed shards (an LRU), opens open shards
 * per job (so that sealing can switch their journal mode), and answers leaf jobs. Errors go back as data.
 */
import { ShardReader } from '../store/index.js';
import { toErrorData, type ErrorData } from '../core/index.js';
import { runCount, runFetch, runPage, type LeafCountJob, type LeafFetchJob, type LeafPageJob, type ShardPage } from './leaf.js';
import type { StoredHit } from '../store/index.js';
import { runHistogram, type LeafHistogramJob } from './histogram.js';

const MAX_OPEN = 256;
const cache = new Map<string, ShardReader>();

export type LeafJob = (LeafCountJob | LeafPageJob | LeafFetchJob | LeafHistogramJob) & { sealed: Record<string, boolean> };
export type LeafReply =
  | { ok: true; count?: number; pages?: ShardPage[]; fetched?: { rel: string; hits: StoredHit[] }[]; histogram?: number[] }
  | { ok: false; error: ErrorData };

export default function handle(job: LeafJob): LeafReply {
  const transient: ShardReader[] = [];
  const open = (path: string): ShardReader => {
    if (!job.sealed[path]) {
      const r = new ShardReader(path);
      transient.push(r);
      return r;
    }
    let r = cache.get(path);
    if (r !== undefined) {
      cache.delete(path);
      cache.set(path, r);
      return r;
    }
    r = new ShardReader(path);
    cache.set(path, r);
    if (cache.size > MAX_OPEN) {
      const [oldPath, oldest] = cache.entries().next().value!;
      cache.delete(oldPath);
      oldest.close();
    }
    return r;
  };
  try {
    if (job.mode === 'count') return { ok: true, count: runCount(job, open) };
    if (job.mode === 'fetch') return { ok: true, fetched: runFetch(job, open) };
    if (job.mode === 'histogram') return { ok: true, histogram: runHistogram(job, open) };
    return { ok: true, pages: runPage(job, open) };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  } finally {
    for (const r of transient) r.close();
  }
}

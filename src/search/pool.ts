/** The pool of search worker threads (piscina), one per core by default. */
import { Piscina } from 'piscina';
import { AppError, fromErrorData } from '../core/index.js';
import type { LeafJob, LeafReply } from './leaf.worker.js';
import type { LeafCountJob, LeafFetchJob, LeafPageJob, ShardPage } from './leaf.js';
import type { StoredHit } from '../store/index.js';
import type { LeafHistogramJob } from './histogram.js';

export class LeafPool {
  private readonly pool: Piscina;
  readonly threads: number;

  /** `onUnreadable`: told the path and message of a damaged shard a job hit (STORE_SHARD_UNREADABLE) */
  constructor(
    threads: number,
    private readonly onUnreadable: (path: string, message: string) => void = () => undefined,
  ) {
    this.threads = threads;
    this.pool = new Piscina({
      // from source (tsx: this file is .ts) a bootstrap registers tsx in the worker first; built, an
      // entry that piscina import()s (leaf.entry.ts says why)
      filename: new URL(import.meta.url.endsWith('.ts') ? './leaf.worker.dev.mjs' : './leaf.entry.js', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Infinity,
    });
  }

  async count(job: LeafCountJob, sealed: Record<string, boolean>): Promise<number> {
    return (await this.run({ ...job, sealed })).count ?? 0;
  }

  async pages(job: LeafPageJob, sealed: Record<string, boolean>): Promise<ShardPage[]> {
    return (await this.run({ ...job, sealed })).pages ?? [];
  }

  async fetch(job: LeafFetchJob, sealed: Record<string, boolean>): Promise<{ rel: string; hits: StoredHit[] }[]> {
    return (await this.run({ ...job, sealed })).fetched ?? [];
  }

  async histogram(job: LeafHistogramJob, sealed: Record<string, boolean>): Promise<number[]> {
    return (await this.run({ ...job, sealed })).histogram ?? new Array<number>(job.buckets).fill(0);
  }

  /**
   * One leaf job. Jobs are never aborted while they run: piscina's abort of a running task races with
   * the worker's reply and can throw an uncaught "unexpected message" in this process. Cancellation
   * happens between jobs instead (see Searcher: count and histogram run in chunks of shards).
   */
  private async run(job: LeafJob): Promise<Extract<LeafReply, { ok: true }>> {
    const reply = (await this.pool.run(job)) as LeafReply;
    if (!reply.ok) {
      const path = reply.error.details?.['path'];
      // the search fails with the file named; the store's problems list it too, for `nml stats` and the log
      if (reply.error.code === 'STORE_SHARD_UNREADABLE' && typeof path === 'string') this.onUnreadable(path, reply.error.message);
      throw fromErrorData(reply.error);
    }
    return reply;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** SEARCH_CANCELLED when the search's signal was aborted (its client went away). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AppError('SEARCH_CANCELLED', 'unavailable', 'search cancelled: the client that asked for it went away');
}


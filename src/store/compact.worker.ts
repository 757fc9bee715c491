/**
 * Merges hours of shards off the main thread (compaction.ts): `workerData.jobs`, one outcome message per
 * job in order (with the merge's duration, ms), then exits.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { mergeShards } from './shard-merge.js';
import type { MergeJob } from './compaction.js';
import { HOUR_MS } from './slots.js';

const work = workerData as { jobs: MergeJob[]; fsync: boolean };
for (const job of work.jobs) {
  const start = performance.now();
  try {
    const result = mergeShards(job.sources, job.path, { slotStart: job.hourStart, slotMs: HOUR_MS, lane: 0, replaces: job.replaces, fsync: work.fsync });
    parentPort!.postMessage({ rel: job.rel, result, ms: performance.now() - start });
  } catch (e) {
    parentPort!.postMessage({ rel: job.rel, error: (e as Error).message, ms: performance.now() - start });
  }
}

/**
 * Merges hours of shards in a child process (compaction.ts): takes `{ jobs, fsync }` as its one message,
 * answers one outcome message per job in order (with the merge's duration, ms), then exits. A process,
 * not a worker thread: an hour's merge allocates a few hundred MB (SQLite's caches, the FTS5 build,
 * VACUUM) that the C allocator keeps after a thread ends (~100 MB per hour of the demo's 200 lines/s
 * stayed in the server); a process's all goes back to the system when it exits (docs/architecture.md, Memory).
 */
import { performance } from 'node:perf_hooks';
import { mergeShards } from './shard-merge.js';
import type { MergeMessage, MergeWork } from './compaction.js';
import { HOUR_MS } from './slots.js';

const send = (m: MergeMessage): Promise<void> => new Promise((resolve) => process.send!(m, undefined, undefined, () => resolve()));

/**
 * The server that started this process. A server killed (SIGKILL, the OOM killer) leaves this process
 * running, and a new server may begin the same hour's merge: once the parent is gone (process.ppid is read
 * live; `process.connected` is not, during a merge's synchronous work) nothing more is renamed into place.
 */
const parent = process.ppid;
const orphaned = (): boolean => process.ppid !== parent;

process.once('message', (work: MergeWork) => {
  void (async () => {
    for (const job of work.jobs) {
      if (orphaned()) process.exit(1);
      const start = performance.now();
      try {
        const result = mergeShards(job.sources, job.path, { slotStart: job.hourStart, slotMs: HOUR_MS, lane: 0, replaces: job.replaces, fsync: work.fsync, abandoned: orphaned });
        await send({ rel: job.rel, result, ms: performance.now() - start });
      } catch (e) {
        await send({ rel: job.rel, error: (e as Error).message, ms: performance.now() - start });
      }
    }
    // every answer written: the channel closes and the process ends
    process.disconnect();
  })();
});

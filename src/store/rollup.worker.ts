/**
 * Builds day roll-ups of the relation index off the main thread (a day of 10M lines takes seconds):
 * `workerData.jobs` are day folders with their start (and a block, or the day's prefix); posts one outcome
 * per job, then exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildDayRollup, type RollupJob } from './relation-rollup.js';

const work = workerData as { jobs: RollupJob[]; now: number; settleMs: number };
for (const { dir, start, block } of work.jobs) {
  try {
    parentPort!.postMessage({ dir, result: buildDayRollup(dir, { dayStart: start, now: work.now, settleMs: work.settleMs, ...(block === undefined ? {} : { block }) }) });
  } catch (e) {
    parentPort!.postMessage({ dir, error: (e as Error).message });
  }
}

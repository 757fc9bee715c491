/**
 * Builds day roll-ups of the relation index off the main thread (a day of 10M lines takes seconds):
 * `workerData.days` are day folders with their start; posts one outcome per folder, then exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildDayRollup } from './relation-rollup.js';

const job = workerData as { days: { dir: string; start: number }[]; now: number; settleMs: number };
for (const { dir, start } of job.days) {
  try {
    parentPort!.postMessage({ dir, result: buildDayRollup(dir, { dayStart: start, now: job.now, settleMs: job.settleMs }) });
  } catch (e) {
    parentPort!.postMessage({ dir, error: (e as Error).message });
  }
}

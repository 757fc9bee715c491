/**
 * The body of `nml train syn|url`'s worker thread (see train-thread.ts): runs the training the main
 * thread sends in workerData and posts back its log lines, callbacks and result, or its error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../core/index.js';
import { runSynTrain, trainUrlModel } from '../../detect/index.js';
import type { TrainJob } from './train-thread.js';

const port = parentPort!;
const { job, saving } = workerData as { job: TrainJob; saving: Int32Array };
const call =
  (name: string) =>
  (...args: unknown[]): void =>
    port.postMessage({ call: name, args });
try {
  const result =
    job.kind === 'syn'
      ? runSynTrain({ ...job.options, log: call('log') })
      : trainUrlModel({
          ...job.options,
          onAdaptStart: call('onAdaptStart'),
          onEpoch: call('onEpoch'),
          onProgress: call('onProgress'),
          onWarning: call('onWarning'),
          // read by the main thread's signal handler at once, while this thread writes (a message would wait)
          onSave: () => Atomics.store(saving, 0, 1),
        });
  port.postMessage({ done: result });
} catch (e) {
  port.postMessage({ error: toErrorData(e), stack: e instanceof Error ? e.stack : undefined });
}

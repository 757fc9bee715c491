/**
 * The body of the worker thread of `nml train syn|url` and `nml eval url|syn|assist` (see
 * job-thread.ts): runs the job the main thread sends in workerData and posts back its log lines,
 * callbacks and result, or its error. Results are plain data; the main thread writes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../core/index.js';
import { evaluateUrlModels, runSynEval, runSynTrain, trainUrlModel } from '../../detect/index.js';
import { evaluateCorpus, loadCorpus, reportMarkdown, trainCombined, type CorpusResult, type RankModel } from '../../assist/index.js';
import type { Job } from './job-thread.js';

/** What `eval-assist` posts back: the per-corpus results, the report, and with --save-model the trained model. */
export interface AssistEvalResult {
  results: CorpusResult[];
  report: string;
  model?: RankModel;
}

const port = parentPort!;
const { job, saving } = workerData as { job: Job; saving: Int32Array };
const call =
  (name: string) =>
  (...args: unknown[]): void =>
    port.postMessage({ call: name, args });

function evalAssist(datasets: string, seed: number, saveModel: boolean): AssistEvalResult {
  const corpora = { casie: loadCorpus('casie', datasets), hackmageddon: loadCorpus('hackmageddon', datasets) };
  const results = Object.entries(corpora).map(([name, xs]) => evaluateCorpus(name, xs, seed));
  const report = reportMarkdown(results, new Date().toISOString().slice(0, 10));
  return saveModel ? { results, report, model: trainCombined(corpora, seed) } : { results, report };
}

function run(job: Job): unknown {
  switch (job.kind) {
    case 'train-syn':
      return runSynTrain({ ...job.options, log: call('log') });
    case 'train-url':
      return trainUrlModel({
        ...job.options,
        onAdaptStart: call('onAdaptStart'),
        onEpoch: call('onEpoch'),
        onProgress: call('onProgress'),
        onWarning: call('onWarning'),
        // read by the main thread's signal handler at once, while this thread writes (a message would wait)
        onSave: () => Atomics.store(saving, 0, 1),
      });
    case 'eval-syn':
      return runSynEval({ ...job.options, log: call('log') });
    case 'eval-url':
      return evaluateUrlModels({ ...job.options, log: call('log') }, job.command);
    case 'eval-assist':
      return evalAssist(job.datasets, job.seed, job.saveModel);
  }
}

try {
  port.postMessage({ done: run(job) });
} catch (e) {
  port.postMessage({ error: toErrorData(e), stack: e instanceof Error ? e.stack : undefined });
}

/**
 * `nml train syn|url` and `nml eval url|syn|assist` run their work in a worker thread, so that Ctrl-C
 * is heard while they do. Training and evaluation are synchronous: a signal handler on the thread that
 * runs them waits for their end, and without one the process died silently. The main thread only waits:
 * on SIGINT (or SIGTERM) it says on stderr that the work stopped and nothing was written, and exits
 * 128 + the signal's number (130, 143). The result is written after the worker ends (by the main
 * thread, whole), or by the worker (train url's saveModel): a signal while that write runs lets it
 * finish, then says so.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AppError, fromErrorData, type ErrorData } from '../../core/index.js';
import type { EvalOptions, SynEvalOptions, SynTrainOptions, TrainUrlOptions } from '../../detect/index.js';
import { onStopSignals, signalName, STOP_SIGNALS, type StopSignal } from '../signals.js';

type Callbacks = 'log' | 'onAdaptStart' | 'onEpoch' | 'onProgress' | 'onWarning' | 'onSave';
/** The work a worker runs: options without their callbacks (functions do not cross threads; the worker posts each call back). */
export type Job =
  | { kind: 'train-syn'; options: Omit<SynTrainOptions, Callbacks> }
  | { kind: 'train-url'; options: Omit<TrainUrlOptions, Callbacks> }
  | { kind: 'eval-syn'; options: Omit<SynEvalOptions, Callbacks> }
  | { kind: 'eval-url'; options: Omit<EvalOptions, Callbacks>; command: string }
  | { kind: 'eval-assist'; datasets: string; seed: number; saveModel: boolean };

const WORKER = new URL(import.meta.url.endsWith('.ts') ? './job-worker.dev.mjs' : './job-worker.js', import.meta.url);

/** What a signal says: `what` the command (`train syn`), `out` the result's path, `had` whether one was there. */
export interface StopWords {
  /** the signal came while the work ran: what stopped and what is (not) written */
  stopped(signal: StopSignal): string;
  /** the signal came while the result was written: that it was written whole */
  written(signal: StopSignal): string;
}

/** A training command's words: the model at `out` is unchanged, or none was written there. */
export function trainWords(what: string, out: string): StopWords {
  const had = existsSync(out);
  return {
    stopped: (s) => `nml: ${what}: interrupted (${signalName(s)}): training stopped, nothing written; ${had ? `the model at ${out} is unchanged` : `no model was written to ${out}`}\n`,
    written: (s) => `nml: ${what}: interrupted (${signalName(s)}) while the model was written; it was written whole to ${out}\n`,
  };
}

/** An evaluation command's words: no report (nor model) was written. */
export function evalWords(what: string): StopWords {
  return {
    stopped: (s) => `nml: ${what}: interrupted (${signalName(s)}): evaluation stopped, nothing written\n`,
    written: (s) => `nml: ${what}: interrupted (${signalName(s)}) while the report was written; what was written is whole\n`,
  };
}

type On = Partial<Record<Callbacks, (...args: never[]) => void>>;

/**
 * Runs `job` in a worker, calling `on[name](...args)` for each callback it makes, then `write(result)`
 * on this thread, and resolves with what `write` returns. Until then a stop signal ends the process as
 * above; one that comes while the result is written is said once the write has finished. The signal
 * handlers are gone when this settles, whether the job or the write failed or not.
 */
export async function runJob<T, R>(job: Job, what: string, words: StopWords, on: On, write: (result: T) => R | Promise<R>): Promise<R> {
  const run = runInWorker<T>(job, what, words, on);
  let written = false;
  try {
    const out = await write(await run.result);
    written = true;
    return out;
  } finally {
    run.release(written);
  }
}

/** The worker and its signal handlers; `release` removes them, and says a signal that came while the result was `written`. */
function runInWorker<T>(job: Job, what: string, words: StopWords, on: On): { result: Promise<T>; release(written: boolean): void } {
  const saving = new Int32Array(new SharedArrayBuffer(4));
  let state: 'running' | 'written' = 'running';
  let late: StopSignal | null = null;
  const dispose = onStopSignals((signal) => {
    if (state === 'running' && Atomics.load(saving, 0) === 0) {
      process.stderr.write(words.stopped(signal));
      process.exit(STOP_SIGNALS[signal]);
    }
    // the result is being written (by the worker) or was: let the write end, and say so
    late = signal;
  });
  const release = (written: boolean): void => {
    dispose();
    if (late !== null && written) {
      process.stderr.write(words.written(late));
      process.exit(STOP_SIGNALS[late]);
    }
  };
  const result = new Promise<T>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { job, saving } });
    let settled = false;
    worker.on('message', (m: { call?: Callbacks; args?: never[]; done?: T; error?: ErrorData; stack?: string }) => {
      if (m.call !== undefined) return on[m.call]?.(...m.args!);
      settled = true;
      state = 'written';
      if (m.error !== undefined) {
        release(false);
        const e = fromErrorData(m.error);
        if (m.error.code === 'INTERNAL' && m.stack !== undefined) e.stack = m.stack;
        reject(e);
      } else resolve(m.done as T);
    });
    worker.on('error', (e) => {
      release(false);
      reject(e);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      release(false);
      reject(new AppError('INTERNAL', 'internal', `internal error: the ${what} worker ended (exit ${code}) without a result`));
    });
  });
  return { result, release };
}

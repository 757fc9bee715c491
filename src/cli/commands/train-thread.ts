/**
 * `nml train syn|url` train in a worker thread, so that Ctrl-C is heard while they do. Training is
 * synchronous: a signal handler on the thread that trains waits for its end, and without one the
 * process died silently. The main thread only waits: on SIGINT (or SIGTERM) it says on stderr that
 * nothing was written and the model there is unchanged, and exits 128 + the signal's number (130,
 * 143). The result is written after the worker ends (train syn, by the main thread, whole), or by the
 * worker (train url's saveModel): a signal while that write runs lets it finish, then says so.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AppError, fromErrorData, type ErrorData } from '../../core/index.js';
import type { SynTrainOptions, TrainUrlOptions } from '../../detect/index.js';
import { STOP_SIGNALS, type StopSignal } from './ingest.js';

type Callbacks = 'log' | 'onAdaptStart' | 'onEpoch' | 'onProgress' | 'onWarning' | 'onSave';
export type TrainJob = { kind: 'syn'; options: Omit<SynTrainOptions, Callbacks> } | { kind: 'url'; options: Omit<TrainUrlOptions, Callbacks> };

const WORKER = new URL(import.meta.url.endsWith('.ts') ? './train-worker.dev.mjs' : './train-worker.js', import.meta.url);

/** What a signal says: `out` the model's path, `what` the command (`train syn`). */
function interruptedLine(what: string, out: string, had: boolean, signal: StopSignal): string {
  return `nml: ${what}: interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}): training stopped, nothing written; ${had ? `the model at ${out} is unchanged` : `no model was written to ${out}`}\n`;
}

/**
 * Runs `job` in a worker, calling `on[name](...args)` for each callback it makes, and resolves with its
 * result. Until `release()` (after the result is written), a stop signal ends the process as above;
 * one that comes while the result is written is said once the write has finished.
 */
export function trainInWorker<T>(job: TrainJob, what: string, out: string, on: Partial<Record<Callbacks, (...args: never[]) => void>>): { result: Promise<T>; release(written?: boolean): void } {
  const had = existsSync(out);
  const saving = new Int32Array(new SharedArrayBuffer(4));
  let state: 'training' | 'written' = 'training';
  let late: StopSignal | null = null;
  const onSignal = (signal: StopSignal): void => {
    if (state === 'training' && Atomics.load(saving, 0) === 0) {
      process.stderr.write(interruptedLine(what, out, had, signal));
      process.exit(STOP_SIGNALS[signal]);
    }
    // the model is being written (by the worker) or was: let the write end, and say so
    late = signal;
  };
  for (const s of Object.keys(STOP_SIGNALS)) process.on(s, onSignal);
  const release = (written = true): void => {
    for (const s of Object.keys(STOP_SIGNALS)) process.off(s, onSignal);
    if (late !== null && written) {
      process.stderr.write(`nml: ${what}: interrupted (${late === 'SIGINT' ? 'Ctrl-C' : late}) while the model was written; it was written whole to ${out}\n`);
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

/**
 * `normalize` for the server: a large input is read in a worker thread. Reading a report is synchronous
 * regular-expression work, about 1 s a MiB here (2 cores, loaded), and `POST /api/assist/normalize` takes
 * 8 MiB: on the main thread one such request (any signed-in user's, a viewer's too) held every other
 * request, the live feeds and the syslog listeners for 10 s (session h262's security review: `/health`
 * answered in 9 s), and a loop of them stalled the server for good. An input up to IN_THREAD_MAX_BYTES
 * is read where it is asked for (a worker's start costs more than it); at most NORMALIZE_THREADS
 * workers run at once and NORMALIZE_WAITING inputs wait their turn (more are refused, ASSIST_BUSY), so a
 * burst of large reports takes at most that many cores and a bounded memory.
 */
import { Worker } from 'node:worker_threads';
import { AppError, fromErrorData, type ErrorData } from '../core/index.js';
import { normalize } from './normalize.js';
import type { IncidentRecord, InputFormat } from './record.js';

/** Inputs of at most this many bytes are normalized on the calling thread (~60 ms at most here). */
export const IN_THREAD_MAX_BYTES = 64 * 1024;
/** Worker threads normalizing at once; further inputs wait for one to end. */
export const NORMALIZE_THREADS = 2;
/** Large inputs waiting for a worker at most (each held in memory meanwhile, up to 8 MiB); past this ASSIST_BUSY at once. */
export const NORMALIZE_WAITING = 16;

const WORKER = new URL(import.meta.url.endsWith('.ts') ? './normalize-worker.dev.mjs' : './normalize-worker.js', import.meta.url);

let running = 0;
const waiting: (() => void)[] = [];

/** Resolves once a worker may start; the function it gives ends that turn. */
async function turn(): Promise<() => void> {
  if (running >= NORMALIZE_THREADS && waiting.length >= NORMALIZE_WAITING) {
    throw new AppError('ASSIST_BUSY', 'unavailable', `assist: ${NORMALIZE_THREADS} large reports are being read and ${NORMALIZE_WAITING} wait already; nothing was read or saved from this one: retry in a few seconds`, { threads: NORMALIZE_THREADS, waiting: NORMALIZE_WAITING });
  }
  if (running >= NORMALIZE_THREADS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  // a turn handed on keeps `running` as it is: the waiter takes the place of the one that ended
  return () => {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  };
}

/** The worker's answer: the record, or the error it threw as data. */
export type NormalizeReply = { record: IncidentRecord } | { error: ErrorData };

function inWorker(data: Buffer | string, format: InputFormat | undefined): Promise<IncidentRecord> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { data, format } });
    let settled = false;
    worker.once('message', (m: NormalizeReply) => {
      settled = true;
      if ('record' in m) resolve(m.record);
      else reject(fromErrorData(m.error));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`assist: the normalize worker exited (code ${code}) without an answer`));
    });
  });
}

/** `normalize(data, format)`, in a worker thread when the input is over IN_THREAD_MAX_BYTES; the same record, the same errors. */
export async function normalizeOffThread(data: Buffer | string, format?: InputFormat): Promise<IncidentRecord> {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
  if (bytes <= IN_THREAD_MAX_BYTES) return normalize(data, format);
  const end = await turn();
  try {
    return await inWorker(data, format);
  } finally {
    end();
  }
}

/**
 * `shareRecords` in a worker thread, for `GET /api/share/export`: anonymizing is synchronous parsing and
 * extraction, ~65 µs a line, and on the server's main thread a running export held every other request
 * (GET /api/stats p95 5-9 → 100-258 ms, a search page's 11-25 → 142-407 ms, while 197k demo lines streamed;
 * in the worker 19-29 and 28-42 ms; docs/architecture.md, Share). The main thread keeps the search (its own
 * threads already) and hands the worker the lines a batch at a time; the worker sends back each batch's
 * records as NDJSON text. One batch is in the worker while the client reads the text of the one before, and
 * no further batch is asked of the search until then: back-pressure as in-thread. Closing the generator
 * (the client went away) closes the search and terminates the worker.
 */
import { Worker } from 'node:worker_threads';
import { fromErrorData, type ErrorData } from '../core/index.js';
import type { SharedFindingSource } from './labels.js';
import type { ShareManifest } from './manifest.js';
import type { ShareLine } from './records.js';

/** lines a batch carries to the worker at most (the search's page) */
export const SHARE_BATCH_LINES = 1000;

const WORKER = new URL(import.meta.url.endsWith('.ts') ? './records-worker.dev.mjs' : './records-worker.js', import.meta.url);

export interface ShareThreadInput {
  lines: AsyncIterable<ShareLine>;
  findings: readonly SharedFindingSource[];
  key: Buffer;
  internalDomains: readonly string[];
  range: { from: number | null; to: number | null };
  query: string;
  nmlVersion: string;
  skipped: () => ReadonlyArray<{ file: string; from: number; to: number }>;
  now: () => number;
  /** aborted when the client went away */
  signal?: AbortSignal;
}

/** What the worker is started with (a Buffer crosses as a Uint8Array). */
export interface ShareWorkerData {
  key: Uint8Array;
  findings: SharedFindingSource[];
  internalDomains: string[];
  range: { from: number | null; to: number | null };
  query: string;
  nmlVersion: string;
}

export type ToShareWorker = { lines: ShareLine[] } | { end: { skipped: Array<{ file: string; from: number; to: number }>; now: number } };
/** `more`: the text of the records made so far, and the worker wants the next batch; `manifest`: the last text, and done */
export type FromShareWorker = { text: string; more: true } | { text: string; manifest: ShareManifest } | { error: ErrorData };

/** The worker's messages in order; one that exits or fails without its answer is an error. */
function inbox(worker: Worker): () => Promise<FromShareWorker> {
  const queue: FromShareWorker[] = [];
  let waiter: { resolve: (m: FromShareWorker) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure ??= e;
    waiter?.reject(failure);
    waiter = null;
  };
  worker.on('message', (m: FromShareWorker) => {
    if (waiter === null) queue.push(m);
    else {
      waiter.resolve(m);
      waiter = null;
    }
  });
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`share: the export's worker thread exited (code ${code}) part-way`)));
  return () => {
    const m = queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (failure !== null) return Promise.reject(failure);
    return new Promise((resolve, reject) => (waiter = { resolve, reject }));
  };
}

/** The next batch of the search's lines (only the fields the export reads), or the end. */
async function nextBatch(it: AsyncIterator<ShareLine>, input: ShareThreadInput): Promise<ToShareWorker> {
  const lines: ShareLine[] = [];
  while (lines.length < SHARE_BATCH_LINES) {
    const r = await it.next();
    if (r.done === true) break;
    const h = r.value;
    lines.push(h.sourceHost === undefined ? { time: h.time, source: h.source, raw: h.raw } : { time: h.time, source: h.source, raw: h.raw, sourceHost: h.sourceHost });
  }
  return lines.length > 0 ? { lines } : { end: { skipped: [...input.skipped()], now: input.now() } };
}

/**
 * The export's records as NDJSON text (findings, then lines; not the manifest, which is the return value),
 * made in a worker thread: the same records as `shareRecords` with a LineAnonymizer of `key`.
 */
export async function* shareTextOffThread(input: ShareThreadInput): AsyncGenerator<string, ShareManifest, undefined> {
  const workerData: ShareWorkerData = {
    key: input.key,
    findings: input.findings.map((f) => ({ id: f.id, detector: f.detector, entity: f.entity, score: f.score, threshold: f.threshold, modelVersion: f.modelVersion, firstSeen: f.firstSeen, lastSeen: f.lastSeen, count: f.count, triage: { status: f.triage.status } })),
    internalDomains: [...input.internalDomains],
    range: input.range,
    query: input.query,
    nmlVersion: input.nmlVersion,
  };
  const worker = new Worker(WORKER, { workerData });
  const answer = inbox(worker);
  // the worker holds the process open only while this waits on it: suspended at a yield (a client that reads
  // no more), the reply owns it, and its close or the signal ends it
  const next = async (): Promise<FromShareWorker> => {
    worker.ref();
    try {
      return await answer();
    } finally {
      worker.unref();
    }
  };
  // the client gone: the worker ends at once, even while nobody resumes this generator to close it
  const stop = () => void worker.terminate();
  input.signal?.addEventListener('abort', stop, { once: true });
  const it = input.lines[Symbol.asyncIterator]();
  try {
    for (let reply = await next(); ; reply = await next()) {
      if ('error' in reply) throw fromErrorData(reply.error);
      if ('manifest' in reply) {
        if (reply.text !== '') yield reply.text;
        return reply.manifest;
      }
      // the next batch goes out before this text is handed on: the worker anonymizes while the client reads
      let batch: ToShareWorker;
      try {
        batch = await nextBatch(it, input);
      } catch (e) {
        if (reply.text !== '') yield reply.text; // what was made goes out before the error line
        throw e;
      }
      worker.postMessage(batch);
      if (reply.text !== '') yield reply.text;
    }
  } finally {
    input.signal?.removeEventListener('abort', stop);
    await it.return?.();
    await worker.terminate();
  }
}

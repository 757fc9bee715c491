/**
 * The body of records-thread.ts's worker: `shareRecords` over the batches of lines the main thread sends,
 * each batch's records posted back as NDJSON text when the worker asks for the next; the manifest last.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../core/index.js';
import { LineAnonymizer } from './anonymize.js';
import { keyFingerprint } from './key.js';
import { shareRecords, type ShareLine } from './records.js';
import type { FromShareWorker, ShareWorkerData, ToShareWorker } from './records-thread.js';

const port = parentPort!;
const d = workerData as ShareWorkerData;
const post = (m: FromShareWorker) => port.postMessage(m);

let text = '';
let feed: ((m: ToShareWorker) => void) | null = null;
let skipped: Array<{ file: string; from: number; to: number }> = [];
let now = 0;
port.on('message', (m: ToShareWorker) => {
  const f = feed;
  feed = null;
  f?.(m);
});

/** The lines, a batch at a time: asking for the next hands on the text made from the one before. */
async function* lines(): AsyncGenerator<ShareLine> {
  for (;;) {
    post({ text, more: true });
    text = '';
    const m = await new Promise<ToShareWorker>((resolve) => (feed = resolve));
    if ('end' in m) {
      skipped = m.end.skipped;
      now = m.end.now;
      return;
    }
    yield* m.lines;
  }
}

try {
  const key = Buffer.from(d.key.buffer, d.key.byteOffset, d.key.byteLength);
  const records = shareRecords({
    lines: lines(),
    findings: d.findings,
    anonymizer: new LineAnonymizer(key, d.internalDomains),
    keyFingerprint: keyFingerprint(key),
    range: d.range,
    query: d.query,
    nmlVersion: d.nmlVersion,
    skipped: () => skipped,
    now: () => now,
  });
  let r = await records.next();
  for (; r.done !== true; r = await records.next()) text += `${JSON.stringify(r.value)}\n`;
  post({ text, manifest: r.value });
} catch (e) {
  post({ error: toErrorData(e) });
}

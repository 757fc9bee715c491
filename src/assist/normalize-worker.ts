/** The body of normalize-thread.ts's worker: normalizes the input in workerData and posts the record, or the error as data. */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../core/index.js';
import { normalize } from './normalize.js';
import type { NormalizeReply } from './normalize-thread.js';
import type { InputFormat } from './record.js';

const { data, format } = workerData as { data: Uint8Array | string; format: InputFormat | undefined };
// a Buffer crosses threads as a plain Uint8Array
const input = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
let reply: NormalizeReply;
try {
  reply = { record: await normalize(input, format) };
} catch (e) {
  reply = { error: toErrorData(e) };
}
parentPort!.postMessage(reply);

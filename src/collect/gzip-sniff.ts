import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { READ_CHUNK_BYTES } from './file-read.js';

/** Gzip is recognised by its first two bytes (RFC 1952 ID1 ID2), never by a name. */
export function startsGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR for a cut stream, ...) mean corrupt input, not an unavailable device. */
export function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * A stream's chunks to its end, gunzipped as they come when its first two bytes are gzip's magic, so
 * `cat x.gz | nml ingest` reads lines, not compressed bytes. Members one after another are read as
 * gunzip reads them. A corrupt or cut-short archive surfaces as zlib's error (see isZlibError) through
 * the iterator; nothing of the bad part is yielded. The first chunk may hold a single byte (a slow
 * writer): chunks are gathered until two bytes decide.
 */
export async function* sniffGunzip(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const n = await it.next();
    if (n.done === true) break;
    const chunk = asBuffer(n.value);
    head.push(chunk);
    headBytes += chunk.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      for (let n = await it.next(); n.done !== true; n = await it.next()) yield asBuffer(n.value);
    } finally {
      // a consumer that stops early ends the source too (a stream's iterator destroys it)
      await it.return?.();
    }
  }
  if (!startsGzip(Buffer.concat(head, headBytes))) {
    yield* all();
    return;
  }
  const gz = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  // errors reach the consumer through gz's iterator; the callback only keeps them from being unhandled
  pipeline(Readable.from(all(), { objectMode: false }), gz, () => undefined);
  yield* gz as AsyncIterable<Buffer>;
}

function asBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { READ_CHUNK_BYTES } from './file-read.js';

/** Decompressed chunks; a read error or corrupt data surfaces through the iterator. */
export function gunzip(fh: FileHandle | Readable): Readable {
  const gz = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  const source = 'fd' in fh ? createReadStream('', { fd: fh, autoClose: false, highWaterMark: READ_CHUNK_BYTES }) : fh;
  pipeline(source, gz, () => undefined);
  return gz;
}

/** A pipe's chunks to its end, decompressed when its first bytes are gzip's magic. */
export async function* pipeChunks(from: FileHandle | Readable): AsyncGenerator<Buffer> {
  const stream = from instanceof Readable ? from : createReadStream('', { fd: from, autoClose: false, highWaterMark: READ_CHUNK_BYTES });
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) return;
  async function* all(): AsyncGenerator<Buffer> {
    yield first.value;
    for (let n = await it.next(); n.done !== true; n = await it.next()) yield n.value;
  }
  const head = first.value;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) yield* gunzip(Readable.from(all())) as AsyncIterable<Buffer>;
  else yield* all();
}

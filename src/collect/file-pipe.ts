import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { READ_CHUNK_BYTES } from './file-read.js';
import { sniffGunzip } from './gzip-sniff.js';

const readStream = (fh: FileHandle): Readable => createReadStream('', { fd: fh, autoClose: false, highWaterMark: READ_CHUNK_BYTES });

/** Decompressed chunks of a gzip file; a read error or corrupt data surfaces through the iterator. */
export function gunzip(fh: FileHandle): Readable {
  const gz = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  pipeline(readStream(fh), gz, () => undefined);
  return gz;
}

/** A pipe's chunks to its end, decompressed when its first bytes are gzip's magic (as stdin's: gzip-sniff.ts). */
export function pipeChunks(from: FileHandle | Readable): AsyncGenerator<Buffer> {
  return sniffGunzip(from instanceof Readable ? from : readStream(from));
}

import type { FileHandle } from 'node:fs/promises';
import type { Batcher } from './batcher.js';
import type { RecordEmitter } from './line-handler.js';
import type { LineSplitter } from './line-splitter.js';
import type { SourceStats } from './source.js';

/** Large reads: fewer syscalls and longer regions for the splitter's one-decode fast path. */
export const READ_CHUNK_BYTES = 128 * 1024;

/** Everything a reader needs to turn one byte stream into records. */
export interface LineStream {
  splitter: LineSplitter;
  emitter: RecordEmitter;
  batcher: Batcher;
  stats: SourceStats;
  /** true once the owner is stopping: readers return at the next chunk */
  stopped(): boolean;
  /** told after each chunk read by position and split (a followed file's position is kept this way) */
  afterChunk?(fh: FileHandle, at: number, chunk: Buffer): Promise<void>;
}

/** Feeds one chunk, then waits while the sink cannot take more (files and pipes can wait). */
export async function feed(s: LineStream, chunk: Buffer): Promise<void> {
  s.stats.bytes += chunk.length;
  s.emitter.receivedAt = Date.now();
  s.splitter.push(chunk);
  if (s.batcher.saturated) await s.batcher.room();
}

/** Reads a stream (stdin, a gunzip stream) to its end; the last line without LF is kept. */
export async function pumpStream(chunks: AsyncIterable<Buffer | string>, s: LineStream): Promise<void> {
  try {
    for await (const chunk of chunks) {
      await feed(s, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (s.stopped()) break;
    }
  } catch (e) {
    // Stopping may destroy the stream under the iterator; that is an end, not a failure.
    if (!s.stopped()) throw e;
  }
  s.splitter.end();
}

/** Reads `fh` from `pos` until a read returns nothing; returns the new position. */
export async function readToEof(fh: FileHandle, pos: number, buf: Buffer, s: LineStream): Promise<number> {
  let at = pos;
  while (!s.stopped()) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, at);
    if (bytesRead === 0) break;
    at += bytesRead;
    await feed(s, buf.subarray(0, bytesRead));
    if (s.afterChunk !== undefined) await s.afterChunk(fh, at, buf.subarray(0, bytesRead));
  }
  return at;
}

/** A file's first bytes (up to `n`): gzip and the formats nml refuses are recognised by them, never by the file name. */
export async function headOf(fh: FileHandle, n: number): Promise<Buffer> {
  const head = Buffer.alloc(n);
  const { bytesRead } = await fh.read(head, 0, n, 0);
  return head.subarray(0, bytesRead);
}

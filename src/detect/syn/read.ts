/** Reading SYN packets from pcap/pcapng files and buffers: streaming, in chunks, with skip counts. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError, unreadableWhy } from '../../core/index.js';
import { CaptureParser } from './capture-parser.js';
import { decodeSyn } from './decode.js';
import { newStats, type ReadStats, type SynPacket } from './types.js';

const CHUNK = 1 << 20;

function parserFor(onSyn: (s: SynPacket) => void, stats: ReadStats, name: string): CaptureParser {
  return new CaptureParser(
    (lt, b, off, end, t) => {
      const s = decodeSyn(lt, b, off, end, t, stats);
      if (s !== null) {
        stats.syns++;
        onSyn(s);
      }
    },
    stats,
    name,
  );
}

/** Every SYN of a capture held in memory, in file order. */
export function synsFromBuffer(buf: Buffer, name = 'capture'): { syns: SynPacket[]; stats: ReadStats } {
  const stats = newStats();
  const syns: SynPacket[] = [];
  const p = parserFor((s) => syns.push(s), stats, name);
  p.push(buf);
  p.end();
  return { syns, stats };
}

/**
 * A capture that cannot be opened: one that is not there is bad input (exit 2, as docs/errors.md says of
 * bad input and as the assist and trends commands treat a missing input file); it was not_found, exit 1.
 */
function openError(path: string, e: unknown): AppError {
  const code = (e as NodeJS.ErrnoException).code;
  const missing = code === 'ENOENT' || code === 'ENOTDIR';
  return new AppError('PCAP_OPEN_FAILED', missing ? 'bad_request' : 'unavailable', `cannot open capture ${path}: ${unreadableWhy(e, 'a capture is one file')}; check the path`, undefined, e);
}

/** A directory opens for reading on Linux and fails only at the first read: say so before that. */
function directoryError(path: string): AppError {
  return new AppError('PCAP_OPEN_FAILED', 'bad_request', `${path} is a directory, not a capture; give the capture files in it (e.g. ${path.replace(/\/+$/, '')}/*.pcap)`);
}

/** Streams a file through `onSyn` in 1 MiB reads (memory stays flat whatever the file size). */
export function forEachSynInFile(path: string, onSyn: (s: SynPacket) => void): ReadStats {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw openError(path, e);
  }
  const stats = newStats();
  try {
    if (fstatSync(fd).isDirectory()) throw directoryError(path);
    const p = parserFor(onSyn, stats, path);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      // the parser keeps what it needs of a chunk (a partial record) as a copy
      p.push(buf.subarray(0, n));
    }
    p.end();
    return stats;
  } finally {
    closeSync(fd);
  }
}

export function readSynFile(path: string): { syns: SynPacket[]; stats: ReadStats } {
  const syns: SynPacket[] = [];
  const stats = forEachSynInFile(path, (s) => syns.push(s));
  return { syns, stats };
}

/** The file name that stands for standard input (`tcpdump -w - | nml score syn -`). */
export const STDIN_CAPTURE = '-';

/** A capture piped into standard input, chunk by chunk; a terminal there is refused (nothing would ever come). */
async function* stdinChunks(): AsyncGenerator<Buffer> {
  if (process.stdin.isTTY === true) {
    throw new AppError('PCAP_OPEN_FAILED', 'bad_request', 'standard input (-) is a terminal, not a capture; pipe one in (tcpdump -w - ... | nml score syn -) or give a file');
  }
  for await (const c of process.stdin) yield c as Buffer;
}

/** A file in 1 MiB reads; the buffer is reused, so each chunk is used before the next is read. */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw openError(path, e);
  }
  try {
    if ((await fh.stat()).isDirectory()) throw directoryError(path);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** Async batches of SYNs from a file, or from standard input for `-` (for replay without holding the whole capture). */
export async function* synBatches(path: string, stats: ReadStats = newStats()): AsyncGenerator<SynPacket[]> {
  let batch: SynPacket[] = [];
  const p = parserFor((s) => batch.push(s), stats, path === STDIN_CAPTURE ? 'standard input' : path);
  for await (const chunk of path === STDIN_CAPTURE ? stdinChunks() : fileChunks(path)) {
    // the parser keeps what it needs of a chunk (a partial record) as a copy
    p.push(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  p.end();
  if (batch.length > 0) yield batch;
}

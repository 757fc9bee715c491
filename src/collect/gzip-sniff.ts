import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError, startsGzip } from '../core/index.js';
import { READ_CHUNK_BYTES } from './file-read.js';


/**
 * Formats nml does not read as lines, by their magic bytes: compressed ones with the command that
 * decompresses each, and binary files that hold no text lines (`notText`: what to do instead). A glob
 * like /var/log/* catches the journal, and `nml ingest x.pcap` stored 1,062 lines of binary junk (CLI review).
 */
const OTHER_ARCHIVES: readonly { name: string; magic: readonly number[][]; undo: string; notText?: true }[] = [
  { name: 'xz', magic: [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]], undo: 'xz -dc' },
  // `BZh1`–`BZh9`, then a block's or the end's magic (so a text line that starts `BZh9` is still text)
  { name: 'bzip2', magic: [[0x42, 0x5a, 0x68, -1, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59], [0x42, 0x5a, 0x68, -1, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90]], undo: 'bzip2 -dc' },
  { name: 'zstd', magic: [[0x28, 0xb5, 0x2f, 0xfd]], undo: 'zstd -dc' },
  { name: 'lz4', magic: [[0x04, 0x22, 0x4d, 0x18]], undo: 'lz4 -dc' },
  { name: 'zip', magic: [[0x50, 0x4b, 0x03, 0x04]], undo: 'unzip -p' },
  { name: '7z', magic: [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]], undo: '7z x -so' },
  // pcap (either byte order, micro- or nanosecond) and pcapng: captures, for `nml score syn`
  { name: 'pcap capture', magic: [[0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d], [0x0a, 0x0d, 0x0d, 0x0a]], undo: 'nml score syn FILE reads captures', notText: true },
  { name: 'systemd journal', magic: [[0x4c, 0x50, 0x4b, 0x53, 0x48, 0x48, 0x52, 0x48]], undo: "journalctl --file FILE -o short-iso | nml ingest reads it as text", notText: true },
  { name: 'SQLite database', magic: [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00]], undo: 'export its rows as text first', notText: true },
  { name: 'ELF executable', magic: [[0x7f, 0x45, 0x4c, 0x46]], undo: 'it is a program, not a log', notText: true },
];
/** Bytes of a stream's head that tell every format above apart. */
export const SNIFF_BYTES = 16;

/** Whether the bytes of `head` agree with magic `m` as far as both go (-1 in `m`: a digit 1–9). */
function agreesWith(head: Buffer, m: readonly number[]): boolean {
  const n = Math.min(head.length, m.length);
  for (let i = 0; i < n; i++) if (m[i] === -1 ? head[i]! < 0x31 || head[i]! > 0x39 : head[i] !== m[i]) return false;
  return true;
}

/**
 * A compressed format other than gzip that `head` starts with: its name and the command that
 * decompresses it; null for anything else (text, gzip, or too few bytes to tell). Stored as they
 * are, such files were lines of binary junk ("ingested 2 lines" of an .xz, found by review).
 */
export function otherArchive(head: Buffer): { name: string; undo: string; notText?: true } | null {
  for (const a of OTHER_ARCHIVES) {
    if (a.magic.some((m) => head.length >= m.length && agreesWith(head, m))) return { name: a.name, undo: a.undo, ...(a.notText === true ? { notText: true as const } : {}) };
  }
  return null;
}

/**
 * Whether more bytes are needed to tell: `head` is shorter than a magic it so far agrees with (gzip's
 * included). A stream of text is decided at its first byte, so a slow writer's short line is not held.
 */
export function undecided(head: Buffer): boolean {
  const shortOf = (m: readonly number[]): boolean => head.length < m.length && agreesWith(head, m);
  return head.length === 0 || shortOf([0x1f, 0x8b]) || OTHER_ARCHIVES.some((a) => a.magic.some(shortOf));
}

/** The error for a file or stream in such a format (what it is, and the command that makes it readable); no `collect:` prefix, as for fileOpenFailed. */
export function archiveRefused(what: string, archive: { name: string; undo: string; notText?: true }, path?: string): AppError {
  if (archive.notText === true) {
    const hint = archive.undo.replace('FILE', path ?? 'FILE');
    return new AppError('COLLECT_NOT_TEXT', 'bad_request', `${what} is a ${archive.name}, not text lines (told by its first bytes); nml ingest reads text logs (plain or gzip): ${hint}; nothing of it was stored`, { ...(path === undefined ? {} : { path }), format: archive.name });
  }
  const example = path === undefined ? `e.g. '${archive.undo} FILE | nml ingest'` : `e.g. '${archive.undo} ${path} | nml ingest'`;
  return new AppError(
    'COLLECT_COMPRESSED_UNSUPPORTED',
    'bad_request',
    `${what} is ${archive.name}-compressed; nml reads plain text and gzip: decompress it first (${example}); nothing of it was stored`,
    { ...(path === undefined ? {} : { path }), format: archive.name },
  );
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
 * writer): chunks are gathered only while the bytes so far could still begin an archive. Another compressed
 * format (xz, bzip2, zstd, ...) is refused with COLLECT_COMPRESSED_UNSUPPORTED before anything is yielded.
 */
export async function* sniffGunzip(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let first = Buffer.alloc(0);
  while (undecided(first)) {
    const n = await it.next();
    if (n.done === true) break;
    const chunk = asBuffer(n.value);
    head.push(chunk);
    headBytes += chunk.length;
    first = Buffer.concat(head, Math.min(headBytes, SNIFF_BYTES));
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
  const other = otherArchive(first);
  if (other !== null) {
    await it.return?.();
    throw archiveRefused('the input', other);
  }
  if (!startsGzip(first)) {
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

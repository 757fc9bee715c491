import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../core/index.js';

/**
 * A file of no known format can still be binary (wtmp, btmp, lastlog, random bytes): stored as it was,
 * 100 kB of /dev/urandom became "ingested 354 lines" of junk (audit). Its start is judged by its bytes:
 * the window after any leading run of NULs (a log after a copytruncate starts with one, and is text).
 */
export const TEXT_WINDOW_BYTES = 8192;
/** Shares in a shorter window are counted against this many bytes. */
const MIN_JUDGED_BYTES = 256;
/** A stream is held at most this long while it sends only NULs; past it, it is let through unjudged. */
const STREAM_NUL_BYTES = 1 << 20;
/** A file's leading NULs are skipped by reading for at most this far; past it, it is let through unjudged. */
const FILE_NUL_BYTES = 64 << 20;

/** Why bytes are not text: where the first offending byte is, the bytes there, and the shares in the window. */
export interface NotText {
  /** the first NUL or control byte's offset from the start of the (decompressed) input */
  offset: number;
  /** up to 16 bytes from there, as a hex dump shows them */
  bytes: string;
  /** where the judged window starts (after the leading NULs) and how long it is */
  from: number;
  length: number;
  nulShare: number;
  controlShare: number;
  /** text in UTF-16 (told by a byte order mark or by NULs at every other byte) */
  utf16?: 'LE' | 'BE';
}

/** NUL and control bytes other than tab, LF, VT, FF, CR and ESC (ANSI colours), and DEL. Bytes ≥ 0x80 (UTF-8, Latin-1) are text. */
function isControl(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f;
}

/**
 * Judges `window`, the bytes from offset `from` of an input whose bytes before `from` are all NUL:
 * not text when over 1% of it is NUL or over 5% control bytes (NUL included; of at least 256 bytes). Null: text.
 */
export function notTextIn(window: Buffer, from: number): NotText | null {
  let nul = 0;
  let control = 0;
  let first = -1;
  const nulAt = [0, 0];
  for (let i = 0; i < window.length; i++) {
    const b = window[i]!;
    if (!isControl(b)) continue;
    control++;
    if (first < 0) first = i;
    if (b === 0) {
      nul++;
      nulAt[(from + i) % 2]!++;
    }
  }
  const n = window.length;
  // a short window (a small file, a slow writer's first line) is measured as if 256 bytes long: one stray byte in 17 is no verdict
  const base = Math.max(n, MIN_JUDGED_BYTES);
  if (first < 0 || (nul <= base * 0.01 && control <= base * 0.05)) return null;
  const bytes = [...window.subarray(first, first + 16)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
  const utf16 = utf16Of(window, from, nulAt);
  return { offset: from + first, bytes, from, length: n, nulShare: nul / n, controlShare: control / n, ...(utf16 === null ? {} : { utf16 }) };
}

/** UTF-16 text: a byte order mark at the start, or NULs at most bytes of one parity and almost none of the other. */
function utf16Of(window: Buffer, from: number, nulAt: number[]): 'LE' | 'BE' | null {
  if (from === 0 && window[0] === 0xff && window[1] === 0xfe) return 'LE';
  if (from === 0 && window[0] === 0xfe && window[1] === 0xff) return 'BE';
  const half = window.length / 2;
  // a NUL at an odd offset is the high byte of a little-endian ASCII character
  if (nulAt[1]! > half * 0.3 && nulAt[0]! < half * 0.02) return 'LE';
  if (nulAt[0]! > half * 0.3 && nulAt[1]! < half * 0.02) return 'BE';
  return null;
}

/** The offset of the first byte that is not NUL in `b`, or -1. */
function firstNonNul(b: Buffer): number {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return i;
  return -1;
}

/** A regular file's start judged (its bytes as they are: call it for plain files, not gzip ones). */
export async function notTextFile(fh: FileHandle): Promise<NotText | null> {
  const buf = Buffer.alloc(64 * 1024);
  for (let at = 0; at < FILE_NUL_BYTES; ) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, at);
    if (bytesRead === 0) return null;
    const i = firstNonNul(buf.subarray(0, bytesRead));
    if (i >= 0) {
      const window = Buffer.alloc(TEXT_WINDOW_BYTES);
      const got = await fh.read(window, 0, TEXT_WINDOW_BYTES, at + i);
      return notTextIn(window.subarray(0, got.bytesRead), at + i);
    }
    at += bytesRead;
  }
  return null;
}

/**
 * The first chunks of a stream, read until its start can be judged, and the verdict. Only leading
 * NULs are waited past: the window is what the chunks so far hold after them (up to 8 KiB), so a slow
 * writer's first short line is not held back.
 */
export async function judgeStream(it: AsyncIterator<Buffer>): Promise<{ head: Buffer[]; verdict: NotText | null }> {
  const head: Buffer[] = [];
  let held = 0;
  for (;;) {
    const n = await it.next();
    if (n.done === true) break;
    head.push(n.value);
    held += n.value.length;
    const start = firstNonNul(n.value);
    if (start >= 0) {
      const from = held - n.value.length + start;
      return { head, verdict: notTextIn(Buffer.concat(head).subarray(from, from + TEXT_WINDOW_BYTES), from) };
    }
    if (held >= STREAM_NUL_BYTES) break;
  }
  return { head, verdict: null };
}

/** A stream's chunks, passed on once its start is judged text (judgeStream); not text, `refuse`'s error is thrown before any chunk is passed. */
export async function* checkedText(chunks: AsyncIterable<Buffer>, refuse: (v: NotText) => AppError): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  try {
    const { head, verdict } = await judgeStream(it);
    if (verdict !== null) throw refuse(verdict);
    yield* head;
    for (let n = await it.next(); n.done !== true; n = await it.next()) yield n.value;
  } finally {
    // a consumer that stops early, or a refusal, ends the source too
    await it.return?.();
  }
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** The error for an input whose start is not text: what, where, and what to do (no `collect:` prefix, as for fileOpenFailed). */
export function notTextRefused(what: string, v: NotText, path?: string): AppError {
  const file = path ?? 'FILE';
  const where = v.from === 0 ? `its first ${v.length} bytes` : `the ${v.length} bytes after its ${v.from} leading NUL bytes`;
  const found = `byte ${v.offset} is 0x${v.bytes.slice(0, 2)} (from there: ${v.bytes}); ${percent(v.nulShare)} of ${where} are NUL and ${percent(v.controlShare)} control bytes`;
  const todo =
    v.utf16 !== undefined
      ? `it looks like UTF-16${v.utf16} text: convert it to UTF-8 (e.g. 'iconv -f UTF-16${v.utf16} -t UTF-8 ${file} | nml ingest')`
      : `convert it to text first (a login record file such as wtmp or btmp: 'last -f ${file}'), or, if it is a log, pass --binary-ok to store its lines as they are`;
  return new AppError('COLLECT_NOT_TEXT', 'bad_request', `${what} is not text: ${found}; ${todo}; nothing of it was stored`, {
    ...(path === undefined ? {} : { path }),
    format: v.utf16 === undefined ? 'binary' : `UTF-16${v.utf16}`,
    offset: v.offset,
  });
}

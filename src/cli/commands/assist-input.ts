/**
 * Reading one report for `nml assist` (a file, or stdin for `-`) with the size limit checked before the
 * bytes are held: a regular file by its size, anything else (stdin, a pipe, /dev/zero) by reading at
 * most one byte past the limit. Reading first and checking after held a 700 MB file whole (past V8's
 * string limit: a RangeError with a stack) and read /dev/zero until memory ran out.
 */
import { open } from 'node:fs/promises';
import { AppError, CHECK_PATH, isAppError, pathFailureKind, unreadableAdvice, unreadableWhy } from '../../core/index.js';
import { checkText as checkReportText, MAX_INPUT_BYTES, type InputFormat } from '../../assist/index.js';

/** `size`: a regular file's; a stream's is not known, only that it passed the limit. */
function tooLarge(where: string, size: number | null): AppError {
  return new AppError(
    'ASSIST_INPUT_TOO_LARGE',
    'bad_request',
    `assist: ${where} is ${size === null ? 'more than' : `${size} bytes, more than`} the ${MAX_INPUT_BYTES} bytes (8 MiB) a report may be; send one report or thread, not an archive`,
    { where, limit: MAX_INPUT_BYTES },
  );
}

const ONE_FILE = 'a report is one file';

/**
 * The file would not read, said in words with what to do: until 2026-12 the errno's own "ENOENT: no such
 * file or directory, open '…'", and "check the path and its permissions" for a folder too.
 */
function unreadable(file: string, cause: unknown): AppError {
  const stdin = file === 'stdin';
  const why = unreadableWhy(cause, stdin ? 'stdin is read as one report' : ONE_FILE);
  const advice = unreadableAdvice(cause, stdin ? 'check the command or file that feeds it' : CHECK_PATH, 'name one of its files (nml assist import takes several)');
  return new AppError('ASSIST_INPUT_UNREADABLE', pathFailureKind(cause), `assist: cannot read ${file}: ${why}; ${advice}`, { file }, cause);
}

/** Chunks of a stream until its end, or an error once more than MAX_INPUT_BYTES came (the rest is not read). */
export async function readStreamCapped(stream: AsyncIterable<Buffer | string>, where: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const limit = MAX_INPUT_BYTES;
  let n = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    chunks.push(b);
    n += b.length;
    // leaving the loop destroys the stream: nothing more is read
    if (n > limit) throw tooLarge(where, null);
  }
  return Buffer.concat(chunks);
}

/** A file's bytes: a regular file larger than MAX_INPUT_BYTES is refused by its size, before any is read. */
export async function readFileCapped(file: string): Promise<Buffer> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw unreadable(file, e);
  }
  try {
    const st = await fh.stat();
    // opening a folder for reading succeeds: said as reading it would fail
    if (st.isDirectory()) throw unreadable(file, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
    const limit = MAX_INPUT_BYTES;
    if (st.isFile() && st.size > limit) throw tooLarge(file, st.size);
    // a device, a pipe, or a file that grows while read: at most one byte past the limit
    const buf = Buffer.alloc(limit + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > limit) throw tooLarge(file, null);
    }
    return buf.subarray(0, got);
  } catch (e) {
    if (isAppError(e)) throw e;
    throw unreadable(file, e);
  } finally {
    await fh.close();
  }
}

/** A report named on the command line: `-` is stdin. */
export function readReport(file: string): Promise<Buffer> {
  if (file !== '-') return readFileCapped(file);
  return readStreamCapped(process.stdin, 'stdin').catch((e: unknown) => {
    throw isAppError(e) ? e : unreadable('stdin', e);
  });
}

/** A report file (`-`: stdin), size-checked as it is read, then checked to be text. */
export async function readInput(file: string): Promise<Buffer> {
  return checkText(await readReport(file), file === '-' ? 'stdin' : file);
}

/** The check `normalize` makes of every input, made here first so that the message names the file. */
export function checkText(buf: Buffer, where: string): Buffer {
  checkReportText(buf, where);
  return buf;
}

export const FORMATS = ['alert', 'email', 'json', 'text'];

/** `--format`: one of FORMATS, or undefined to detect. */
export function format(v: string | undefined): InputFormat | undefined {
  if (v === undefined) return undefined;
  if (!FORMATS.includes(v)) throw new AppError('ASSIST_BAD_FORMAT', 'bad_request', `assist: --format must be one of ${FORMATS.join(', ')}, got '${v}'`);
  return v as InputFormat;
}

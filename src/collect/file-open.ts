import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { basename } from 'node:path';
import { AppError, startsGzip } from '../core/index.js';
import { fileOpenFailed } from './errors.js';
import { resumeOffset, type PositionBook, type SavedPosition } from './file-positions.js';
import { headOf } from './file-read.js';
import { archiveRefused, otherArchive, SNIFF_BYTES } from './gzip-sniff.js';
import { findRotated } from './file-rotated.js';
import { judgeStream, notTextFile, notTextRefused, TEXT_WINDOW_BYTES, type NotText } from './not-text.js';

/** A file opened by start(), positioned where reading begins. */
export interface OpenedFile {
  fh: FileHandle;
  gzip: boolean;
  /** byte offset to read from (the end of the file when following without fromStart) */
  pos: number;
  /** a named pipe, a character device or a socket (`nml ingest <(zcat x.gz)`): read as a stream to its end, never by position */
  pipe?: boolean;
  /** following with saved positions: a gzip file read whole and committed before a restart, not read again */
  alreadyRead?: boolean;
}

/** How start() opens its paths; following, `book` holds where each path was left before a restart. */
export interface OpenOptions {
  follow: boolean;
  fromStart: boolean;
  book?: PositionBook;
  /** told what happened to a file while nml was not running (it is then read from its start, after a rotated file's rest when that is found) */
  notice?: (path: string, message: string) => void;
  /** read without following: a start that is not text is stored as it is instead of refused (`nml ingest --binary-ok`) */
  binaryOk?: boolean;
}

/** A path at start: opened, a named pipe to follow (opened by its follower), or null (following: not there or not openable yet). */
export type Opening = OpenedFile | 'fifo' | null;

/**
 * Opens every path before start() resolves, so a wrong path fails start() and, in follow mode, the
 * starting offset is fixed before any caller can append. Following, a path that is missing or cannot
 * be opened yet is null: its follower waits for it (telling why once) and reads it whole once it
 * opens, and a named pipe is left to its follower (opening one for reading waits for a writer).
 */
export async function openAll(paths: readonly string[], o: OpenOptions): Promise<Opening[]> {
  const opened: Opening[] = [];
  try {
    for (const path of paths) opened.push(await openOne(path, o));
  } catch (e) {
    for (const f of opened) if (f !== null && f !== 'fifo') await f.fh.close();
    throw e;
  }
  return opened;
}

async function openOne(path: string, o: OpenOptions): Promise<Opening> {
  if (o.follow && (await stat(path).catch(() => null))?.isFIFO() === true) return 'fifo';
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    // following, EACCES or ELOOP is waited out like a later rotation's: followFile tells it with advice, then retries
    if (o.follow) return null;
    throw fileOpenFailed(path, e);
  }
  const st = await fh.stat();
  // a directory opens for reading and fails only at the first read
  if (st.isDirectory()) {
    await fh.close();
    throw directoryRefused(path, o.follow);
  }
  // a pipe refuses positional reads (ESPIPE): it is read as a stream, gzip told by its first bytes there
  if (!st.isFile()) return { fh, gzip: false, pos: 0, pipe: true };
  const head = await headOf(fh, SNIFF_BYTES);
  const other = otherArchive(head);
  if (other !== null) {
    await fh.close();
    throw archiveRefused(path, other, path);
  }
  const gzip = startsGzip(head);
  if (!o.follow) {
    const refusal = o.binaryOk === true ? null : await notTextRefusal(path, fh, gzip);
    if (refusal !== null) {
      await fh.close();
      throw refusal;
    }
    return { fh, gzip, pos: 0 };
  }
  if (gzip) {
    const resumed = await savedOffset(path, fh, o);
    return { fh, gzip, pos: 0, alreadyRead: resumed !== null && resumed > 0 && resumed >= st.size };
  }
  const resumed = await resumeFollowed(path, fh, o);
  return { gzip, ...(resumed ?? { fh, pos: o.fromStart ? 0 : st.size }) };
}

/** The error for a directory given as a file: what to give instead. It stops `nml ingest` or `nml serve` (files.follow) before a read, so no `collect:` prefix, as for fileOpenFailed. */
export function directoryRefused(path: string, follow: boolean): AppError {
  const instead = follow ? 'list each file to follow (globs are not expanded in files.follow)' : `give the files in it (e.g. ${path.replace(/\/+$/, '')}/*.log)`;
  return new AppError('COLLECT_FILE_OPEN_FAILED', 'bad_request', `${path} is a directory, not a file; ${instead}`, { path });
}

/**
 * Why a regular file read whole is not read: its start, decompressed when gzip, is not text
 * (COLLECT_NOT_TEXT); null when it is text. Followed files are not judged: see docs/architecture.md.
 */
export async function notTextRefusal(path: string, fh: FileHandle, gzip: boolean): Promise<AppError | null> {
  const v = gzip ? await notTextGzip(path) : await notTextFile(fh);
  return v === null ? null : notTextRefused(gzip ? `${path}, decompressed,` : path, v, path);
}

/**
 * A gzip file's decompressed start judged; a corrupt archive is not judged here (its reader says what
 * is wrong with it). Opened again by its path: a stream over the reader's own handle, destroyed, closed it.
 */
async function notTextGzip(path: string): Promise<NotText | null> {
  const gz = createGunzip({ chunkSize: TEXT_WINDOW_BYTES });
  // destroying gz ends the read too; errors reach the iterator, the callback only keeps them handled
  pipeline(createReadStream(path, { highWaterMark: 64 * 1024 }), gz, () => undefined);
  try {
    return (await judgeStream(gz[Symbol.asyncIterator]())).verdict;
  } catch {
    return null;
  } finally {
    gz.destroy();
  }
}

/**
 * Where a followed path's file resumes after a restart: its saved offset when it is the file read
 * before; 0 when another file took its place (told to `o.notice`); null when nothing was saved.
 */
export async function savedOffset(path: string, fh: FileHandle, o: Pick<OpenOptions, 'book' | 'notice'>): Promise<number | null> {
  const saved = o.book?.saved(path);
  return saved === undefined ? null : offsetIn(path, fh, saved, o);
}

async function offsetIn(path: string, fh: FileHandle, saved: SavedPosition, o: Pick<OpenOptions, 'notice'>): Promise<number> {
  const resumed = await resumeOffset(fh, await fh.stat(), saved);
  if (resumed.offset !== null) return resumed.offset;
  o.notice?.(path, `collect: ${path} ${resumed.why} while it was not followed; reading it from its start`);
  return 0;
}

/** A followed plain file to read, and from where. */
export interface Resumed {
  fh: FileHandle;
  pos: number;
}

/**
 * Where a followed plain file resumes after a restart (null when nothing was saved). When another file
 * took the path's place while nml was down (a rotation by rename), the file read before is looked for
 * among the rotated files beside it: found, `fh` is closed and that file is returned at its saved
 * offset, so its follower reads its rest first and then, the path holding another file, the new one
 * from its start, as after any rotation. Not found, the file under the path is read from its start,
 * and `o.notice` is told that lines may be missing and where they may be.
 */
export async function resumeFollowed(path: string, fh: FileHandle, o: Pick<OpenOptions, 'book' | 'notice'>): Promise<Resumed | null> {
  const saved = o.book?.saved(path);
  if (saved === undefined) return null;
  const st = await fh.stat();
  if (st.dev === saved.dev && st.ino === saved.ino) return { fh, pos: await offsetIn(path, fh, saved, o) };
  const rotated = await findRotated(path, saved);
  if (rotated.fh === null) {
    o.notice?.(path, rotatedAwayMessage(path, rotated.compressed));
    return { fh, pos: 0 };
  }
  o.notice?.(path, `collect: ${path} was rotated while it was not followed: the rest of the file read before, now ${rotated.path}, is read from byte ${saved.offset} first, then the new ${path} from its start`);
  await fh.close();
  return { fh: rotated.fh, pos: saved.offset };
}

/** The path's file was replaced while nml was down and the one read before is not beside it: say what may be lost and where to look. */
function rotatedAwayMessage(path: string, compressed: string[]): string {
  const skipped = compressed.length === 0 ? '' : ` (compressed ones are not read: ${compressed.join(', ')})`;
  return (
    `collect: ${path} was replaced by another file (rotated or recreated) while it was not followed, and the file read before is not among the files named ${basename(path)}* beside it${skipped}; ` +
    `lines written to it between the stop and the rotation may be missing: look for them in the rotated files (${path}.*, or where the rotation moves them); reading it from its start`
  );
}

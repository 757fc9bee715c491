import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../core/index.js';
import { describeCause } from './errors.js';
import { isGzip } from './file-read.js';

/** A file opened by start(), positioned where reading begins. */
export interface OpenedFile {
  fh: FileHandle;
  gzip: boolean;
  /** byte offset to read from (the end of the file when following without fromStart) */
  pos: number;
  /** a named pipe, a character device or a socket (`nml ingest <(zcat x.gz)`): read as a stream to its end, never by position */
  pipe?: boolean;
}

/**
 * Opens every path before start() resolves, so a wrong path fails start() and, in follow mode, the
 * starting offset is fixed before any caller can append. Following, a missing path is null: it is
 * waited for and read whole once it appears.
 */
export async function openAll(paths: readonly string[], follow: boolean, fromStart: boolean): Promise<Array<OpenedFile | null>> {
  const opened: Array<OpenedFile | null> = [];
  try {
    for (const path of paths) opened.push(await openOne(path, follow, fromStart));
  } catch (e) {
    for (const o of opened) await o?.fh.close();
    throw e;
  }
  return opened;
}

async function openOne(path: string, follow: boolean, fromStart: boolean): Promise<OpenedFile | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const missing = (e as { code?: unknown }).code === 'ENOENT';
    if (follow && missing) return null;
    throw new AppError('COLLECT_FILE_OPEN_FAILED', missing ? 'not_found' : 'unavailable', `collect: cannot open ${path}: ${describeCause(e)}`, { path }, e);
  }
  // a directory opens for reading and fails only at the first read
  if ((await fh.stat()).isDirectory()) {
    await fh.close();
    throw new AppError('COLLECT_FILE_OPEN_FAILED', 'bad_request', `collect: ${path} is a directory, not a file; give the files in it (e.g. ${path.replace(/\/+$/, '')}/*.log)`, { path });
  }
  // a pipe refuses positional reads (ESPIPE): it is read as a stream, gzip told by its first bytes there
  if (!(await fh.stat()).isFile()) return { fh, gzip: false, pos: 0, pipe: true };
  const gzip = await isGzip(fh);
  const pos = follow && !fromStart && !gzip ? (await fh.stat()).size : 0;
  return { fh, gzip, pos };
}

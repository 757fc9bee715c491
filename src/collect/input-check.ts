import { access, constants, open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError, startsGzip } from '../core/index.js';
import { fileOpenFailed } from './errors.js';
import { directoryRefused, notTextRefusal } from './file-open.js';
import { headOf } from './file-read.js';
import { archiveRefused, otherArchive, SNIFF_BYTES } from './gzip-sniff.js';

/**
 * Why a path to read whole (`nml ingest FILE`) would be refused, as the file source's open would refuse
 * it, or null. Nothing but a regular file is opened: a named pipe opened for reading waits for its
 * writer, and closing it could cut the writer off.
 */
export async function inputRefusal(file: string, o: { binaryOk?: boolean } = {}): Promise<AppError | null> {
  const path = resolve(file);
  let isFile: boolean;
  try {
    const st = await stat(path);
    await access(path, constants.R_OK);
    if (st.isDirectory()) return directoryRefused(path, false);
    isFile = st.isFile();
  } catch (e) {
    return fileOpenFailed(path, e);
  }
  if (!isFile) return null;
  let fh: FileHandle | null = null;
  try {
    fh = await open(path, 'r');
    const head = await headOf(fh, SNIFF_BYTES);
    const other = otherArchive(head);
    if (other !== null) return archiveRefused(path, other, path);
    return o.binaryOk === true ? null : await notTextRefusal(path, fh, startsGzip(head));
  } catch {
    // the source's own open says what went wrong, and where
    return null;
  } finally {
    await fh?.close();
  }
}

/**
 * Every path of `files` that would be refused, in one error (null when none is): the first run names
 * them all, rather than one per run. Bad input (bad_request) when any of them is.
 */
export async function inputsRefused(files: readonly string[], o: { binaryOk?: boolean } = {}): Promise<AppError | null> {
  const refused: AppError[] = [];
  for (const f of files) {
    const e = await inputRefusal(f, o);
    if (e !== null) refused.push(e);
  }
  if (refused.length <= 1) return refused[0] ?? null;
  const kind = refused.some((e) => e.kind === 'bad_request') ? 'bad_request' : refused[0]!.kind;
  const each = refused.map((e) => `  ${e.message}`);
  const failures = refused.map((e) => ({ code: e.code, message: e.message, ...(e.details ?? {}) }));
  return new AppError(refused[0]!.code, kind, `${refused.length} of the ${files.length} files cannot be read as logs, so nothing was stored; leave them out or fix each:\n${each.join('\n')}`, { failures });
}

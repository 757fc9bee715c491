/**
 * A command's result file (a model, a report) written whole or not at all: into a temporary file beside
 * it, then renamed over it. A Ctrl-C or a kill during the write left the file cut short (a model that
 * no longer loads), and a write that failed ended in an internal error with a stack trace. The write is
 * core's writeWholeFileSync (synced before the rename, the temporary file removed on any failure).
 */
import { dirname, resolve } from 'node:path';
import { AppError, writeWholeFileSync } from '../../core/index.js';
import { makeFolders } from '../../detect/index.js';

/**
 * Writes `data` to `path` through a temporary file; a failure is CLI_OUTPUT_WRITE_FAILED naming the file
 * and `what` it is, and saying what to do (`fix`: the end of that advice).
 */
export function writeFileWhole(path: string, data: string | Uint8Array, what: string, fix = 'or give another path with --out'): void {
  const file = resolve(path);
  try {
    makeFolders(dirname(file));
    writeWholeFileSync(file, data);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new AppError('CLI_OUTPUT_WRITE_FAILED', 'unavailable', `cannot write the ${what} to ${file}: ${err.code ?? err.message}; free space or fix the permissions there, ${fix}`, { file }, e);
  }
}

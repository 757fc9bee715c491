/**
 * A command's result file (a model, a report) written whole or not at all: into a temporary file beside
 * it, then renamed over it. A Ctrl-C or a kill during the write left the file cut short (a model that
 * no longer loads), and a write that failed ended in an internal error with a stack trace.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../core/index.js';

/**
 * Writes `data` to `path` through a temporary file; a failure is CLI_OUTPUT_WRITE_FAILED naming the file
 * and `what` it is, and saying what to do (`fix`: the end of that advice).
 */
export function writeFileWhole(path: string, data: string | Uint8Array, what: string, fix = 'or give another path with --out'): void {
  const file = resolve(path);
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  try {
    makeFolders(dirname(file));
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new AppError('CLI_OUTPUT_WRITE_FAILED', 'unavailable', `cannot write the ${what} to ${file}: ${err.code ?? err.message}; free space or fix the permissions there, ${fix}`, { file }, e);
  }
}

/**
 * Makes the missing folders of `dir` one level at a time, from the nearest existing one down: a folder
 * that cannot be made fails at once (Node 20's recursive mkdir loops forever on one below /proc).
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.push(at);
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

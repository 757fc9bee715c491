/** Folders that hold secrets (API tokens, the user database): created owner-only, like `ssh` does for `~/.ssh`. */
import { mkdirSync } from 'node:fs';
import { errnoOf } from '../core/index.js';

/** Owner-only permissions (rwx------) for a folder this module creates. */
const OWNER_ONLY_FOLDER_MODE = 0o700;

/**
 * Creates `dir` and any missing parents with mode 0700 (less the umask); an existing folder is left as it is.
 * Throws what `mkdirSync` throws: callers wrap it in their own error that names the file they were writing.
 */
export function makeOwnerOnlyFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_FOLDER_MODE });
}

/**
 * What to do about a file nml keeps in the data directory (the API token, the user database) that it could
 * not read, create or write, by the errno; the words for the cause itself come from core's describeCause.
 */
export function dataFileAdvice(e: unknown): string {
  switch (errnoOf(e)) {
    case 'EISDIR':
      return 'move the folder aside: nml makes the file anew';
    case 'EACCES':
    case 'EPERM':
      return 'run nml as the user that owns the data directory (the one nml serve runs as), or give this user the access (chown, chmod)';
    case 'EROFS':
      return 'mount its disk read-write';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free space on its disk';
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EEXIST':
      return 'check the data directory (--data, NML_DATA or dataDir of the config)';
    default:
      return 'check the data directory, its permissions and its disk';
  }
}

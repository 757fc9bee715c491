/** Folders that hold secrets (API tokens, the user database): created owner-only, like `ssh` does for `~/.ssh`. */
import { mkdirSync } from 'node:fs';

/** Owner-only permissions (rwx------) for a folder this module creates. */
const OWNER_ONLY_FOLDER_MODE = 0o700;

/**
 * Creates `dir` and any missing parents with mode 0700 (less the umask); an existing folder is left as it is.
 * Throws what `mkdirSync` throws: callers wrap it in their own error that names the file they were writing.
 */
export function makeOwnerOnlyFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_FOLDER_MODE });
}

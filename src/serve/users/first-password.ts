/**
 * The first admin's password, handed over in a file instead of a log line: logs are shipped, kept and
 * read by more people than the data directory is. The file is `<data>/admin-password`, mode 0600,
 * written whole (core's writeWholeFileSync: a temporary file renamed over it), and removed when the
 * password is changed.
 */
import { readFileSync, rmSync } from 'node:fs';
import { writeWholeFileSync } from '../../core/index.js';

export const FIRST_PASSWORD_FILE = 'admin-password';

/** Writes the password and a line ending; only the owner can read it. */
export function writeFirstPassword(file: string, password: string): void {
  // the temporary file is always a new one, its mode 0600 from its creation: none left by a killed start is reused
  writeWholeFileSync(file, password + '\n', { mode: 0o600 });
}

/** The password in the file, or null when there is none (already changed, or never made here). */
export function readFirstPassword(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Removes the file; with `only`, only while it still holds that password (another process's stays). */
export function forgetFirstPassword(file: string, only?: string): void {
  if (only !== undefined && readFirstPassword(file) !== only) return;
  rmSync(file, { force: true });
}

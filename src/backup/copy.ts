/**
 * One file of a backup: copied with SQLite's online backup or as it is, then hashed, owner-only (0600)
 * and synced. A source that is gone by the time it is copied (retention, a merge's leftover deleted) is
 * reported as such, not as an error: the caller decides what that means.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { AppError, describeCause, isWrongPath } from '../core/index.js';
import { openForReading } from '../store/index.js';
import type { CopyHow } from './manifest.js';

export const FILE_MODE = 0o600;
export const FOLDER_MODE = 0o700;

/**
 * What is at a path the user named: its stats, or undefined where there is nothing (a wrong path: missing,
 * below a file, a name too long); any other failure (permissions, I/O) is `code` saying so.
 */
export function statNamed(path: string, code: string, what: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if (isWrongPath(e)) return undefined;
    throw new AppError(code, 'unavailable', `${what}: cannot look at ${path}: ${describeCause(e)}; run nml as the user that owns it, or check the disk`, { path }, e);
  }
}

/** SHA-256 of a file, read in 1 MiB pieces. */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Writes a file's data to the disk. */
export function fsyncFile(path: string, folder = false): void {
  const fd = openSync(path, folder ? 'r' : 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the folders down to `path`'s, owner-only. */
export function makeFolderOf(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: FOLDER_MODE });
}

const gone = (path: string): boolean => !existsSync(path);

/**
 * A snapshot of the database at `src` in `dest` (a new file): SQLite's online backup, every remaining page
 * in one step after the first, so the copy is one transaction's state even while another process writes
 * (a write between the steps restarts it, once). The copy is switched to journal_mode=DELETE (one
 * self-contained file, opened later without side files); `edit`, when given, changes the copy before that.
 * Null when the source is gone.
 */
export async function snapshotSqlite(src: string, dest: string, edit?: (db: Database.Database) => void): Promise<{ bytes: number } | null> {
  let db: Database.Database;
  try {
    db = openForReading(src);
  } catch (e) {
    if (gone(src)) return null;
    throw e;
  }
  try {
    makeFolderOf(dest);
    await db.backup(dest, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } catch (e) {
    rmSync(dest, { force: true });
    if (gone(src)) return null;
    throw e;
  } finally {
    db.close();
  }
  const copy = new Database(dest, { fileMustExist: true });
  try {
    edit?.(copy);
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return { bytes: statSync(dest).size };
}

/**
 * Copies a file nml never writes again as it is; it is checked unchanged (size and time) across the copy,
 * and one that changed after all is copied with the online backup instead. Null when the source is gone.
 */
export async function copyImmutable(src: string, dest: string): Promise<{ how: CopyHow } | null> {
  const before = statSync(src, { throwIfNoEntry: false });
  if (before === undefined) return null;
  makeFolderOf(dest);
  try {
    copyFileSync(src, dest);
  } catch (e) {
    rmSync(dest, { force: true });
    if (gone(src)) return null;
    throw e;
  }
  const after = statSync(src, { throwIfNoEntry: false });
  if (after !== undefined && after.size === before.size && after.mtimeMs === before.mtimeMs) return { how: 'copy' };
  rmSync(dest, { force: true });
  return (await snapshotSqlite(src, dest)) === null ? null : { how: 'sqlite' };
}

/** Copies a plain (non-database) file as it is; null when gone. Files nml replaces whole (rename) are read as one version. */
export function copyPlain(src: string, dest: string): boolean {
  makeFolderOf(dest);
  try {
    copyFileSync(src, dest);
    return true;
  } catch (e) {
    rmSync(dest, { force: true });
    if (gone(src)) return false;
    throw e;
  }
}

/** Makes a written copy owner-only, gives it the source's time, syncs it and returns its size and hash. */
export function settle(dest: string, mtimeMs: number): { bytes: number; sha256: string } {
  chmodSync(dest, FILE_MODE);
  const t = new Date(mtimeMs);
  utimesSync(dest, t, t);
  fsyncFile(dest);
  return { bytes: statSync(dest).size, sha256: sha256File(dest) };
}

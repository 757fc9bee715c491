/**
 * A full, read-only or failing disk as the store reports it: SQLite and the file system say SQLITE_FULL,
 * ENOSPC, SQLITE_READONLY, EROFS or SQLITE_IOERR (EIO, EFBIG), which would reach a client as an internal
 * error; these say what to do. And
 * opening a database file so that a failure leaves neither an empty file nor an open descriptor behind.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, isAppError } from '../core/index.js';

const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
/** a write the disk or the file system refused for another reason: a disk error, a file size limit (ulimit -f) */
const IO = (code: string): boolean => code.startsWith('SQLITE_IOERR') || code === 'EIO' || code === 'EFBIG';

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * SQLite cannot say why a file did not open, and a recursive mkdir on a read-only mount says ENOENT: the
 * nearest existing folder above `path` answers access(W_OK) with EROFS there.
 */
function readOnlyMount(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      accessSync(dir, constants.W_OK);
      return false;
    } catch (e) {
      if (codeOf(e) !== 'ENOENT' || dirname(dir) === dir) return codeOf(e) === 'EROFS';
    }
  }
}

/**
 * `e` as STORE_DISK_FULL, STORE_READ_ONLY or STORE_IO_ERROR when it says the disk is full, mounted
 * read-only or failed a write while writing `path`; anything else (an AppError included) unchanged.
 */
export function storageError(e: unknown, path: string): unknown {
  if (isAppError(e)) return e;
  const code = codeOf(e);
  const why = `${code}: ${e instanceof Error ? e.message : String(e)}`;
  if (FULL.has(code)) {
    return new AppError('STORE_DISK_FULL', 'unavailable', `store: the disk holding ${path} is full (${why}); free space there or lower store.retention.maxBytes, then resend`, { path, cause: code }, e);
  }
  // DBMOVED: the file was deleted under its writer, not a read-only disk
  const readOnly = (code.startsWith('SQLITE_READONLY') && code !== 'SQLITE_READONLY_DBMOVED') || code === 'EROFS' || ((code === 'SQLITE_CANTOPEN' || code === 'ENOENT') && readOnlyMount(path));
  if (readOnly) {
    return new AppError('STORE_READ_ONLY', 'unavailable', `store: ${path} cannot be written: its file system is read-only or the file is not writable (${why}); check the mount (a disk error can remount it read-only) and the permissions, then restart nml`, { path, cause: code }, e);
  }
  if (IO(code)) {
    // until session 33 this reached a sender as INGEST_NOT_COMMITTED with cause INTERNAL and no reason (found by review: ulimit -f)
    return new AppError('STORE_IO_ERROR', 'unavailable', `store: writing ${path} failed (${why}); the batch was not committed. Check the kernel log (dmesg) for disk errors, the file size limit of nml's process (ulimit -f) and the disk's free space, then resend`, { path, cause: code }, e);
  }
  return e;
}

/** A database file's first bytes (a serialized empty database, made when needed) and whether to wait for the disk to hold them. */
export interface FileImage {
  bytes: () => Uint8Array;
  fsync: boolean;
}

/**
 * Opens (creating) a SQLite file and runs `init` on it; a file that does not exist is first written with
 * `image` when one is given (`fsync`: the file and its folder's entry are on disk before SQLite opens it).
 * On failure (a full or read-only disk) the connection is closed and a file this call created is
 * removed, with an empty one found there: a retry must not leave a file and a descriptor behind per
 * attempt (an empty file also breaks every reader).
 */
export function openOrCreate(path: string, init: (db: Database.Database) => void, image?: FileImage): Database.Database {
  let db: Database.Database | null = null;
  const existed = existsSync(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (!existed && image !== undefined) writeImage(path, image);
    db = new Database(path);
    init(db);
    return db;
  } catch (e) {
    db?.close();
    if (!existed || fileSize(path) === 0) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        try {
          rmSync(path + suffix, { force: true });
        } catch {
          // a read-only disk (it could not have created the file either), or not a file
        }
      }
    }
    throw storageError(e, path);
  }
}

function writeImage(path: string, image: FileImage): void {
  // 'wx': never over a file that appeared since the check
  const fd = openSync(path, 'wx');
  try {
    const bytes = image.bytes();
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    if (image.fsync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (!image.fsync) return;
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

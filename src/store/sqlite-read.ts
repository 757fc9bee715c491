/**
 * SQLite files opened for reading only, as the CLI's read commands open them beside a running server or
 * on a disk mounted read-only; and a file SQLite cannot get at (a read-only file system, permissions)
 * told apart from a damaged one, with what to do: moving a file aside is the cure for damage only.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { AppError, isAppError } from '../core/index.js';

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Whether `e` says a file could not be got at, as opposed to what is in it (DBMOVED: deleted under its reader). */
export function isAccessError(e: unknown): boolean {
  const code = codeOf(e);
  if (code === 'SQLITE_READONLY_DBMOVED') return false;
  return /^SQLITE_(CANTOPEN|READONLY|PERM|AUTH)/.test(code) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
}

/**
 * Opens an existing database for reading only; nothing is created or changed beside it when it can be
 * read as it is. Beside a writer (whose `-shm` exists) this is a plain read-only connection that sees
 * every commit. A database in WAL mode whose folder cannot be written and that has no `-shm` (a server
 * stopped cleanly, then its disk remounted read-only) cannot be read in place: SQLite must create the
 * `-shm` first, and `immutable=1`, which spares it, needs URI file names, which this build of
 * better-sqlite3 turns off. With no write-ahead log to apply, the file holds every commit: it is read
 * into memory and opened there, marked a rollback-journal file (the pages are the same). With one to
 * apply (or a `-shm` this user may not open) SQLite's error is thrown: see `sqliteAccessProblem`.
 */
export function openForReading(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // SQLite opens the write-ahead log and its -shm at the first read, not at open
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch (e) {
    db.close();
    // the -shm cannot be made: CANTOPEN on a read-only mount, READONLY_DIRECTORY in a folder this user may not write
    const code = codeOf(e);
    if ((!code.startsWith('SQLITE_CANTOPEN') && code !== 'SQLITE_READONLY_DIRECTORY') || !holdsEveryCommit(path)) throw e;
    const image = readFileSync(path);
    // header bytes 18 and 19: 2 for a WAL database, 1 for a rollback-journal one (SQLite file format)
    if (image.length >= 100 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
    return new Database(image, { readonly: true });
  }
}

/** No `-shm` (so no writer at work: one keeps it) and no write-ahead log with commits in it. */
function holdsEveryCommit(path: string): boolean {
  return !existsSync(`${path}-shm`) && !walPending(path);
}

/** Whether `path` has a write-ahead log with something in it. */
function walPending(path: string): boolean {
  return (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
}

/** The errno of access(2) on `path` for `mode`, '' when allowed. */
function denied(path: string, mode: number): string {
  try {
    accessSync(path, mode);
    return '';
  } catch (e) {
    return codeOf(e) || 'EACCES';
  }
}

const REMOUNT = 'mount it read-write (a disk error can remount it read-only: check the kernel log first)';
const PERMIT = "run nml as the user that owns the data directory (the one nml serve runs as), or give this user the access (chown, chmod)";

/**
 * When SQLite or the file system could not get at `path` (`SQLITE_CANTOPEN`, `SQLITE_READONLY`,
 * `EROFS`, `EACCES` …): why, from the file system (SQLite does not say which file or why), the error,
 * and what to do, as the tail of a message `cannot read|write PATH: …`. Null for any other error (a
 * damaged file, a full disk), whose caller tells it as before.
 */
export function sqliteAccessProblem(e: unknown, path: string, write = false): string | null {
  if (!isAccessError(e)) return null;
  const said = `${codeOf(e)}: ${e instanceof Error ? e.message : String(e)}`;
  const dir = dirname(path);
  const name = basename(path);
  const file = denied(path, write ? constants.R_OK | constants.W_OK : constants.R_OK);
  if (file === 'ENOENT') return `it does not exist (${said}); check the path`;
  const folder = denied(dir, constants.W_OK);
  let why: string;
  let todo: string;
  if (file === 'EROFS' || folder === 'EROFS') {
    why = write || !walPending(path) ? 'its file system is mounted read-only' : `its file system is mounted read-only, and reading it needs SQLite's ${name}-shm, which cannot be made there, for the changes still in ${name}-wal`;
    todo = write ? REMOUNT : `${REMOUNT}, or copy the data directory to a writable disk and pass --data of the copy`;
  } else if (file !== '') {
    why = `nml's user may not ${write ? 'write' : 'read'} it`;
    todo = PERMIT;
  } else if (existsSync(`${path}-shm`) && denied(`${path}-shm`, constants.R_OK) !== '') {
    why = `nml's user may not open ${name}-shm beside it`;
    todo = PERMIT;
  } else if (folder !== '') {
    why = `nml's user may not write its folder ${dir}, where SQLite keeps ${name}-shm${write ? ' and its journal' : walPending(path) ? ` to read the changes still in ${name}-wal` : ''}`;
    todo = PERMIT;
  } else {
    why = 'the file system is read-only or nml\'s user lacks permission on the file, its folder or its -wal and -shm files';
    todo = `check the mount and the permissions; ${PERMIT}`;
  }
  return `${why} (${said}); ${todo}; this is no sign of a damaged file: keep it where it is`;
}

/**
 * `e` (or the SQLite error an AppError wraps) told as an access problem of `path` under `code`
 * (`area: cannot read|write PATH: why; what to do`); `e` unchanged when it is none (a damaged file, a
 * full disk), for the caller's own message.
 */
export function accessError(e: unknown, path: string, write: boolean, code: string, area: string): unknown {
  const cause = isAppError(e) && e.cause !== undefined ? e.cause : e;
  const access = sqliteAccessProblem(cause, path, write);
  return access === null ? e : new AppError(code, 'unavailable', `${area}: cannot ${write ? 'write' : 'read'} ${path}: ${access}`, { path }, cause);
}

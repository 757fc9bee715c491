/**
 * A file replaced whole or not at all, the one copy of "write a temporary file, then rename it" (core's
 * one I/O: every stage writes such files, and core is the folder they may all import). In: a path, its
 * bytes and optionally its mode. Out: the file, replaced. Steps: a temporary file with a name no other
 * write can have (the process id and random bytes) in the same folder, created exclusively (nothing
 * planted there, not even a link, is written through) with its mode set then, not after; the bytes
 * written and synced to the disk; renamed over the file; the folder synced, so the rename survives a
 * power cut as well. A crash at any point leaves the old file or the whole new one, and a failure
 * removes the temporary file and throws a WholeFileError naming the file and the step. A process killed
 * before its rename leaves its temporary file: `wholeFileTempOf` tells one by its name (and whose process
 * made it), so the store removes those of dead processes from the data folder when it opens it.
 * `noReplace` makes the file only where none is (a hard link instead of the rename: a link never replaces);
 * `prepareWholeFileSync` writes the temporary file and leaves its rename to the caller (two files renamed
 * after both are written).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { link, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeCause, errnoOf } from './errors.js';

export interface WholeFileOptions {
  /**
   * The file's permission bits (0o600: the owner's only), set on the temporary file as it is created,
   * whatever the umask; absent: 0o666 less the umask, as `writeFileSync` makes a file.
   */
  mode?: number;
  /**
   * Make the file only if nothing is at `path` (a file another process just made is kept): the temporary
   * file is hard-linked there, not renamed, and a file already there fails with `code` EEXIST, step `create`.
   */
  noReplace?: boolean;
}

type Step = 'create a temporary file beside' | 'write' | 'sync' | 'replace' | 'create' | 'sync the folder of';

/**
 * A whole-file write that failed. `code` is the system's errno (`ENOSPC`), so `describeCause`, `errnoOf`
 * and every advice by errno read it as they read the system error it wraps (`cause`); the message names
 * the file and the step. The file is as it was before (but after the `sync the folder of` step: replaced,
 * its rename perhaps not yet on the disk).
 */
export class WholeFileError extends Error {
  readonly code: string | undefined;

  constructor(
    readonly path: string,
    readonly step: Step,
    cause: unknown,
  ) {
    super(`cannot ${step} ${path}: ${describeCause(cause)}${step === 'sync the folder of' ? ' (the file was replaced; a power cut may still undo it)' : ''}`, { cause });
    this.name = 'WholeFileError';
    this.code = errnoOf(cause) ?? undefined;
  }
}

/** The one form of a temporary name, `.<name>.<pid>-<12 hex digits>.tmp`: made by wholeFileTempName, read by wholeFileTempOf. */
const TEMP_NAME = /^\.(.+)\.([1-9][0-9]{0,9})-([0-9a-f]{12})\.tmp$/;
const tempNameOf = (name: string, pid: number, hex: string): string => `.${name}.${pid}-${hex}.tmp`;

/** A temporary name beside `path`, hidden, that no other write (of this process or another) gives. */
export function wholeFileTempName(path: string): string {
  return join(dirname(path), tempNameOf(basename(path), process.pid, randomBytes(6).toString('hex')));
}

/**
 * The file and the process id a name of a folder's entry is the temporary file of (a name wholeFileTempName
 * gives, exactly), or null for any other name.
 */
export function wholeFileTempOf(name: string): { file: string; pid: number } | null {
  const m = TEMP_NAME.exec(name);
  if (m === null) return null;
  const pid = Number(m[2]);
  return tempNameOf(m[1]!, pid, m[3]!) === name ? { file: m[1]!, pid } : null;
}

/**
 * errnos of a folder that cannot be opened or synced on this system or by this user (a folder one may
 * write but not read; a file system without fsync on folders): the rename is done, and nothing more can be had.
 */
const FOLDER_SYNC_UNSUPPORTED: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EISDIR', 'EINVAL', 'ENOTSUP', 'EBADF']);

function folderSyncFailed(path: string, e: unknown): WholeFileError | null {
  return FOLDER_SYNC_UNSUPPORTED.has(errnoOf(e) ?? '') ? null : new WholeFileError(path, 'sync the folder of', e);
}

/** A temporary file beside `path`, written and synced: `commit` puts it in place, `abort` removes it. */
export interface PreparedWholeFile {
  readonly path: string;
  /** renames (or, with noReplace, links) the temporary file into place and syncs the folder; a failure removes it */
  commit(): void;
  /** removes the temporary file (never throws) */
  abort(): void;
}

/** The first half of writeWholeFileSync: the temporary file made, written and synced, not yet in place. */
export function prepareWholeFileSync(path: string, data: string | Uint8Array, o: WholeFileOptions = {}): PreparedWholeFile {
  const tmp = wholeFileTempName(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', o.mode ?? 0o666);
  } catch (e) {
    throw new WholeFileError(path, 'create a temporary file beside', e);
  }
  let step: Step = 'write';
  try {
    if (o.mode !== undefined) fchmodSync(fd, o.mode);
    writeFileSync(fd, data);
    step = 'sync';
    fsyncSync(fd);
    const closing = fd;
    fd = -1; // closed even when close reports an error: never closed twice
    closeSync(closing);
  } catch (e) {
    if (fd !== -1) closeQuietly(fd);
    removeQuietly(tmp);
    throw new WholeFileError(path, step, e);
  }
  return { path, commit: () => commitSync(path, tmp, o), abort: () => removeQuietly(tmp) };
}

function commitSync(path: string, tmp: string, o: WholeFileOptions): void {
  try {
    if (o.noReplace === true) linkSync(tmp, path);
    else renameSync(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    throw new WholeFileError(path, o.noReplace === true ? 'create' : 'replace', e);
  }
  if (o.noReplace === true) removeQuietly(tmp); // the file is in place under its own name
  syncFolderOfSync(path);
}

/**
 * Syncs the folder holding `path`, so that a rename into it (of a file, or of a whole folder written
 * beside it) survives a power cut; a file system without folder sync is not an error.
 */
export function syncFolderOfSync(path: string): void {
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (e) {
    const err = folderSyncFailed(path, e);
    if (err !== null) throw err;
  }
}

/** Replaces `path` with `data` (see the file's comment); synchronous. */
export function writeWholeFileSync(path: string, data: string | Uint8Array, o: WholeFileOptions = {}): void {
  prepareWholeFileSync(path, data, o).commit();
}

/** Replaces `path` with `data` (see the file's comment), off the event loop. */
export async function writeWholeFile(path: string, data: string | Uint8Array, o: WholeFileOptions = {}): Promise<void> {
  const tmp = wholeFileTempName(path);
  let fh: FileHandle | null;
  try {
    fh = await open(tmp, 'wx', o.mode ?? 0o666);
  } catch (e) {
    throw new WholeFileError(path, 'create a temporary file beside', e);
  }
  let step: Step = 'write';
  try {
    if (o.mode !== undefined) await fh.chmod(o.mode);
    await fh.writeFile(data);
    step = 'sync';
    await fh.sync();
    const closing = fh;
    fh = null;
    await closing.close();
    step = o.noReplace === true ? 'create' : 'replace';
    if (o.noReplace === true) await link(tmp, path);
    else await rename(tmp, path);
  } catch (e) {
    if (fh !== null) await fh.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new WholeFileError(path, step, e);
  }
  if (o.noReplace === true) await rm(tmp, { force: true }).catch(() => undefined);
  try {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (e) {
    const err = folderSyncFailed(path, e);
    if (err !== null) throw err;
  }
}

function removeQuietly(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // the write's own error is the one to report
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // the write's own error is the one to report
  }
}

/**
 * A shard file that SQLite cannot read (cut short by a full disk or a careless copy, overwritten, a
 * bad sector): how its errors are told apart from others, how it is named to the operator, and how a
 * sealed one is spotted from its header alone when the catalog opens.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { AppError } from '../core/index.js';

/** SQLite's codes for a damaged file or one that is no database (SQLITE_CORRUPT_VTAB: a damaged FTS5 index). */
export function isDamagedShardError(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/**
 * A shard file that is gone (deleted or moved while nml ran): ENOENT, or SQLITE_CANTOPEN (SQLite does not
 * say why) for a path where no file is. A file that is there but cannot be opened is an access problem.
 */
export function isMissingShardError(e: unknown, path: string): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return true;
  return typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN') && !existsSync(path);
}

/** What to do about shard files that are gone: the same words in a search's problem and at open. */
export const MISSING_SHARD_TODO =
  'restore the file from a backup to that path and restart nml to search it again, or accept the loss with ' +
  '`nml stats --forget-lost --data DIR` (until then nml stats and the server log at each start name it)';

/** A search's view of a shard whose file is gone (the catalog, which knows its lines, says more). */
export function missingShardMessage(path: string): string {
  return `store: shard ${shardFileName(path)} is missing: its file was deleted or moved while nml ran; searches leave it out, and say so; ${MISSING_SHARD_TODO}`;
}

/** STORE_SHARD_UNREADABLE (`details.missing`: true) for a shard whose file is gone: searches leave it out as they do a damaged one. */
export function shardMissing(path: string, cause: unknown): AppError {
  return new AppError('STORE_SHARD_UNREADABLE', 'unavailable', missingShardMessage(path), { path, file: shardFileName(path), missing: true }, cause);
}

/** A shard's file as the operator finds it, relative to the data directory: `shards/2026/11/30/10/0000-w0-0.db`. */
export function shardFileName(path: string): string {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf('shards');
  return at < 0 ? path : parts.slice(at).join('/');
}

/** What the operator reads, in the error of a search and in the store's problems alike. */
export function damagedShardMessage(path: string, why: string): string {
  return (
    `store: shard ${shardFileName(path)} is damaged (${why}); searches leave it out, and say so, until it is gone: ` +
    `stop nml, move that file out of shards/ (to quarantine/ in the data directory, say) and start again; ` +
    `the lines it holds are lost (sqlite3's .recover may save some)`
  );
}

/** STORE_SHARD_UNREADABLE for a read of `path` that failed with `cause` (an SQLite corruption error). */
export function shardUnreadable(path: string, cause: unknown): AppError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new AppError('STORE_SHARD_UNREADABLE', 'unavailable', damagedShardMessage(path, why), { path, file: shardFileName(path) }, cause);
}

const MAGIC = 'SQLite format 3\0';
/** one header buffer for all: the catalog checks every sealed shard, one after another, at open */
const head = Buffer.alloc(100);

/**
 * Why a sealed shard's file cannot be whole, from its 100-byte header and its size (no SQL, one read):
 * not an SQLite file, or shorter than the pages its header counts. Null when it looks whole or cannot
 * be read at all (whoever opens it reports that). Damage inside the pages shows only when read.
 */
export function shardHeaderDamage(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < head.length || head.toString('latin1', 0, MAGIC.length) !== MAGIC) return 'file is not a database';
    // the header's page count holds only while its "version-valid-for" equals the change counter (SQLite file format: "in-header database size")
    if (head.readUInt32BE(92) !== head.readUInt32BE(24)) return null;
    const raw = head.readUInt16BE(16);
    const expected = head.readUInt32BE(28) * (raw === 1 ? 65536 : raw);
    const size = fstatSync(fd).size;
    return size < expected ? `cut short: ${size} of ${expected} bytes` : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

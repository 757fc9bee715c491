/**
 * What of a data directory a backup holds, and how each file is copied. Every SQLite database is copied
 * with SQLite's online backup (one consistent snapshot even while nml serve writes it), but for the files
 * nml never writes again once they bear their name: a sealed shard (switched to journal_mode=DELETE at
 * its seal; a late line goes to a new sequence file, store/shard-set.ts) and a relation roll-up (built
 * under a temporary name, then renamed; only ever deleted). Relation period files are not among them:
 * a late edge reopens its hour's file. Left out: the lock, SQLite's side files (the snapshot holds
 * their commits), temporary files of writes under way, and links (not nml's; their target is elsewhere).
 */
import { lstatSync, openSync, readSync, closeSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The secrets a backup leaves out unless asked (relative paths in the data directory). */
export const SECRET_FILES = ['api-token', 'admin-password'] as const;

export interface SourceFile {
  /** relative, `/`-separated */
  rel: string;
  path: string;
  /** whether the file is an SQLite database (by its header) */
  sqlite: boolean;
  /** never written again: may be copied as it is */
  immutable: boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** The first 100 bytes of a file (fewer when shorter; empty when gone). */
function header(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const b = Buffer.alloc(100);
    return b.subarray(0, readSync(fd, b, 0, 100, 0));
  } finally {
    closeSync(fd);
  }
}

/** Why a name is left out, or null when it is copied. */
export function skipReason(rel: string, includeSecrets: boolean): string | null {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (rel === 'nml.lock' || rel.startsWith('nml.lock.')) return 'the lock of the process that writes the data directory';
  if (/-(wal|shm|journal)$/.test(name)) return "SQLite's side file: the database's snapshot holds its commits";
  if (name.endsWith('.tmp')) return 'a temporary file of a write under way (a merge, a roll-up, a file replaced whole)';
  if (!includeSecrets && (SECRET_FILES as readonly string[]).includes(rel)) return 'a secret: left out without --include-secrets';
  return null;
}

/** Whether an SQLite file is one nml never writes again once named: a sealed shard or a relation roll-up. */
function neverWrittenAgain(rel: string, path: string, head: Buffer): boolean {
  // header bytes 18 and 19: 1 for a rollback-journal database, 2 for WAL (a shard is WAL until sealed)
  const rollback = head.length >= 20 && head[18] === 1 && head[19] === 1;
  if (!rollback || existsSync(path + '-wal') || existsSync(path + '-journal')) return false;
  if (rel.startsWith('shards/')) return true;
  return rel.startsWith('relations/') && /(^|\/)(day|block)-rollup-[^/]*\.db$/.test(rel);
}

/** The files of `dataDir` a backup copies (sorted), and those it leaves out with why. */
export function listSource(dataDir: string, includeSecrets: boolean, under = ''): { files: SourceFile[]; skipped: Array<{ path: string; why: string }> } {
  const files: SourceFile[] = [];
  const skipped: Array<{ path: string; why: string }> = [];
  const walk = (rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(join(dataDir, rel)).sort();
    } catch (e) {
      // a folder removed meanwhile (retention emptied an hour) holds nothing to copy
      if ((e as { code?: string }).code === 'ENOENT') return;
      throw e;
    }
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const path = join(dataDir, r);
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (st === undefined) continue;
      if (st.isDirectory()) {
        if (name === 'nml.lock.takeover') skipped.push({ path: r, why: 'the lock of the process that writes the data directory' });
        else walk(r);
        continue;
      }
      if (!st.isFile()) {
        skipped.push({ path: r, why: st.isSymbolicLink() ? 'a link: its target is not in the data directory; copy it yourself' : 'not a plain file' });
        continue;
      }
      const why = skipReason(r, includeSecrets);
      if (why !== null) {
        if (!/-(wal|shm|journal)$/.test(name) && !name.endsWith('.tmp')) skipped.push({ path: r, why });
        continue;
      }
      const head = header(path);
      const sqlite = head.subarray(0, 16).toString('latin1') === SQLITE_MAGIC;
      files.push({ rel: r, path, sqlite, immutable: sqlite && neverWrittenAgain(r, path, head) });
    }
  };
  walk(under);
  return { files, skipped };
}

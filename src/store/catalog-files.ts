/** The catalog's file work: sizes, the walk over the shard tree, quarantine, and a damaged catalog file's error. */
import { type Dirent, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AppError } from '../core/index.js';
import { isMergeTempRelPath, parseShardRelPath } from './slots.js';

export function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // no WAL file: nothing to add
    }
  }
  return total;
}

export function quarantine(shardsDir: string, rel: string): void {
  const target = join(shardsDir, '..', 'quarantine', rel);
  mkdirSync(dirname(target), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      renameSync(join(shardsDir, rel) + suffix, target + suffix);
    } catch {
      // that companion file does not exist
    }
  }
}

/** The shard files under `root` (relative paths); `mergeTemps`, when given, gets the merges' temporary files found on the way. */
export function listShardFiles(root: string, mergeTemps?: string[]): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      // a reader does not make shards/: a store with no line yet may have none
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && dir === root) return;
      throw e;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.db') && parseShardRelPath(relative(root, p)) !== null) out.add(relative(root, p));
      else if (mergeTemps !== undefined && e.isFile() && isMergeTempRelPath(relative(root, p))) mergeTemps.push(relative(root, p));
    }
  };
  walk(root);
  return out;
}

/** STORE_CATALOG_CORRUPT for an error that says the catalog file is not a database or is damaged, else null. */
export function catalogCorrupt(e: unknown, path: string): AppError | null {
  const code = (e as { code?: string }).code ?? '';
  if (!code.startsWith('SQLITE_NOTADB') && !code.startsWith('SQLITE_CORRUPT')) return null;
  // the catalog only lists the shards: without it, the next start measures every shard file again
  return new AppError('STORE_CATALOG_CORRUPT', 'unavailable', `store: ${path} is not a readable SQLite database (${(e as Error).message}); stop nml, move the file aside and start again: the catalog is rebuilt from the shards`, { path }, e);
}

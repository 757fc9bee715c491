/**
 * A folder this process may not write, for the tests of reading a store on a disk mounted read-only:
 * a tmpfs remounted read-only where this process may mount one (root), else the write permission
 * taken away (which binds any user but root). Null for root where no tmpfs can be mounted.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountTmpfs } from './tmpfs.js';

export interface ReadOnlyDir {
  /** writable until `freeze` */
  dir: string;
  /** how it is made read-only, for messages: 'mount' or 'permissions' */
  how: 'mount' | 'permissions';
  /** makes `dir` and everything in it read-only (nothing may be open for writing there) */
  freeze(): void;
  close(): void;
}

function chmodTree(path: string, write: boolean): void {
  const st = statSync(path);
  chmodSync(path, write ? st.mode | 0o200 : st.mode & ~0o222);
  if (st.isDirectory()) for (const name of readdirSync(path)) chmodTree(join(path, name), write);
}

export function readOnlyDir(): ReadOnlyDir | null {
  if (process.getuid?.() === 0) {
    const disk = mountTmpfs(16 * 1024);
    if (disk === null) return null;
    return { dir: disk.dir, how: 'mount', freeze: () => disk.readOnly(), close: () => disk.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'nml-readonly-'));
  return {
    dir,
    how: 'permissions',
    freeze: () => chmodTree(dir, false),
    close: () => {
      chmodTree(dir, true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

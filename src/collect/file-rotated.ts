import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { resumeOffset, type SavedPosition } from './file-positions.js';

/**
 * Names of compressed rotations (logrotate's `compress`, savelog): another file than the one read
 * before (compressing writes a new inode), and an archive is not read by position. Only named, never opened.
 */
const COMPRESSED = /\.(gz|bz2|xz|zst|lz4|lzma|z|zip)$/i;

/** What the directory of a followed path holds of the file it held at the stop. */
export type RotatedLookup =
  /** that file, renamed: opened, at least as long as the saved offset */
  | { fh: FileHandle; path: string; compressed?: undefined }
  /** not there (deleted, compressed, moved elsewhere); the compressed rotations beside the path, by name */
  | { fh: null; compressed: string[] };

/**
 * The file a followed path held when nml stopped, renamed by a rotation while nml was down
 * (`app.log.1`, `app.log-20261201`): looked for among the files beside the path whose names start
 * with its name, and taken only when its device, inode and head all match what was saved (a freed
 * inode is given to the next new file) and it is at least the saved offset long.
 */
export async function findRotated(path: string, saved: SavedPosition): Promise<RotatedLookup> {
  const dir = dirname(path);
  const base = basename(path);
  // an unreadable directory hides the rotated files as a missing one does: the caller says where to look
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n !== base && n.startsWith(base)).sort();
  const compressed: string[] = [];
  for (const name of names) {
    if (COMPRESSED.test(name)) compressed.push(name);
    else {
      const fh = await openIfSaved(join(dir, name), saved);
      if (fh !== null) return { fh, path: join(dir, name) };
    }
  }
  return { fh: null, compressed };
}

/** `path` opened when it is the saved file (device, inode, head) with at least the saved offset; otherwise null. */
async function openIfSaved(path: string, saved: SavedPosition): Promise<FileHandle | null> {
  // stat first: only the one name with the saved inode is opened
  const st = await stat(path).catch(() => null);
  if (st === null || !st.isFile() || st.dev !== saved.dev || st.ino !== saved.ino) return null;
  const fh = await open(path, 'r').catch(() => null);
  if (fh === null) return null;
  // checked again on the open handle: the name may have been given to another file since the stat
  const resumed = await resumeOffset(fh, await fh.stat(), saved).catch(() => ({ offset: null }));
  if (resumed.offset !== null) return fh;
  await fh.close();
  return null;
}

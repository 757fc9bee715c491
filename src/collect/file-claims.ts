/**
 * Which followed path reads which file (device and inode), so that no file is read twice. An operator
 * who follows `app.log` and `app.log.1` (a shell's `app.log*`) had every line twice after each rotation:
 * the rename put the file `app.log`'s follower was reading under `app.log.1`, whose follower read it
 * again from 0. Now a follower that finds its path holding a file another path's follower reads waits
 * until that one lets it go (when the renamed file has been quiet `rotateWaitMs`) and goes on from
 * where it stopped. Two paths of one file (a hard or symbolic link) are read once, by the first.
 *
 * An inode is not given to a new file while a follower holds the old one open, so a claim held is that
 * file; one let go is taken up again only when the file still starts with the bytes it started with
 * then and is as long as the read got (a freed inode goes to the next new file), else it is forgotten.
 */
import type { FileHandle } from 'node:fs/promises';

export type FileKey = string;

/** Bytes of a file's head kept with a claim let go, to tell the same file from a new one on a reused inode. */
const HEAD_BYTES = 256;

/** The key of an open file: its device and inode. */
export async function keyOf(fh: FileHandle): Promise<FileKey> {
  const st = await fh.stat();
  return `${st.dev}:${st.ino}`;
}

interface Claim {
  path: string;
  /** how far its reader got (bytes) */
  pos: number;
  /** let go, with the file's head then: the next path to find this file reads it from `pos` */
  released: Buffer | null;
}

async function head(fh: FileHandle, n: number): Promise<Buffer> {
  const b = Buffer.alloc(n);
  const { bytesRead } = await fh.read(b, 0, n, 0);
  return b.subarray(0, bytesRead);
}

export class FileClaims {
  private readonly claims = new Map<FileKey, Claim>();

  /**
   * `path` would read the open file `fh` (key `key`) from `pos`: the position to read it from (`pos`, or
   * where the path that let it go stopped), or null while another path reads it (ask again later).
   */
  async take(fh: FileHandle, key: FileKey, path: string, pos: number): Promise<number | null> {
    const c = this.claims.get(key);
    if (c !== undefined && c.path !== path && c.released === null) return null;
    let from = pos;
    if (c !== undefined && c.path !== path && c.released !== null) {
      const same = (await fh.stat()).size >= c.pos && (await head(fh, c.released.length)).equals(c.released);
      if (same) from = Math.max(pos, c.pos);
    }
    this.claims.set(key, { path, pos: from, released: null });
    return from;
  }

  /** `path` has read the file `key` up to `pos`. */
  read(key: FileKey, path: string, pos: number): void {
    const c = this.claims.get(key);
    if (c !== undefined && c.path === path) c.pos = pos;
  }

  /** `path` is done with the file `fh` (`key`; still open): another path may read on from where it stopped. */
  async release(fh: FileHandle, key: FileKey, path: string): Promise<void> {
    const c = this.claims.get(key);
    if (c === undefined || c.path !== path) return;
    const st = await fh.stat().catch(() => null);
    // a file deleted (or gone from reach) is found under no path again: its inode will be a new file's
    if (st === null || st.nlink === 0) this.claims.delete(key);
    else c.released = await head(fh, Math.min(HEAD_BYTES, c.pos));
    if (this.claims.size > 10_000) for (const [k, x] of this.claims) if (x.released !== null) this.claims.delete(k);
  }
}

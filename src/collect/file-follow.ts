import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { OpenedFile } from './file-open.js';
import { READ_CHUNK_BYTES, readToEof, type LineStream } from './file-read.js';

/** Sleeps that `wake()` cuts short, so stop() never waits for a poll interval. */
export class Sleeper {
  private readonly sleeping = new Map<NodeJS.Timeout, () => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping.delete(timer);
        resolve();
      }, ms);
      this.sleeping.set(timer, resolve);
    });
  }

  wake(): void {
    for (const [timer, resolve] of this.sleeping) {
      clearTimeout(timer);
      resolve();
    }
    this.sleeping.clear();
  }
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    // Between a rename and the new file's creation the path does not exist: keep the old file.
    return null;
  }
}

/**
 * `tail -F` on one plain file, by polling `stat` (fs.watch misses events on some file systems and
 * after renames). Each poll reads what was appended, then compares the path's inode and size:
 * - another inode (rotation by rename): finish the old file, then read the new one from its start;
 * - a size below our position (copytruncate): read again from 0 (as with tail, a file refilled past
 *   our position between two polls is not noticed);
 * - the path missing: keep reading the old handle and wait for a new file.
 * A line cut by a rotation (no LF at the end of the old file) is stored as it was.
 */
export async function followFile(path: string, s: LineStream, opened: OpenedFile | null, pollMs: number, sleeper: Sleeper): Promise<void> {
  const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let fh = opened?.fh ?? null;
  let pos = opened?.pos ?? 0;
  let ino = -1;
  let dev = -1;
  if (fh !== null) ({ ino, dev } = await fh.stat());
  try {
    while (!s.stopped()) {
      if (fh === null) {
        // A file that appears after start is new data: read from its beginning.
        fh = await open(path, 'r').catch(() => null);
        if (fh === null) {
          await sleeper.sleep(pollMs);
          continue;
        }
        ({ ino, dev } = await fh.stat());
        pos = 0;
      }
      pos = await readToEof(fh, pos, buf, s);
      const now = await statOrNull(path);
      if (now !== null && (now.ino !== ino || now.dev !== dev)) {
        // Rotated: the writer may have written to the old file just before the rename.
        pos = await readToEof(fh, pos, buf, s);
        s.splitter.end();
        await fh.close();
        fh = null;
      } else if (now !== null && now.size < pos) {
        s.splitter.end();
        pos = 0;
      } else {
        await sleeper.sleep(pollMs);
      }
    }
  } finally {
    s.splitter.end();
    await fh?.close();
  }
}

import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { OpenedFile } from './file-open.js';
import { READ_CHUNK_BYTES, readToEof, type LineStream } from './file-read.js';
import type { LineSplitter } from './line-splitter.js';

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

/** A rotated file is still read while it grows (the writer keeps its descriptor until told to reopen), until quiet this long (default). */
export const ROTATE_WAIT_MS = 5_000;

/** A file renamed away by a rotation, with the splitter of its own lines. */
interface Rotated {
  fh: FileHandle;
  pos: number;
  s: LineStream;
  quietSince: number;
}

/**
 * `tail -F` on one plain file, by polling `stat` (fs.watch misses events on some file systems and
 * after renames). Each poll reads what was appended, then compares the path's inode and size:
 * - another inode (rotation by rename): read the new file from its start; the old one is read on
 *   while it grows (logrotate's `create` mode: the writer writes there until its HUP), with a splitter
 *   of its own so that the two files' lines never mix, and closed after `rotateWaitMs` without growth
 *   (its last line, if cut, is stored then);
 * - a size below our position (copytruncate): read again from 0 (as with tail, a file refilled past
 *   our position between two polls is not noticed);
 * - the path missing: keep reading the old handle and wait for a new file.
 * A line cut by a rotation (no LF at the end of the old file) is stored as it was.
 * `splitterFor` gives the splitter of a new file's lines.
 */
export async function followFile(path: string, first: LineStream, opened: OpenedFile | null, t: { pollMs: number; rotateWaitMs: number }, sleeper: Sleeper, splitterFor: () => LineSplitter): Promise<void> {
  const { pollMs, rotateWaitMs } = t;
  const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let s = first;
  let fh = opened?.fh ?? null;
  let pos = opened?.pos ?? 0;
  let ino = -1;
  let dev = -1;
  let rotated: Rotated[] = [];
  const readRotated = async (): Promise<void> => {
    const now = Date.now();
    const kept: Rotated[] = [];
    for (const r of rotated) {
      const at = await readToEof(r.fh, r.pos, buf, r.s);
      if (at > r.pos) r.quietSince = now;
      r.pos = at;
      if (now - r.quietSince < rotateWaitMs && !s.stopped()) kept.push(r);
      else await closeRotated(r);
    }
    rotated = kept;
  };
  if (fh !== null) ({ ino, dev } = await fh.stat());
  try {
    while (!s.stopped()) {
      if (rotated.length > 0) await readRotated();
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
        // Rotated: the writer may have written to the old file just before the rename, and may go on
        pos = await readToEof(fh, pos, buf, s);
        rotated.push({ fh, pos, s, quietSince: Date.now() });
        s = { ...s, splitter: splitterFor() };
        fh = null;
      } else if (now !== null && now.size < pos) {
        s.splitter.end();
        pos = 0;
      } else {
        await sleeper.sleep(pollMs);
      }
    }
  } finally {
    for (const r of rotated) await closeRotated(r, true);
    s.splitter.end();
    await fh?.close();
  }
}

/** Ends a rotated file's last line and closes it; `last` reads what it still holds first (on stop). */
async function closeRotated(r: Rotated, last = false): Promise<void> {
  try {
    if (last) r.pos = await readToEof(r.fh, r.pos, Buffer.allocUnsafe(READ_CHUNK_BYTES), { ...r.s, stopped: () => false });
  } finally {
    r.s.splitter.end();
    await r.fh.close();
  }
}

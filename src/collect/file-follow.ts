import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { keyOf, type FileClaims, type FileKey } from './file-claims.js';
import type { OpenedFile, Resumed } from './file-open.js';
import type { FollowPosition } from './file-positions.js';
import { READ_CHUNK_BYTES, readToEof, type LineStream } from './file-read.js';
import type { LineHandler } from './line-handler.js';
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

/** The path's stats, or null while it is missing or cannot be looked up (`failed` is told why). */
async function statOrNull(path: string, failed: (e: NodeJS.ErrnoException) => void): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (e) {
    // Between a rename and the new file's creation the path does not exist: keep the old file.
    failed(e as NodeJS.ErrnoException);
    return null;
  }
}

/** A rotated file is still read while it grows (the writer keeps its descriptor until told to reopen), until quiet this long (default). */
export const ROTATE_WAIT_MS = 5_000;

export interface FollowOptions {
  pollMs: number;
  rotateWaitMs: number;
  sleeper: Sleeper;
  /** a new splitter that hands its lines to `out` */
  splitter(out: LineHandler): LineSplitter;
  /** the path exists but cannot be opened (EACCES, ELOOP, a directory): called once per cause, retried every poll */
  onUnreadable(e: NodeJS.ErrnoException): void;
  /**
   * With saved positions: told where each file under the path is read from and how far each chunk
   * got; a line cut by stop() is then left for the next start, which resumes at its beginning.
   */
  position?: FollowPosition;
  /**
   * Which file, and from where, is read when the path opens only after start (it was missing or
   * unreadable): by default `fh` from 0; with positions, it may be the file read before a restart,
   * renamed by a rotation (then `fh` is closed, and the path's file is read next, as after any rotation).
   */
  resume?(fh: FileHandle): Promise<Resumed>;
  /** the files every followed path reads (file-claims.ts): a file another path reads is waited for, not read twice */
  claims?: FileClaims;
}

/** A file renamed away by a rotation, with the splitter of its own lines. */
interface Rotated {
  fh: FileHandle;
  key: FileKey | null;
  pos: number;
  s: LineStream;
  quietSince: number;
}

/**
 * Hands a follower's lines on. The line a splitter still holds when stop() ends it was cut there, not
 * ended by its file: `endCut` stores it as `partial` (counted `truncated`) like any other cut line.
 */
class StopCut implements LineHandler {
  private cutting: 'store' | 'drop' | null = null;

  constructor(private readonly out: LineHandler) {}

  /** Ends `splitter` (one made with this handler), its held line stored as cut, or dropped when the next start reads it whole. */
  endCut(splitter: LineSplitter, drop = false): void {
    this.cutting = drop ? 'drop' : 'store';
    try {
      splitter.end();
    } finally {
      this.cutting = null;
    }
  }

  line(text: string, notUtf8 = false): void {
    if (this.cutting === 'store') this.out.cut(text, 'partial', notUtf8);
    else if (this.cutting === null) this.out.line(text, notUtf8);
  }

  cut(text: string, why: 'oversize' | 'partial', notUtf8 = false): void {
    this.out.cut(text, why, notUtf8);
  }

  frameError(): void {
    this.out.frameError();
  }
}

type Reopened = { fh: FileHandle; error?: undefined } | { fh: null; error: NodeJS.ErrnoException };

/** The followed path opened anew, or why it could not be. */
async function reopen(path: string): Promise<Reopened> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    return { fh: null, error: e as NodeJS.ErrnoException };
  }
  // a directory opens for reading and fails only at the first read
  if (!(await fh.stat()).isDirectory()) return { fh };
  await fh.close();
  return { fh: null, error: Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR', path }) };
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
 * - the path missing: keep reading the old handle and wait for a new file;
 * - the path there but not openable (permissions, a symbolic link loop, a directory): the same, and
 *   `onUnreadable` is told once per cause.
 * A file rotated away while nml was down comes as `opened` (or from `t.resume`) when found: it is read
 * from its saved position and then handled as a rotation, since the path holds another file.
 * A line cut by a rotation (no LF at the end of the old file) is stored as it was; a line cut by
 * stop() is stored as `partial`, unless positions are kept (`t.position`): then the next start reads
 * it whole. `lines` is the file's stream; its splitters are made here.
 */
export async function followFile(path: string, lines: Omit<LineStream, 'splitter'>, opened: OpenedFile | null, t: FollowOptions): Promise<void> {
  const { pollMs, rotateWaitMs, sleeper } = t;
  const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  const out = new StopCut(lines.emitter);
  const position = t.position;
  // only the file under the path has its position kept, not one renamed away by a rotation
  const tracked = (x: LineStream): LineStream => (position === undefined ? x : { ...x, afterChunk: (f, at, chunk) => position.read(f, at, chunk) });
  let s: LineStream = tracked({ ...lines, splitter: t.splitter(out) });
  let fh = opened?.fh ?? null;
  /** the first file opened in this run may resume where a previous run left it */
  let first = fh === null;
  /** the errno last reported by `onUnreadable`, until the path opens or goes missing */
  let unreadable: string | undefined;
  // ENOENT: not created yet. Any other failure is told once per cause, then waited out the same way.
  const failed = (e: NodeJS.ErrnoException): void => {
    const code = e.code === 'ENOENT' ? undefined : String(e.code);
    if (code !== undefined && code !== unreadable) t.onUnreadable(e);
    unreadable = code;
  };
  let pos = opened?.pos ?? 0;
  let ino = -1;
  let dev = -1;
  let rotated: Rotated[] = [];
  const claims = t.claims;
  /** the claim on the file under the path (null: not claimed) */
  let key: FileKey | null = null;
  const release = async (f: FileHandle, k: FileKey | null): Promise<void> => {
    if (k !== null) await claims?.release(f, k, path);
  };
  /** `fh` claimed for this path from `pos`: where to read it from, or null while another path reads that file (`fh` is closed) */
  const claim = async (f: FileHandle, from: number): Promise<number | null> => {
    if (claims === undefined) return from;
    const k = await keyOf(f);
    const at = await claims.take(f, k, path, from);
    if (at === null) await f.close();
    else key = k;
    return at;
  };
  const readRotated = async (): Promise<void> => {
    const now = Date.now();
    const kept: Rotated[] = [];
    for (const r of rotated) {
      const at = await readToEof(r.fh, r.pos, buf, r.s);
      if (at > r.pos) r.quietSince = now;
      r.pos = at;
      if (r.key !== null) claims?.read(r.key, path, at);
      if (now - r.quietSince < rotateWaitMs && !s.stopped()) kept.push(r);
      else await closeRotated(r, undefined, () => release(r.fh, r.key));
    }
    rotated = kept;
  };
  if (fh !== null) {
    const at = await claim(fh, pos);
    if (at === null) fh = null;
    else pos = at;
  }
  if (fh !== null) ({ ino, dev } = await fh.stat());
  if (fh !== null) await position?.begin(fh, pos);
  try {
    while (!s.stopped()) {
      if (rotated.length > 0) await readRotated();
      if (fh === null) {
        // A file that appears after start is new data: read from its beginning (the first one of a run
        // resumes where a previous run left it, when that was saved and it is the same file, or the
        // file read then is finished first when a rotation renamed it while nml was down).
        const next = await reopen(path);
        if (next.fh === null) {
          failed(next.error);
          await sleeper.sleep(pollMs);
          continue;
        }
        unreadable = undefined;
        fh = next.fh;
        pos = 0;
        if (first && t.resume !== undefined) ({ fh, pos } = await t.resume(fh));
        first = false;
        const at = await claim(fh, pos);
        if (at === null) {
          // another followed path reads this file (renamed under this path by a rotation): wait for it
          fh = null;
          await sleeper.sleep(pollMs);
          continue;
        }
        pos = at;
        ({ ino, dev } = await fh.stat());
        await position?.begin(fh, pos);
      }
      pos = await readToEof(fh, pos, buf, s);
      if (key !== null) claims?.read(key, path, pos);
      const now = await statOrNull(path, failed);
      if (now !== null) unreadable = undefined;
      if (now !== null && (now.ino !== ino || now.dev !== dev)) {
        // Rotated: the writer may have written to the old file just before the rename, and may go on
        pos = await readToEof(fh, pos, buf, s);
        if (key !== null) claims?.read(key, path, pos);
        rotated.push({ fh, key, pos, s: { ...s, afterChunk: undefined }, quietSince: Date.now() });
        s = tracked({ ...lines, splitter: t.splitter(out) });
        fh = null;
        key = null;
      } else if (now !== null && now.size < pos) {
        s.splitter.end();
        pos = 0;
        await position?.begin(fh, 0);
      } else {
        await sleeper.sleep(pollMs);
      }
    }
  } finally {
    for (const r of rotated) await closeRotated(r, out, () => release(r.fh, r.key));
    out.endCut(s.splitter, position !== undefined);
    if (fh !== null) await release(fh, key);
    await fh?.close();
  }
}

/**
 * Ends a rotated file's last line and closes it. On stop (`stop` given) it first reads what the file
 * still holds, and a last line without LF is stored cut.
 */
async function closeRotated(r: Rotated, stop: StopCut | undefined, release: () => Promise<void>): Promise<void> {
  try {
    if (stop !== undefined) r.pos = await readToEof(r.fh, r.pos, Buffer.allocUnsafe(READ_CHUNK_BYTES), { ...r.s, stopped: () => false });
  } finally {
    if (stop === undefined) r.s.splitter.end();
    else stop.endCut(r.s.splitter);
    await release().catch(() => undefined);
    await r.fh.close();
  }
}

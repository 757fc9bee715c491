import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError, describeCause, writeWholeFile, type RawRecord, type RecordSink } from '../core/index.js';
import { Batcher } from './batcher.js';
import type { BatchOptions, SourceStats } from './source.js';

/** Bytes of a file's head hashed to tell it from another file that took its inode (or the same one refilled). */
export const FINGERPRINT_BYTES = 1024;
/** Positions reach the disk at most this often while following (and once more at stop). */
export const POSITIONS_WRITE_MS = 1_000;

/**
 * Where reading a followed path resumes after a restart: the end of the last complete line whose batch
 * the store acknowledged, in the file told by `dev`, `ino` and the hash of its first `fpLen` bytes.
 */
export interface SavedPosition {
  dev: number;
  ino: number;
  offset: number;
  fpLen: number;
  fp: string;
}

function fingerprint(head: Buffer): string {
  return createHash('sha256').update(head).digest('hex').slice(0, 32);
}

/** The first `n` bytes of a file (fewer when it is shorter). */
async function readHead(fh: FileHandle, n = FINGERPRINT_BYTES): Promise<Buffer> {
  const buf = Buffer.alloc(n);
  const { bytesRead } = await fh.read(buf, 0, n, 0);
  return buf.subarray(0, bytesRead);
}

/**
 * Where to resume a file opened at start, given what was saved for its path: the saved offset when it
 * is the same file (device, inode and head) at least that long; otherwise null, and what happened to it.
 */
export async function resumeOffset(fh: FileHandle, st: Stats, saved: SavedPosition): Promise<{ offset: number } | { offset: null; why: string }> {
  if (st.dev !== saved.dev || st.ino !== saved.ino) return { offset: null, why: 'was replaced by another file (rotated or recreated)' };
  if (st.size < saved.offset) return { offset: null, why: `was truncated (${st.size} bytes, ${saved.offset} were read)` };
  if (fingerprint(await readHead(fh, saved.fpLen)) !== saved.fp) return { offset: null, why: 'was rewritten (truncated and written again: its first bytes differ)' };
  return { offset: saved.offset };
}

/**
 * The positions file (`<data>/collect/file-positions.json`): one entry per followed path, kept for
 * paths no longer followed too (following one again resumes it). Written whole (core's writeWholeFile:
 * a temporary file, synced, renamed over the old one), so a crash leaves the old or the new file, never half of one.
 */
export class PositionBook {
  private entries: Record<string, SavedPosition> = {};
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private lastWrite = 0;
  private failedOnce = false;

  constructor(
    readonly file: string,
    /** told when the file cannot be read or written (once per kind of failure) */
    private readonly report: (e: AppError) => void,
  ) {}

  /** Reads the file; a missing one is an empty book, an unreadable one is reported and ignored. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.report(this.failure('read', e, 'followed files start as if never followed'));
      return;
    }
    try {
      const parsed = JSON.parse(text) as { files?: Record<string, SavedPosition> };
      this.entries = Object.fromEntries(Object.entries(parsed.files ?? {}).filter(([, p]) => isSaved(p)));
    } catch (e) {
      this.report(this.failure('read', e, 'followed files start as if never followed; it is written anew'));
    }
  }

  saved(path: string): SavedPosition | undefined {
    return this.entries[path];
  }

  /** Records a position; the file is written within `POSITIONS_WRITE_MS`. */
  set(path: string, p: SavedPosition): void {
    const old = this.entries[path];
    if (old !== undefined && old.offset === p.offset && old.ino === p.ino && old.dev === p.dev && old.fp === p.fp) return;
    this.entries[path] = p;
    this.dirty = true;
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, Math.max(0, this.lastWrite + POSITIONS_WRITE_MS - Date.now()));
    this.timer.unref();
  }

  /** Writes what changed now (at stop); never rejects: a failure is reported. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    this.lastWrite = Date.now();
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeWholeFile(this.file, JSON.stringify({ version: 1, files: this.entries }, null, 1) + '\n', { mode: 0o600 });
      this.failedOnce = false;
    } catch (e) {
      this.dirty = true;
      if (!this.failedOnce) this.report(this.failure('write', e, 'after a restart lines already stored may be stored again; check the data directory (free space, permissions)'));
      this.failedOnce = true;
    }
  }

  private failure(what: 'read' | 'write', e: unknown, consequence: string): AppError {
    const message = `collect: cannot ${what} the followed files' positions ${this.file}: ${describeCause(e)}; ${consequence}`;
    return new AppError('COLLECT_FILE_POSITIONS_FAILED', 'unavailable', message, { path: this.file }, e);
  }
}

function isSaved(p: unknown): p is SavedPosition {
  const o = p as Record<string, unknown> | null;
  return typeof o === 'object' && o !== null && ['dev', 'ino', 'offset', 'fpLen'].every((k) => Number.isSafeInteger(o[k])) && typeof o['fp'] === 'string';
}

/**
 * Which records the store acknowledged, in the order they were handed to the batcher: every record
 * before `committedUpTo` is committed. A refused batch stops it there for good, so positions never
 * pass lines that were not stored (after a restart they are read again).
 */
export class CommitLedger {
  /** records handed to the batcher so far */
  added = 0;
  committedUpTo = 0;
  /** a batch was refused: `committedUpTo` never passes it */
  refused = false;
  private written = 0;
  private readonly pending: Array<{ end: number; ok: boolean | null }> = [];
  private readonly listeners: Array<() => void> = [];

  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** `inner`, counting what it commits; batches are written in the order their records were added. */
  sink(inner: RecordSink): RecordSink {
    const write = (records: RawRecord[]): Promise<void> => {
      const entry = { end: (this.written += records.length), ok: null as boolean | null };
      this.pending.push(entry);
      let written: Promise<void>;
      try {
        written = inner.write(records);
      } catch (e) {
        written = Promise.reject(e);
      }
      written.then(
        () => this.settled(entry, true),
        () => this.settled(entry, false),
      );
      return written;
    };
    return {
      write,
      get congested() {
        return inner.congested;
      },
      whenDrained: () => inner.whenDrained(),
    };
  }

  private settled(entry: { ok: boolean | null }, ok: boolean): void {
    entry.ok = ok;
    if (!ok) this.refused = true;
    const before = this.committedUpTo;
    while (this.pending[0]?.ok === true) this.committedUpTo = this.pending.shift()!.end;
    if (this.committedUpTo !== before) for (const l of this.listeners) l();
  }
}

/** A batcher that tells its ledger how many records it took. */
export class CountingBatcher extends Batcher {
  constructor(
    sink: RecordSink,
    stats: SourceStats,
    opts: Required<BatchOptions>,
    private readonly ledger: CommitLedger,
  ) {
    super(ledger.sink(sink), stats, opts);
  }

  override add(record: RawRecord): void {
    this.ledger.added++;
    super.add(record);
  }
}

/** One file as read under its path: which one, and its head for the fingerprint. */
interface Incarnation {
  dev: number;
  ino: number;
  head: Buffer;
}

/**
 * One followed path's position. The reader tells it where each chunk ended; the offset after the last
 * LF becomes the saved position once every record read before it is committed.
 */
export class FollowPosition {
  private file: Incarnation | null = null;
  /** bytes after the last LF read from the current file */
  private tail = 0;
  private readonly marks: Array<{ count: number; file: Incarnation; offset: number }> = [];

  constructor(
    private readonly path: string,
    private readonly ledger: CommitLedger,
    private readonly book: PositionBook,
  ) {}

  /** Reading `fh` (a new file under the path, or the same one truncated) begins at `offset`, a line's start. */
  async begin(fh: FileHandle, offset: number): Promise<void> {
    const st = await fh.stat();
    this.file = { dev: st.dev, ino: st.ino, head: await readHead(fh) };
    this.tail = 0;
    this.mark(offset);
  }

  /** A chunk of the current file was read and split, ending at `at`. */
  async read(fh: FileHandle, at: number, chunk: Buffer): Promise<void> {
    if (this.file === null) return;
    const lf = chunk.lastIndexOf(10);
    this.tail = lf === -1 ? this.tail + chunk.length : chunk.length - lf - 1;
    // a file shorter than the fingerprint when opened: its head grows until it is long enough
    if (this.file.head.length < FINGERPRINT_BYTES && at - this.tail > this.file.head.length) this.file.head = await readHead(fh);
    this.mark(at - this.tail);
  }

  /** Moves the saved position over every mark whose records are committed. */
  advance(): void {
    let last: (typeof this.marks)[number] | undefined;
    while (this.marks.length > 0 && this.marks[0]!.count <= this.ledger.committedUpTo) last = this.marks.shift();
    if (last !== undefined) this.save(last.file, last.offset);
  }

  private mark(offset: number): void {
    const file = this.file!;
    const count = this.ledger.added;
    // past a refused batch no mark can ever be reached: keep none rather than grow for as long as nml runs
    if (this.ledger.refused) return;
    if (count <= this.ledger.committedUpTo && this.marks.length === 0) return this.save(file, offset);
    const last = this.marks.at(-1);
    if (last !== undefined && last.count === count && last.file === file) last.offset = offset;
    else this.marks.push({ count, file, offset });
  }

  private save(file: Incarnation, offset: number): void {
    const fpLen = Math.min(file.head.length, offset);
    this.book.set(this.path, { dev: file.dev, ino: file.ino, offset, fpLen, fp: fingerprint(file.head.subarray(0, fpLen)) });
  }
}

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError, type RecordSink } from '../core/index.js';
import { Batcher, resolveBatchOptions } from './batcher.js';
import { alreadyStarted, checkInt, describeCause, optionsInvalid } from './errors.js';
import { followFile, ROTATE_WAIT_MS, Sleeper, type FollowOptions } from './file-follow.js';
import { openAll, type OpenedFile } from './file-open.js';
import { pumpStream, READ_CHUNK_BYTES, readToEof, type LineStream } from './file-read.js';
import { RecordEmitter } from './line-handler.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './line-splitter.js';
import { Finish, type Done } from './finish.js';
import { copyStats, newStats, type BatchOptions, type Source, type SourceStats } from './source.js';

/** A file source's counters: a source's, and how often a followed path could not be opened. */
export interface FileStats extends SourceStats {
  /** times a followed path was there but could not be opened (permissions, a link loop, a directory); each is reported once and retried */
  unreadable: number;
}

/** Something wrong with one file, told when it happens; the other files are read on regardless. */
export interface FileProblem {
  path: string;
  /** what failed and what to do (COLLECT_FILE_OPEN_FAILED or COLLECT_FILE_READ_FAILED) */
  error: AppError;
  /** true: this file is no longer read; false: it is tried again every poll */
  ended: boolean;
}

export interface FileSourceOptions {
  paths: string[];
  /** keep reading appended data and follow rotations, like `tail -F` (default false) */
  follow?: boolean;
  /** in follow mode, read what a file already holds first (default false); a one-shot read always starts at 0 */
  fromStart?: boolean;
  /** follow mode: how often to look for appended data and rotations (default 250 ms) */
  pollIntervalMs?: number;
  /** a rotated file is read on until it has not grown for this long (default 5 s): its writer may write there until told to reopen */
  rotateWaitMs?: number;
  /** default 1 MiB; a longer line keeps its head, counted `oversize` */
  maxLineBytes?: number;
  batch?: BatchOptions;
  /** told of each file that fails or cannot be opened, when it happens (done() settles only at the end) */
  onProblem?: (p: FileProblem) => void;
}

/**
 * Log files, plain or gzip (recognised by magic bytes), split on LF. Reading pauses while the sink
 * is congested. Without `follow`, `done()` resolves once every file is read and committed; a gzip
 * file is always read once, even in follow mode (rotated archives are not appended to).
 */
export class FileSource implements Source {
  readonly name: string;
  private readonly paths: string[];
  private readonly counters: FileStats = { ...newStats(), unreadable: 0 };
  private readonly oversize = new Map<string, { count: number; first: number }>();
  private readonly sleeper = new Sleeper();
  private readonly finish: Finish;
  private readonly onProblem: (p: FileProblem) => void;
  /** one per path; stop() waits for every one of them */
  private readers: Promise<void>[] = [];
  private readonly cfg: Readonly<{ follow: boolean; fromStart: boolean; pollIntervalMs: number; rotateWaitMs: number; maxLineBytes: number; batch: Required<BatchOptions> }>;
  private started = false;
  private stopping = false;

  constructor(opts: FileSourceOptions) {
    if (opts.paths.length === 0) throw optionsInvalid('file paths', 'expected at least one path');
    this.paths = opts.paths.map((p) => resolve(p));
    this.name = `file:${this.paths.join(',')}`;
    this.finish = new Finish(this.name, this.counters);
    this.onProblem = opts.onProblem ?? (() => undefined);
    this.cfg = Object.freeze({
      follow: opts.follow === true,
      fromStart: opts.fromStart === true,
      pollIntervalMs: checkInt('file pollIntervalMs', opts.pollIntervalMs ?? 250, 1, 3_600_000),
      rotateWaitMs: checkInt('file rotateWaitMs', opts.rotateWaitMs ?? ROTATE_WAIT_MS, 0, 3_600_000),
      maxLineBytes: checkInt('file maxLineBytes', opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 1, 1 << 30),
      batch: resolveBatchOptions(opts.batch),
    });
  }

  async start(sink: RecordSink): Promise<void> {
    if (this.started) throw alreadyStarted(this.name);
    this.started = true;
    let opened: Array<OpenedFile | null>;
    try {
      opened = await openAll(this.paths, this.cfg.follow, this.cfg.fromStart);
    } catch (e) {
      this.started = false;
      throw e;
    }
    const batcher = new Batcher(sink, this.counters, this.cfg.batch);
    this.readers = this.paths.map((path, i) => this.readOne(path, opened[i] ?? null, batcher));
    this.finish.track(allRead(this.readers), batcher);
  }

  async stop(): Promise<void> {
    if (this.started && !this.stopping) {
      this.stopping = true;
      this.sleeper.wake();
    }
    await Promise.allSettled(this.readers);
    await this.finish.settled();
  }

  stats(): FileStats {
    return { ...copyStats(this.counters), unreadable: this.counters.unreadable };
  }

  /**
   * Per file with lines over `maxLineBytes` (stored as their head): how many, and the first one's line
   * number (of the file as read from its start; in follow mode, counted from where reading began).
   */
  oversizeLines(): { path: string; count: number; firstLine: number }[] {
    return [...this.oversize].filter(([, o]) => o.count > 0).map(([path, o]) => ({ path, count: o.count, firstLine: o.first }));
  }

  /** Resolves once reading ended (end of every file, or stop() in follow mode) and every batch is committed. */
  done(): Promise<Done> {
    return this.finish.promise;
  }

  private followOptions(path: string): FollowOptions {
    return {
      pollMs: this.cfg.pollIntervalMs,
      rotateWaitMs: this.cfg.rotateWaitMs,
      sleeper: this.sleeper,
      splitter: (out) => new LineSplitter(out, this.cfg.maxLineBytes),
      onUnreadable: (e) => {
        this.counters.unreadable++;
        const errno = String(e.code);
        const message = `collect: cannot open ${path} to follow it (${errno}): ${unreadableReason(e)}; tried again every ${this.cfg.pollIntervalMs} ms`;
        this.onProblem({ path, error: new AppError('COLLECT_FILE_OPEN_FAILED', 'unavailable', message, { path, errno }, e), ended: false });
      },
    };
  }

  private async readOne(path: string, opened: OpenedFile | null, batcher: Batcher): Promise<void> {
    const emitter = new RecordEmitter(batcher, this.counters, `file:${path}`);
    this.oversize.set(path, emitter.oversize);
    const splitter = new LineSplitter(emitter, this.cfg.maxLineBytes);
    const s: LineStream = { splitter, emitter, batcher, stats: this.counters, stopped: () => this.stopping };
    try {
      if (opened?.pipe === true) await pumpStream(pipeChunks(opened.fh), s);
      else if (opened?.gzip === true) await pumpStream(gunzip(opened.fh), s);
      else if (this.cfg.follow) await followFile(path, { emitter, batcher, stats: this.counters, stopped: s.stopped }, opened, this.followOptions(path));
      else if (opened !== null) {
        await readToEof(opened.fh, 0, Buffer.allocUnsafe(READ_CHUNK_BYTES), s);
        splitter.end();
      }
    } catch (e) {
      // zlib codes (Z_DATA_ERROR, ...) mean a corrupt archive: bad input, not an unavailable disk.
      const code = String((e as { code?: unknown }).code ?? '');
      const kind = code.startsWith('Z_') ? 'bad_request' : 'unavailable';
      const error = new AppError('COLLECT_FILE_READ_FAILED', kind, `collect: cannot read ${path}: ${describeCause(e)}`, { path }, e);
      this.onProblem({ path, error, ended: true });
      throw error;
    } finally {
      // followFile may have closed it already on rotation; a second close() is a no-op.
      await opened?.fh.close().catch(() => undefined);
    }
  }
}

/** Waits for every file's reader: one failing never cuts the others short. Rejects with the failures. */
async function allRead(readers: Promise<void>[]): Promise<void> {
  const failures: unknown[] = [];
  for (const r of await Promise.allSettled(readers)) if (r.status === 'rejected') failures.push(r.reason);
  if (failures.length === 0) return;
  if (failures.length === 1) throw failures[0];
  const first = failures[0] as AppError;
  const each = failures.map((e) => (e instanceof Error ? e.message : String(e)).replace(/^collect: /, ''));
  throw new AppError(first.code, first.kind, `collect: ${failures.length} files failed: ${each.join('; ')}`, { failures: each }, new AggregateError(failures));
}

/** Why a followed path that is there cannot be opened, and what to do, by its errno. */
export function unreadableReason(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied; make it readable by the user nml runs as (${userName()})`;
    case 'ELOOP':
      return 'a loop of symbolic links; point the link at the log file';
    case 'EISDIR':
      return 'a directory, not a file; it is read once a file takes its place';
    default:
      return `${describeCause(e)}; check the path and its permissions`;
  }
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Decompressed chunks; a read error or corrupt data surfaces through the iterator. */
function gunzip(fh: FileHandle | Readable): Readable {
  const gz = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  const source = 'fd' in fh ? createReadStream('', { fd: fh, autoClose: false, highWaterMark: READ_CHUNK_BYTES }) : fh;
  pipeline(source, gz, () => undefined);
  return gz;
}

/** A pipe's chunks to its end, decompressed when its first bytes are gzip's magic. */
async function* pipeChunks(fh: FileHandle): AsyncGenerator<Buffer> {
  const it = (createReadStream('', { fd: fh, autoClose: false, highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) return;
  async function* all(): AsyncGenerator<Buffer> {
    yield first.value;
    for (let n = await it.next(); n.done !== true; n = await it.next()) yield n.value;
  }
  const head = first.value;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) yield* gunzip(Readable.from(all())) as AsyncIterable<Buffer>;
  else yield* all();
}

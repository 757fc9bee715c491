import { stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError, describeCause, type RecordSink } from '../core/index.js';
import { Batcher, resolveBatchOptions } from './batcher.js';
import { alreadyStarted, checkHost, checkInt, openAdvice, optionsInvalid } from './errors.js';
import { followFifo } from './file-fifo.js';
import { followFile, ROTATE_WAIT_MS, Sleeper, type FollowOptions } from './file-follow.js';
import { FileClaims } from './file-claims.js';
import { openAll, resumeFollowed, type Opening } from './file-open.js';
import { gunzip, pipeChunks } from './file-pipe.js';
import { isZlibError } from './gzip-sniff.js';
import { checkedText, notTextRefused } from './not-text.js';
import { CommitLedger, CountingBatcher, FollowPosition, PositionBook } from './file-positions.js';
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

/** Something worth a warning that is not a failure: a path given twice, a glob, a file replaced while not followed. */
export interface FileNotice {
  path: string;
  message: string;
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
  /** told of what start() noticed about the followed paths (warnings) */
  onNotice?: (n: FileNotice) => void;
  /**
   * Follow mode: where each followed file's position is kept (e.g. `<data>/collect/file-positions.json`),
   * so that a restart resumes after the last line the store acknowledged. Without it following
   * starts at each file's end (or start, `fromStart`) every time.
   */
  positionsFile?: string;
  /** read without following: a file or pipe whose start is not text is stored as it is instead of refused (COLLECT_NOT_TEXT) */
  binaryOk?: boolean;
  /**
   * the host of lines whose header names none: one for every file (`nml ingest --host`), or one per file,
   * asked with each file's absolute path (`files.follow` entries; undefined: none). Absent: none.
   */
  host?: string | ((path: string) => string | undefined);
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
  /** each path's oversize lines, and its lines stored with U+FFFD for bytes that are not UTF-8 (the emitter's counts) */
  private readonly flagged = new Map<string, Pick<RecordEmitter, 'oversize' | 'notUtf8'>>();
  private readonly sleeper = new Sleeper();
  /** the files the followed paths read: a rotation that renames one path's file under another is not read twice (file-claims.ts) */
  private readonly claims = new FileClaims();
  private readonly finish: Finish;
  private readonly onProblem: (p: FileProblem) => void;
  private readonly onNotice: (n: FileNotice) => void;
  /** aborted at stop(): destroys a followed pipe's stream, which may wait for a silent writer */
  private readonly stopSignal = new AbortController();
  private readonly book: PositionBook | null;
  private readonly ledger = new CommitLedger();
  /** one per path; stop() waits for every one of them */
  private readers: Promise<void>[] = [];
  private readonly cfg: Readonly<{ follow: boolean; fromStart: boolean; binaryOk: boolean; pollIntervalMs: number; rotateWaitMs: number; maxLineBytes: number; batch: Required<BatchOptions> }>;
  private started = false;
  private stopping = false;
  private readonly hostFor: (path: string) => string | undefined;

  constructor(opts: FileSourceOptions) {
    if (opts.paths.length === 0) throw optionsInvalid('file paths', 'expected at least one path');
    this.paths = opts.paths.map((p) => resolve(p));
    this.name = `file:${this.paths.join(',')}`;
    this.finish = new Finish(this.name, this.counters);
    this.onProblem = opts.onProblem ?? (() => undefined);
    this.onNotice = opts.onNotice ?? (() => undefined);
    const host = opts.host;
    this.hostFor = typeof host === 'function' ? (p) => checkHost(`host of ${p}`, host(p)) : ((h) => () => h)(checkHost('file host', host));
    const positionsFile = opts.follow === true ? opts.positionsFile : undefined;
    this.book = positionsFile === undefined ? null : new PositionBook(resolve(positionsFile), (error) => this.onProblem({ path: error.details?.['path'] as string, error, ended: false }));
    this.cfg = Object.freeze({
      follow: opts.follow === true,
      fromStart: opts.fromStart === true,
      binaryOk: opts.binaryOk === true,
      pollIntervalMs: checkInt('file pollIntervalMs', opts.pollIntervalMs ?? 250, 1, 3_600_000),
      rotateWaitMs: checkInt('file rotateWaitMs', opts.rotateWaitMs ?? ROTATE_WAIT_MS, 0, 3_600_000),
      maxLineBytes: checkInt('file maxLineBytes', opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 1, 1 << 30),
      batch: resolveBatchOptions(opts.batch),
    });
  }

  /** The host each path's lines get where their header names none (null: none): what /api/stats shows. */
  hosts(): { path: string; host: string | null }[] {
    return this.paths.map((path) => ({ path, host: this.hostFor(path) ?? null }));
  }

  async start(sink: RecordSink): Promise<void> {
    if (this.started) throw alreadyStarted(this.name);
    this.started = true;
    let opened: Opening[];
    let paths = this.paths;
    try {
      if (this.cfg.follow) paths = await this.followedPaths();
      await this.book?.load();
      opened = await openAll(paths, { follow: this.cfg.follow, fromStart: this.cfg.fromStart, binaryOk: this.cfg.binaryOk, ...(this.book === null ? {} : { book: this.book }), notice: this.notice });
    } catch (e) {
      this.started = false;
      throw e;
    }
    const batcher = this.book === null ? new Batcher(sink, this.counters, this.cfg.batch) : new CountingBatcher(sink, this.counters, this.cfg.batch, this.ledger);
    this.readers = paths.map((path, i) => this.readOne(path, opened[i] ?? null, batcher));
    this.finish.track(allRead(this.readers), batcher);
  }

  private readonly notice = (path: string, message: string): void => this.onNotice({ path, message });

  /**
   * The paths to follow, each file once (`a.log`, `./a.log` and a link to it would store every line
   * twice); a missing path that looks like a glob is told: patterns are not expanded.
   */
  private async followedPaths(): Promise<string[]> {
    const first = new Map<string, string>();
    const kept: string[] = [];
    for (const path of this.paths) {
      const st = await stat(path).catch(() => null);
      if (st === null && /[*?[]/.test(path)) {
        this.notice(path, `collect: ${path} does not exist and looks like a glob pattern; followed paths are not expanded: list each file (files.follow), or let the shell expand an unquoted pattern (nml serve --follow /var/log/app/*.log). It is waited for under this very name`);
      }
      const key = st === null ? `path ${path}` : `file ${st.dev}:${st.ino}`;
      const same = first.get(key);
      if (same === undefined) {
        first.set(key, path);
        kept.push(path);
      } else this.notice(path, `collect: ${path} ${same === path ? 'is given twice' : `is the same file as ${same}`}; it is followed once, under ${same}`);
    }
    return kept;
  }

  async stop(): Promise<void> {
    if (this.started && !this.stopping) {
      this.stopping = true;
      this.sleeper.wake();
      this.stopSignal.abort();
    }
    await Promise.allSettled(this.readers);
    await this.finish.settled();
    // every batch has settled: the positions now cover all that was committed
    await this.book?.flush();
  }

  stats(): FileStats {
    return { ...copyStats(this.counters), unreadable: this.counters.unreadable };
  }

  /**
   * Per file with lines over `maxLineBytes` (stored as their head): how many, and the first one's line
   * number (of the file as read from its start; in follow mode, counted from where reading began).
   */
  oversizeLines(): { path: string; count: number; firstLine: number }[] {
    return this.flaggedLines('oversize');
  }

  /** Per path, the lines stored with U+FFFD in place of bytes that are not UTF-8, and the number of the first. */
  notUtf8Lines(): { path: string; count: number; firstLine: number }[] {
    return this.flaggedLines('notUtf8');
  }

  private flaggedLines(kind: 'oversize' | 'notUtf8'): { path: string; count: number; firstLine: number }[] {
    return [...this.flagged].filter(([, e]) => e[kind].count > 0).map(([path, e]) => ({ path, count: e[kind].count, firstLine: e[kind].first }));
  }

  /** Resolves once reading ended (end of every file, or stop() in follow mode) and every batch is committed. */
  done(): Promise<Done> {
    return this.finish.promise;
  }

  private followOptions(path: string): FollowOptions {
    const book = this.book;
    return {
      ...(book === null ? {} : { position: this.position(path, book), resume: async (fh) => (await resumeFollowed(path, fh, { book, notice: this.notice })) ?? { fh, pos: 0 } }),
      pollMs: this.cfg.pollIntervalMs,
      rotateWaitMs: this.cfg.rotateWaitMs,
      sleeper: this.sleeper,
      claims: this.claims,
      splitter: (out) => new LineSplitter(out, this.cfg.maxLineBytes),
      onUnreadable: (e) => {
        this.counters.unreadable++;
        const errno = String(e.code);
        const message = `collect: cannot open ${path} to follow it (${errno}): ${unreadableReason(e)}; tried again every ${this.cfg.pollIntervalMs} ms`;
        this.onProblem({ path, error: new AppError('COLLECT_FILE_OPEN_FAILED', 'unavailable', message, { path, errno }, e), ended: false });
      },
    };
  }

  /** A followed path's position, moved on as the store commits. */
  private position(path: string, book: PositionBook): FollowPosition {
    const position = new FollowPosition(path, this.ledger, book);
    this.ledger.onAdvance(() => position.advance());
    return position;
  }

  /**
   * A gzip file is read whole, once. Following with positions, it is marked read once its lines are
   * committed, and one read before a restart is not read again (rotated archives do not change).
   */
  private async readGzip(path: string, fh: FileHandle, alreadyRead: boolean, s: LineStream): Promise<void> {
    if (alreadyRead) return;
    await pumpStream(gunzip(fh), s);
    // a read cut by stop() is not marked: the next start reads the archive again rather than lose its rest
    if (this.book !== null && !this.stopping) await this.position(path, this.book).begin(fh, (await fh.stat()).size);
  }

  private async readOne(path: string, opening: Opening, batcher: Batcher): Promise<void> {
    const emitter = new RecordEmitter(batcher, this.counters, `file:${path}`, true, this.hostFor(path));
    this.flagged.set(path, emitter);
    const splitter = new LineSplitter(emitter, this.cfg.maxLineBytes);
    const s: LineStream = { splitter, emitter, batcher, stats: this.counters, stopped: () => this.stopping };
    const opened = opening === 'fifo' ? null : opening;
    try {
      if (opening === 'fifo') await followFifo(path, s, this.stopSignal.signal, (ms) => this.sleeper.sleep(ms), this.cfg.pollIntervalMs);
      else if (opened?.pipe === true) await pumpStream(this.cfg.follow || this.cfg.binaryOk ? pipeChunks(opened.fh) : checkedText(pipeChunks(opened.fh), (v) => notTextRefused(path, v, path)), s);
      else if (opened?.gzip === true) await this.readGzip(path, opened.fh, opened.alreadyRead === true, s);
      else if (this.cfg.follow) await followFile(path, { emitter, batcher, stats: this.counters, stopped: s.stopped }, opened, this.followOptions(path));
      else if (opened !== null) {
        await readToEof(opened.fh, 0, Buffer.allocUnsafe(READ_CHUNK_BYTES), s);
        splitter.end();
      }
    } catch (e) {
      if (e instanceof AppError && e.code === 'COLLECT_NOT_TEXT') {
        this.onProblem({ path, error: e, ended: true });
        throw e;
      }
      // zlib codes (Z_DATA_ERROR, ...) mean a corrupt archive: bad input, not an unavailable disk.
      const kind = isZlibError(e) ? 'bad_request' : 'unavailable';
      // followed, it is a server log line, where the prefix says which part spoke; read whole, the person named the file
      const error = new AppError('COLLECT_FILE_READ_FAILED', kind, `${this.cfg.follow ? 'collect: ' : ''}cannot read ${path}: ${describeCause(e)}`, { path }, e);
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
  throw new AppError(first.code, first.kind, `${failures.length} files failed: ${each.join('; ')}`, { failures: each }, new AggregateError(failures));
}

/** Why a followed path that is there cannot be opened, and what to do, by its errno (the advice is fileOpenFailed's). */
export function unreadableReason(e: NodeJS.ErrnoException): string {
  if (e.code === 'EISDIR') return 'a directory, not a file; it is read once a file takes its place';
  return `${describeCause(e)}; ${openAdvice(e.code)}`;
}

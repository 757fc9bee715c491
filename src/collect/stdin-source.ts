import type { Readable } from 'node:stream';
import { AppError, describeCause, type RecordSink } from '../core/index.js';
import { Batcher, resolveBatchOptions } from './batcher.js';
import { alreadyStarted, checkHost, checkInt } from './errors.js';
import { pumpStream } from './file-read.js';
import { Finish, type Done } from './finish.js';
import { isZlibError, sniffGunzip } from './gzip-sniff.js';
import { RecordEmitter } from './line-handler.js';
import { checkedText, notTextRefused } from './not-text.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './line-splitter.js';
import { copyStats, newStats, type BatchOptions, type Source, type SourceStats } from './source.js';

export interface StdinSourceOptions {
  /** default process.stdin */
  stream?: Readable;
  /** default 1 MiB; a longer line keeps its head, counted `oversize` */
  maxLineBytes?: number;
  batch?: BatchOptions;
  /** input whose start is not text is stored as it is instead of refused (COLLECT_NOT_TEXT; `nml ingest --binary-ok`) */
  binaryOk?: boolean;
  /** the host of lines whose header names none (`nml ingest --host`); absent: none */
  host?: string;
}

/**
 * Lines from a readable stream (stdin by default), split on LF like a file; gzip (told by its first
 * bytes, as for a file) is decompressed as it comes. Reading waits while the sink is congested;
 * `done()` resolves once the stream ended and every line is committed.
 */
export class StdinSource implements Source {
  readonly name = 'stdin';
  private readonly counters = newStats();
  private readonly finish = new Finish(this.name, this.counters);
  private readonly stream: Readable;
  private readonly maxLineBytes: number;
  private readonly batch: Required<BatchOptions>;
  private readonly binaryOk: boolean;
  private readonly host: string | undefined;
  private started = false;
  private stopping = false;

  constructor(opts: StdinSourceOptions = {}) {
    this.stream = opts.stream ?? process.stdin;
    this.maxLineBytes = checkInt('stdin maxLineBytes', opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 1, 1 << 30);
    this.batch = resolveBatchOptions(opts.batch);
    this.binaryOk = opts.binaryOk === true;
    this.host = checkHost('stdin host', opts.host);
  }

  async start(sink: RecordSink): Promise<void> {
    if (this.started) throw alreadyStarted(this.name);
    this.started = true;
    const batcher = new Batcher(sink, this.counters, this.batch);
    const emitter = new RecordEmitter(batcher, this.counters, this.name, true, this.host);
    const splitter = new LineSplitter(emitter, this.maxLineBytes);
    const chunks = this.binaryOk ? sniffGunzip(this.stream) : checkedText(sniffGunzip(this.stream), (v) => notTextRefused('the input', v));
    const reading = pumpStream(chunks, { splitter, emitter, batcher, stats: this.counters, stopped: () => this.stopping }).catch((e: unknown) => {
      throw readFailed(e);
    });
    this.finish.track(reading, batcher);
  }

  /** Stops reading at the next chunk; an idle stream is not waited for. */
  async stop(): Promise<void> {
    if (!this.started) return;
    if (!this.stopping) {
      this.stopping = true;
      // A stream that sends nothing would keep the read pending forever: end it from here.
      if (!this.stream.readableEnded) this.stream.destroy();
    }
    await this.finish.settled();
  }

  stats(): SourceStats {
    return copyStats(this.counters);
  }

  /** Resolves once the stream ended (or stop()) and every line is committed. */
  done(): Promise<Done> {
    return this.finish.promise;
  }
}

/** A corrupt or cut-short archive is bad input (exit status 2), said so; anything else is the stream failing. Only `nml ingest` reads stdin: no `collect:` prefix. */
function readFailed(e: unknown): AppError {
  // the sniffer's own refusal (an xz or bzip2 stream) says what and what to do already: bad input, exit 2
  if (e instanceof AppError) return e;
  if (isZlibError(e)) {
    const message = `cannot read stdin: its gzip data is corrupt or cut short (${describeCause(e)}); check the archive with 'gzip -t'`;
    return new AppError('COLLECT_STREAM_READ_FAILED', 'bad_request', message, { gzip: true }, e);
  }
  return new AppError('COLLECT_STREAM_READ_FAILED', 'unavailable', `cannot read stdin: ${describeCause(e)}`, undefined, e);
}

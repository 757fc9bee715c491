/**
 * The writer as the rest of the process sees it: a RecordSink over N writer lanes (worker threads,
 * one per core by default). `write` resolves once the lane has committed the batch; the pool is
 * congested while more than `highWaterLines` lines or `highWaterBytes` of text wait, and drained again
 * once both are under half of that (bytes too: 400,000 lines of 256 KiB each are 100 GiB).
 */
import { Worker } from 'node:worker_threads';
import { AppError, fromErrorData } from '../core/index.js';
import type { RawRecord, RecordSink } from '../core/index.js';
import type { ShardEvent } from './shard-set.js';
import type { FromLane, LaneData, RecordColumns, ToLane } from './writer-protocol.js';
import { storedSource } from './stored-source.js';

export interface WriterPoolOptions {
  /** the worker script: a module that calls runWriterLane with a preparer (see src/writer.worker.ts) */
  workerUrl: URL;
  lanes: number;
  laneData: Omit<LaneData, 'shardSet'> & { shardSet: Omit<LaneData['shardSet'], 'lane'> };
  highWaterLines: number;
  /** waiting text, counted in UTF-16 code units of the lines (bytes for ASCII); default DEFAULT_HIGH_WATER_BYTES */
  highWaterBytes?: number;
  onShardEvents: (events: ShardEvent[]) => void;
  /** what went wrong outside a batch (a catalog that could not take the lanes' reports, a lane that failed to start) */
  onProblem?: (message: string) => void;
}

const YOUNG_GEN_MB = 64;
export const DEFAULT_HIGH_WATER_BYTES = 256 * 1024 * 1024;

interface Pending {
  lines: number;
  bytes: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Lane {
  worker: Worker;
  outstanding: number;
  pending: Map<number, Pending>;
  /** failed ('error' and 'exit' both report it once); while it waits to be restarted no batch goes to it */
  dead: boolean;
}

/** restart delays after the second failure in a row: 250 ms, doubling, at most 30 s (a lane that cannot start spun a core) */
const FIRST_RESTART_MS = 250;
const MAX_RESTART_MS = 30_000;
/** lines kept raw because the preparer threw are reported at most this often (a parser bug can hit every round) */
const UNPREPARED_REPORT_MS = 60_000;

export class WriterPool implements RecordSink {
  private readonly lanes: Lane[] = [];
  private readonly opts: WriterPoolOptions;
  private nextId = 1;
  private outstanding = 0;
  private outstandingBytes = 0;
  private readonly highWaterBytes: number;
  private drainWaiters: (() => void)[] = [];
  private closing = false;
  private readonly restarts = new Set<NodeJS.Timeout>();
  /** per lane index, failures in a row (reset by any message from it): the restart delay grows with them */
  private readonly failures: number[] = [];
  committedLines = 0;
  failedLines = 0;
  /** commit rounds whose lines were stored but whose relation edges could not be written */
  relationFailures = 0;
  /** lines the lanes' preparer threw for (a parser bug), stored raw at their receive time instead of refused */
  unpreparedLines = 0;
  private unpreparedUnreported = 0;
  private unpreparedReportedAt = -Infinity;

  constructor(opts: WriterPoolOptions) {
    this.opts = opts;
    this.highWaterBytes = opts.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;
    for (let i = 0; i < opts.lanes; i++) this.lanes.push(this.spawn(i));
  }

  get congested(): boolean {
    return this.outstanding > this.opts.highWaterLines || this.outstandingBytes > this.highWaterBytes;
  }

  get queuedLines(): number {
    return this.outstanding;
  }

  /** text waiting in the lanes' queues (UTF-16 code units of the lines) */
  get queuedBytes(): number {
    return this.outstandingBytes;
  }

  private get drained(): boolean {
    return this.outstanding <= this.opts.highWaterLines / 2 && this.outstandingBytes <= this.highWaterBytes / 2;
  }

  whenDrained(): Promise<void> {
    if (this.drained) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  write(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const lines = new Array<string>(records.length);
    const receivedAt = new Float64Array(records.length);
    const first = records[0]!.source;
    const firstHost = records[0]!.host;
    let sameSource = true;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      lines[i] = r.line;
      receivedAt[i] = r.receivedAt;
      if (r.source !== first || r.host !== firstHost) sameSource = false;
    }
    // a line's host travels in its stored source (stored-source.ts): one string a batch in the common case
    const sources = sameSource ? storedSource(first, firstHost) : records.map((r) => storedSource(r.source, r.host));
    return this.writeColumns({ lines, receivedAt, sources });
  }

  writeColumns(batch: RecordColumns): Promise<void> {
    // a batch refused before it reaches a lane is as lost as one a lane refused: counted in failedLines too
    if (this.closing) return this.refuse(batch, new AppError('STORE_CLOSED', 'unavailable', 'store: writer is shutting down, batch not accepted'));
    let lane: Lane | null = null;
    for (const l of this.lanes) if (!l.dead && (lane === null || l.outstanding < lane.outstanding)) lane = l;
    if (lane === null) {
      return this.refuse(batch, new AppError('STORE_UNAVAILABLE', 'unavailable', 'store: no writer lane is running (they failed and are being restarted), batch not committed; resend later and check the server log'));
    }
    const id = this.nextId++;
    const n = batch.lines.length;
    let bytes = 0;
    for (const l of batch.lines) bytes += l.length;
    lane.outstanding += n;
    this.outstanding += n;
    this.outstandingBytes += bytes;
    return new Promise<void>((resolve, reject) => {
      lane.pending.set(id, { lines: n, bytes, resolve, reject });
      lane.worker.postMessage({ type: 'write', id, batch } satisfies ToLane);
    });
  }

  private refuse(batch: RecordColumns, error: AppError): Promise<void> {
    this.failedLines += batch.lines.length;
    return Promise.reject(error);
  }

  /** Commits what is queued and seals every shard whose slot has closed (used at the end of a bulk ingest). */
  async flush(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => this.control(lane, 'flush')));
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.restarts) clearTimeout(t);
    this.restarts.clear();
    const closed = await Promise.allSettled(this.lanes.map((lane) => this.control(lane, 'close')));
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
    const failed = closed.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private control(lane: Lane, type: 'flush' | 'close'): Promise<void> {
    // a lane waiting to be restarted holds nothing to commit
    if (lane.dead) return Promise.resolve();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      lane.pending.set(id, { lines: 0, bytes: 0, resolve, reject });
      lane.worker.postMessage({ type, id } satisfies ToLane);
    });
  }

  private spawn(index: number): Lane {
    const data: LaneData = { ...this.opts.laneData, shardSet: { ...this.opts.laneData.shardSet, lane: index } };
    // a larger young generation: a lane allocates an event, its text and terms per line, and the
    // default semi-space makes it scavenge every few thousand lines
    const worker = new Worker(this.opts.workerUrl, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB } });
    const lane: Lane = { worker, outstanding: 0, pending: new Map(), dead: false };
    worker.on('message', (m: FromLane) => {
      this.failures[index] = 0;
      this.onMessage(lane, m);
    });
    worker.on('error', (e) => this.failLane(lane, index, e));
    // also while closing: a lane that dies then must not leave its close unsettled
    worker.on('exit', (code) => this.failLane(lane, index, new Error(`writer lane ${index} exited with code ${code}`)));
    return lane;
  }

  /**
   * Hands shard events to the catalog. This runs in the worker's 'message' listener: a throw there would
   * end the process and leave the message's batches unsettled, so a failure is reported instead.
   */
  private report(events: ShardEvent[]): void {
    try {
      this.opts.onShardEvents(events);
    } catch (e) {
      this.opts.onProblem?.(`store: the catalog could not take ${events.length} shard report(s) from a writer lane (${(e as Error).message}); those lines are stored, and the next start finds their shards`);
    }
  }

  private onMessage(lane: Lane, m: FromLane): void {
    if (m.type === 'shards') {
      this.report(m.shards);
      return;
    }
    if (m.type === 'unprepared') {
      this.noteUnprepared(m.lines, m.error);
      return;
    }
    if (m.shards !== undefined && m.shards.length > 0) this.report(m.shards);
    if (m.type === 'ack' && m.relationFailed === true) this.relationFailures++;
    const ids = m.type === 'closed' ? [m.id] : m.ids;
    const error = m.type === 'nack' ? fromErrorData(m.error) : null;
    const partial = new Set(m.type === 'nack' ? (m.partial ?? []) : []);
    for (const id of ids) {
      const p = lane.pending.get(id);
      if (p === undefined) continue;
      lane.pending.delete(id);
      this.settle(lane, p, error !== null && partial.has(id) ? partlyStored(error) : error);
    }
  }

  private noteUnprepared(lines: number, error: string): void {
    this.unpreparedLines += lines;
    this.unpreparedUnreported += lines;
    const now = Date.now();
    if (now - this.unpreparedReportedAt < UNPREPARED_REPORT_MS) return;
    this.unpreparedReportedAt = now;
    this.opts.onProblem?.(
      `store: the line preparer failed on ${this.unpreparedUnreported} line(s) (${error}); they were stored raw at their receive time, without fields or relations (search them with format:raw) instead of refusing their batches. This is a parser bug: report it with such a line`,
    );
    this.unpreparedUnreported = 0;
  }

  private settle(lane: Lane, p: Pending, error: Error | null): void {
    lane.outstanding -= p.lines;
    this.outstanding -= p.lines;
    this.outstandingBytes -= p.bytes;
    if (error === null) {
      this.committedLines += p.lines;
      p.resolve();
    } else {
      this.failedLines += p.lines;
      p.reject(error);
    }
    if (this.drainWaiters.length > 0 && this.drained) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  private failLane(lane: Lane, index: number, cause: unknown): void {
    if (lane.dead) return;
    lane.dead = true;
    const error = new AppError('STORE_UNAVAILABLE', 'unavailable', `store: writer lane ${index} failed, batch not committed`, undefined, cause);
    for (const p of lane.pending.values()) this.settle(lane, p, error);
    lane.pending.clear();
    if (this.closing) return;
    // the first failure restarts at once; one in a row after another waits, longer each time
    const failures = (this.failures[index] = (this.failures[index] ?? 0) + 1);
    const delay = failures === 1 ? 0 : Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** (failures - 2));
    const why = cause instanceof Error ? cause.message : String(cause);
    this.opts.onProblem?.(`store: writer lane ${index} failed (${why}); ${delay === 0 ? 'restarting it' : `restarting it in ${delay} ms (failure ${failures} in a row)`}`);
    const restart = (): void => {
      const i = this.lanes.indexOf(lane);
      if (!this.closing && i >= 0) this.lanes[i] = this.spawn(index);
    };
    if (delay === 0) return restart();
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      restart();
    }, delay);
    timer.unref();
    this.restarts.add(timer);
  }
}

/** A refused batch some of whose lines were committed before the failure: the sender must know that a resend repeats them. */
function partlyStored(cause: Error): AppError {
  return new AppError('STORE_PARTLY_WRITTEN', 'unavailable', `store: a write failed after part of this batch was committed (${cause.message}); some of its lines are stored and searchable, so sending it again stores those twice`, undefined, cause);
}

/**
 * The writer as the rest of the process sees it: a RecordSink over N writer lanes (worker threads,
 * one per core by default). `write` resolves once the lane has committed the batch; the pool is
 * congested while more than `highWaterLines` lines wait, and drained again under half of that.
 */
import { Worker } from 'node:worker_threads';
import { AppError, fromErrorData } from '../core/index.js';
import type { RawRecord, RecordSink } from '../core/index.js';
import type { ShardEvent } from './shard-set.js';
import type { FromLane, LaneData, RecordColumns, ToLane } from './writer-protocol.js';

export interface WriterPoolOptions {
  /** the worker script: a module that calls runWriterLane with a preparer (see src/writer.worker.ts) */
  workerUrl: URL;
  lanes: number;
  laneData: Omit<LaneData, 'shardSet'> & { shardSet: Omit<LaneData['shardSet'], 'lane'> };
  highWaterLines: number;
  onShardEvents: (events: ShardEvent[]) => void;
}

const YOUNG_GEN_MB = 64;

interface Pending {
  lines: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Lane {
  worker: Worker;
  outstanding: number;
  pending: Map<number, Pending>;
}

export class WriterPool implements RecordSink {
  private readonly lanes: Lane[] = [];
  private readonly opts: WriterPoolOptions;
  private nextId = 1;
  private outstanding = 0;
  private drainWaiters: (() => void)[] = [];
  private closing = false;
  committedLines = 0;
  failedLines = 0;
  /** commit rounds whose lines were stored but whose relation edges could not be written */
  relationFailures = 0;

  constructor(opts: WriterPoolOptions) {
    this.opts = opts;
    for (let i = 0; i < opts.lanes; i++) this.lanes.push(this.spawn(i));
  }

  get congested(): boolean {
    return this.outstanding > this.opts.highWaterLines;
  }

  get queuedLines(): number {
    return this.outstanding;
  }

  whenDrained(): Promise<void> {
    if (this.outstanding <= this.opts.highWaterLines / 2) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  write(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const lines = new Array<string>(records.length);
    const receivedAt = new Float64Array(records.length);
    const first = records[0]!.source;
    let sameSource = true;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      lines[i] = r.line;
      receivedAt[i] = r.receivedAt;
      if (r.source !== first) sameSource = false;
    }
    const sources = sameSource ? first : records.map((r) => r.source);
    return this.writeColumns({ lines, receivedAt, sources });
  }

  writeColumns(batch: RecordColumns): Promise<void> {
    if (this.closing) return Promise.reject(new AppError('STORE_CLOSED', 'unavailable', 'store: writer is shutting down, batch not accepted'));
    let lane = this.lanes[0]!;
    for (const l of this.lanes) if (l.outstanding < lane.outstanding) lane = l;
    const id = this.nextId++;
    const n = batch.lines.length;
    lane.outstanding += n;
    this.outstanding += n;
    return new Promise<void>((resolve, reject) => {
      lane.pending.set(id, { lines: n, resolve, reject });
      lane.worker.postMessage({ type: 'write', id, batch } satisfies ToLane);
    });
  }

  /** Commits what is queued and seals every shard whose slot has closed (used at the end of a bulk ingest). */
  async flush(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => this.control(lane, 'flush')));
  }

  async close(): Promise<void> {
    this.closing = true;
    const closed = await Promise.allSettled(this.lanes.map((lane) => this.control(lane, 'close')));
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
    const failed = closed.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private control(lane: Lane, type: 'flush' | 'close'): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      lane.pending.set(id, { lines: 0, resolve, reject });
      lane.worker.postMessage({ type, id } satisfies ToLane);
    });
  }

  private spawn(index: number): Lane {
    const data: LaneData = { ...this.opts.laneData, shardSet: { ...this.opts.laneData.shardSet, lane: index } };
    // a larger young generation: a lane allocates an event, its text and terms per line, and the
    // default semi-space makes it scavenge every few thousand lines
    const worker = new Worker(this.opts.workerUrl, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB } });
    const lane: Lane = { worker, outstanding: 0, pending: new Map() };
    worker.on('message', (m: FromLane) => this.onMessage(lane, m));
    worker.on('error', (e) => this.failLane(lane, index, e));
    worker.on('exit', (code) => {
      if (!this.closing) this.failLane(lane, index, new Error(`writer lane ${index} exited with code ${code}`));
    });
    return lane;
  }

  private onMessage(lane: Lane, m: FromLane): void {
    if (m.type === 'shards') {
      this.opts.onShardEvents(m.shards);
      return;
    }
    if (m.shards !== undefined && m.shards.length > 0) this.opts.onShardEvents(m.shards);
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

  private settle(lane: Lane, p: Pending, error: Error | null): void {
    lane.outstanding -= p.lines;
    this.outstanding -= p.lines;
    if (error === null) {
      this.committedLines += p.lines;
      p.resolve();
    } else {
      this.failedLines += p.lines;
      p.reject(error);
    }
    if (this.drainWaiters.length > 0 && this.outstanding <= this.opts.highWaterLines / 2) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  private failLane(lane: Lane, index: number, cause: unknown): void {
    const error = new AppError('STORE_UNAVAILABLE', 'unavailable', `store: writer lane ${index} failed, batch not committed`, undefined, cause);
    for (const p of lane.pending.values()) this.settle(lane, p, error);
    lane.pending.clear();
    if (this.closing) return;
    const i = this.lanes.indexOf(lane);
    if (i >= 0) this.lanes[i] = this.spawn(index);
  }
}

/** A refused batch some of whose lines were committed before the failure: the sender must know that a resend repeats them. */
function partlyStored(cause: Error): AppError {
  return new AppError('STORE_PARTLY_WRITTEN', 'unavailable', `store: a write failed after part of this batch was committed (${cause.message}); some of its lines are stored and searchable, so sending it again stores those twice`, undefined, cause);
}

import type { RawRecord, RecordSink } from '../core/index.js';
import { checkInt } from './errors.js';
import type { BatchOptions, SourceStats } from './source.js';

export const DEFAULT_BATCH = Object.freeze({ maxRecords: 1000, lingerMs: 5, maxInFlight: 4 });

export function resolveBatchOptions(o: BatchOptions = {}): Required<BatchOptions> {
  return Object.freeze({
    maxRecords: checkInt('batch.maxRecords', o.maxRecords ?? DEFAULT_BATCH.maxRecords, 1, 1_000_000),
    lingerMs: checkInt('batch.lingerMs', o.lingerMs ?? DEFAULT_BATCH.lingerMs, 0, 60_000),
    maxInFlight: checkInt('batch.maxInFlight', o.maxInFlight ?? DEFAULT_BATCH.maxInFlight, 1, 10_000),
  });
}

/**
 * Groups records into batches for one sink: a batch leaves at `maxRecords` or `lingerMs` after its
 * first record, whichever comes first. Counts batches, commits and failed writes in `stats`.
 */
export class Batcher {
  /** the first rejection from the sink, kept so a finite read can report it */
  firstError: unknown = undefined;
  private batch: RawRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlightCount = 0;
  private settleWaiters: Array<() => void> = [];

  constructor(
    private readonly sink: RecordSink,
    private readonly stats: SourceStats,
    private readonly opts: Required<BatchOptions>,
  ) {}

  add(record: RawRecord): void {
    this.batch.push(record);
    if (this.batch.length >= this.opts.maxRecords) this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.opts.lingerMs);
  }

  /** Hands the current partial batch to the sink now. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.stats.batches++;
    this.inFlightCount++;
    let written: Promise<void>;
    try {
      written = this.sink.write(batch);
    } catch (e) {
      written = Promise.reject(e);
    }
    written.then(
      () => this.settled(batch.length, undefined),
      (e: unknown) => this.settled(batch.length, e ?? new Error('sink rejected without a reason')),
    );
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** True when a pausable source should stop reading: the sink is congested or too many batches await commit. */
  get saturated(): boolean {
    return this.sink.congested || this.inFlightCount > this.opts.maxInFlight;
  }

  /** Resolves once `saturated` is false. */
  async room(): Promise<void> {
    for (;;) {
      if (this.sink.congested) await this.sink.whenDrained();
      else if (this.inFlightCount > this.opts.maxInFlight) await this.nextSettle();
      else return;
    }
  }

  /** Flushes, then resolves once every batch handed over has been committed or has failed. */
  async settle(): Promise<void> {
    this.flush();
    while (this.inFlightCount > 0) await this.nextSettle();
  }

  private nextSettle(): Promise<void> {
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  private settled(count: number, error: unknown): void {
    this.inFlightCount--;
    if (error === undefined) this.stats.committed += count;
    else {
      // The sink refused the batch: these records are lost, so they are counted, never silent.
      this.stats.drops.write_failed += count;
      if (this.firstError === undefined) this.firstError = error;
    }
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const wake of waiters) wake();
  }
}

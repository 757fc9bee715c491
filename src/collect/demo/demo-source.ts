/**
 * The demo traffic source `npm start` runs for a new user: the generator's lines, stamped with the
 * real time, handed to the sink at a steady rate in small batches. A collect `Source` like the others.
 */
import { AppError, type RawRecord, type RecordSink } from '../../core/index.js';
import { copyStats, newStats, type Source, type SourceStats } from '../source.js';
import { createGenerator, type Generator } from './generator.js';

export interface DemoSourceOptions {
  /** lines per second; default 200 */
  rate?: number;
  /** default: a new seed each run, so two demos differ */
  seed?: number;
  /** how often a batch goes out, ms; default 100 */
  tickMs?: number;
  /** the clock; default Date.now */
  now?: () => number;
}

export type DemoSourceStats = SourceStats;

/** After a stall longer than this (a laptop asleep), the schedule restarts instead of catching up. */
const MAX_BACKLOG_SECONDS = 2;
/** The most records one `sink.write` gets, as every source keeps. */
const MAX_BATCH = 1000;

export class DemoSource implements Source {
  readonly name = 'demo';
  private readonly rate: number;
  private readonly tickMs: number;
  private readonly seed: number;
  private readonly now: () => number;
  private readonly counters: DemoSourceStats;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** the schedule: lines due since `since` at `rate`, and how many of those were handled */
  private since = 0;
  private handled = 0;

  constructor(opts: DemoSourceOptions = {}) {
    this.rate = opts.rate ?? 200;
    this.tickMs = opts.tickMs ?? 100;
    this.seed = opts.seed ?? Math.floor(Math.random() * 0x7fffffff);
    this.now = opts.now ?? Date.now;
    if (!(this.rate > 0 && this.rate <= 1_000_000)) throw invalid(`rate must be above 0 and at most 1000000 lines per second, got ${this.rate}`);
    if (!(Number.isInteger(this.tickMs) && this.tickMs >= 1)) throw invalid(`tickMs must be a positive integer, got ${this.tickMs}`);
    this.counters = newStats();
  }

  async start(sink: RecordSink): Promise<void> {
    if (this.started) throw new AppError('COLLECT_ALREADY_STARTED', 'conflict', 'collect: demo already started');
    this.started = true;
    const gen = createGenerator({ seed: this.seed, now: this.now });
    this.since = this.now();
    this.handled = 0;
    this.timer = setInterval(() => this.tick(gen, sink), this.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  stats(): DemoSourceStats {
    return copyStats(this.counters);
  }

  private tick(gen: Generator, sink: RecordSink): void {
    const now = this.now();
    let due = Math.floor(((now - this.since) / 1000) * this.rate) - this.handled;
    if (due > this.rate * MAX_BACKLOG_SECONDS) {
      this.since = now;
      this.handled = 0;
      due = Math.ceil((this.rate * this.tickMs) / 1000);
    }
    if (due <= 0) return;
    this.handled += due;
    this.counters.received += due;
    if (sink.congested) {
      this.counters.drops.queue_full += due;
      return;
    }
    for (let left = due; left > 0; left -= MAX_BATCH) this.send(gen, sink, Math.min(MAX_BATCH, left));
  }

  private send(gen: Generator, sink: RecordSink, n: number): void {
    const batch: RawRecord[] = [];
    for (let i = 0; i < n; i++) {
      const { line, time } = gen.next();
      batch.push({ line, receivedAt: time, source: 'demo' });
      this.counters.bytes += line.length + 1;
    }
    this.counters.batches++;
    const write = sink.write(batch).then(
      () => void (this.counters.committed += batch.length),
      () => void (this.counters.drops.write_failed += batch.length),
    );
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write));
  }
}

function invalid(why: string): AppError {
  return new AppError('DEMO_OPTIONS_INVALID', 'bad_request', `demo source: ${why}`);
}

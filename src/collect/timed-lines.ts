/**
 * A source of lines each due at its own time: each is handed to the sink once the clock has passed it,
 * stamped with that time, in small batches. `nml serve --demo` feeds the firewall's log of the demo SYN
 * capture through it, on the same clock the capture is replayed on.
 */
import { AppError, type RawRecord, type RecordSink } from '../core/index.js';
import { copyStats, newStats, type Source, type SourceStats } from './source.js';

export interface TimedLinesOptions {
  /** the lines, by time (ms since the epoch) */
  lines: readonly { time: number; line: string }[];
  /** shown as the records' source and this source's name */
  name: string;
  /** how often due lines go out, ms; default 250 */
  tickMs?: number;
  /** the clock; default Date.now */
  now?: () => number;
}

/** The most records one `sink.write` gets, as every source keeps. */
const MAX_BATCH = 1000;

export class TimedLinesSource implements Source {
  readonly name: string;
  private readonly lines: readonly { time: number; line: string }[];
  private readonly tickMs: number;
  private readonly now: () => number;
  private readonly counters: SourceStats = newStats();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private next = 0;
  private sink: RecordSink | null = null;

  constructor(opts: TimedLinesOptions) {
    this.name = opts.name;
    this.lines = opts.lines;
    this.tickMs = opts.tickMs ?? 250;
    this.now = opts.now ?? Date.now;
    for (let i = 1; i < this.lines.length; i++) {
      if (this.lines[i]!.time < this.lines[i - 1]!.time) throw new AppError('COLLECT_OPTIONS_INVALID', 'bad_request', `collect: ${this.name}: line ${i + 1} is due before line ${i}; give the lines in time order`);
    }
  }

  async start(sink: RecordSink): Promise<void> {
    if (this.sink !== null) throw new AppError('COLLECT_ALREADY_STARTED', 'conflict', `collect: ${this.name} already started`);
    this.sink = sink;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  stats(): SourceStats {
    return copyStats(this.counters);
  }

  /** Lines not yet handed to the sink. */
  get pending(): number {
    return this.lines.length - this.next;
  }

  private tick(): void {
    const sink = this.sink!;
    const now = this.now();
    // a congested store is waited out: the lines stay due and go with a later tick, none is dropped
    while (this.next < this.lines.length && this.lines[this.next]!.time <= now && !sink.congested) {
      const batch: RawRecord[] = [];
      while (batch.length < MAX_BATCH && this.next < this.lines.length && this.lines[this.next]!.time <= now) {
        const { time, line } = this.lines[this.next++]!;
        batch.push({ line, receivedAt: time, source: this.name });
        this.counters.bytes += Buffer.byteLength(line) + 1;
      }
      this.counters.received += batch.length;
      this.counters.batches++;
      const write = sink.write(batch).then(
        () => void (this.counters.committed += batch.length),
        () => void (this.counters.drops.write_failed += batch.length),
      );
      this.inFlight.add(write);
      void write.finally(() => this.inFlight.delete(write));
    }
    if (this.next === this.lines.length && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

/**
 * The numbers behind `/api/stats` and `/metrics`: store and source counters as they are now, plus
 * ingest rates from committed lines sampled once a second (and at every request). Rates are timed by a
 * monotonic clock (`performance.now()`), never the wall clock: an NTP step back of 30 s made the
 * 1-s rate read 31 times the truth.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { StoreStats } from '../store/index.js';
import type { StatsResponse } from './api.js';
import type { AppDeps } from './deps.js';
import { RateMeter } from './rate-meter.js';
import { residentSplit } from './process-memory.js';

const SAMPLE_EVERY_MS = 1000;

export class StatsService {
  private readonly meter = new RateMeter(61_000);
  private timer: NodeJS.Timeout | null = null;

  /** @param monotonic ms from a clock that never goes back (tests inject one); rates must not move when the wall clock is stepped */
  constructor(
    private readonly deps: Pick<AppDeps, 'storeStats' | 'sourceStats' | 'detectorStats' | 'notifyStats' | 'backupStats' | 'watchStats'>,
    private readonly log: FastifyBaseLogger,
    private readonly monotonic: () => number,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      try {
        this.sampleStore();
      } catch (err) {
        this.log.warn({ err }, 'stats: cannot sample store counters');
      }
    }, SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private sampleStore(): StoreStats {
    const store = this.deps.storeStats();
    this.meter.sample(this.monotonic(), store.committedLines);
    return store;
  }

  snapshot(): StatsResponse {
    const store = this.sampleStore();
    return {
      store,
      sources: this.deps.sourceStats(),
      ingest: {
        linesPerSecond: { last1s: this.meter.rate(1000), last60s: this.meter.rate(60_000) },
        committed: store.committedLines,
        failed: store.failedLines,
        queued: store.queuedLines,
      },
      process: { uptimeS: process.uptime(), rssBytes: process.memoryUsage.rss(), ...residentSplit() },
      ...(this.deps.detectorStats === undefined ? {} : { detectors: this.deps.detectorStats() }),
      ...(this.deps.notifyStats === undefined ? {} : { findingsNotify: this.deps.notifyStats() }),
      ...(this.deps.backupStats === undefined ? {} : { backup: this.deps.backupStats() }),
      ...(this.deps.watchStats === undefined ? {} : { watches: this.deps.watchStats() }),
    };
  }
}

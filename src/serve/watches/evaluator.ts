/**
 * The watches' evaluator in `nml serve`: a loop that, each tick (1 s), reads the watches again (so those
 * the CLI changed are seen) and counts each one that is due, one after another, never two at once: the
 * search pool serves interactive searches beside at most one watch's count, and a slow count delays the
 * next ones rather than piling up; after each count it rests as long as the count took, so even when every
 * watch is due at once they hold the pool at most half the time. A watch is due when it was never counted, was changed since (an edit is
 * counted at once), or its `every` has passed since its last count. A count at or above the threshold
 * records a finding (detector `watch`, entity `watch:<name>`): the findings store's upsert counts repeated
 * trips, reopens a resolved one and tells the webhooks. A failed count is kept as the watch's `error`,
 * logged at the first failure of a streak and when it counts again, never thrown. `close()` stops the
 * count under way and waits for it: no evaluation outlives it, and none records after it.
 */
import { describeCause, isAppError } from '../../core/index.js';
import type { FindingsSink, NewFinding } from '../../detect/index.js';
import { countedQuery, everyMs, spanWords, windowMs, WATCH_DETECTOR, type Watch, type WatchRun } from './spec.js';
import type { WatchStore } from './store.js';

/** What the evaluator counts with: the Searcher's `count`. */
export type WatchCount = (query: string, range: { from: number; to: number }, signal?: AbortSignal) => Promise<{ count: number; skipped?: readonly unknown[] }>;

export interface WatchLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface WatchEvaluatorOptions {
  store: Pick<WatchStore, 'list' | 'recordRun'>;
  count: WatchCount;
  sink: FindingsSink;
  log: WatchLog;
  now?: () => number;
  /** how often due watches are looked for (default 1 s; tests shorten it) */
  tickMs?: number;
  /**
   * after each count, a rest of this many times as long as it took before the next (default 1): in a burst
   * (every watch due at once: a start, many edits) watches hold the search pool at most half the time
   */
  restRatio?: number;
}

export interface WatchStats {
  /** watches stored, and of them enabled */
  watches: number;
  enabled: number;
  /** evaluations since start, and those whose count failed */
  evaluations: number;
  errors: number;
}

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** The finding a tripped watch records. */
export function watchFinding(w: Watch, count: number, from: number, to: number, skipped = 0): NewFinding {
  // a count that left damaged shards out is a lower bound, and says so
  const partial = skipped === 0 ? '' : ` (at least: ${skipped} damaged or missing ${skipped === 1 ? 'shard' : 'shards'} left out)`;
  const summary = `${count} ${count === 1 ? 'line' : 'lines'}${partial} matched \`${w.query}\` in the ${spanWords(w.window)} to ${hhmm(to)} UTC (threshold ${w.threshold})`;
  return {
    detector: WATCH_DETECTOR,
    entity: `watch:${w.name}`,
    score: 1,
    threshold: w.threshold,
    modelVersion: 'watch',
    time: to,
    explanation: { summary, detail: { watchId: w.id, count, window: w.window, every: w.every, threshold: w.threshold, from, to, ...(skipped === 0 ? {} : { skipped }) } },
    evidence: { query: countedQuery(w.query), from, to },
  };
}

export class WatchEvaluator {
  private readonly now: () => number;
  private readonly tickMs: number;
  private readonly restRatio: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private closed = false;
  /** ids whose last count failed: a streak is logged once */
  private readonly failing = new Set<number>();
  private woken = false;
  private counters = { evaluations: 0, errors: 0 };
  private lastList: readonly Watch[] = [];

  constructor(private readonly opts: WatchEvaluatorOptions) {
    this.now = opts.now ?? Date.now;
    this.tickMs = opts.tickMs ?? 1000;
    this.restRatio = opts.restRatio ?? 1;
  }

  start(): void {
    if (this.closed || this.timer !== null) return;
    this.schedule(0);
  }

  /** Looks for due watches now (after an edit) instead of at the next tick; a pass under way is not doubled. */
  wake(): void {
    if (this.closed) return;
    if (this.running !== null) {
      this.woken = true;
      return;
    }
    this.schedule(0);
  }

  stats(): WatchStats {
    const list = this.lastList;
    return { watches: list.length, enabled: list.filter((w) => w.enabled).length, ...this.counters };
  }

  /** Stops the loop and the count under way, and waits for the pass to end. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.pass().finally(() => {
        this.running = null;
        const again = this.woken;
        this.woken = false;
        this.schedule(again ? 0 : this.tickMs);
      });
    }, ms);
    this.timer.unref();
  }

  /** One pass: every due watch counted, one after another. */
  private async pass(): Promise<void> {
    let list: Watch[];
    try {
      list = this.opts.store.list();
    } catch (e) {
      this.opts.log.warn({ err: e }, 'watches: the watches could not be read from watches.db; the next tick tries again');
      return;
    }
    this.lastList = list;
    for (const w of list) {
      if (this.closed) return;
      if (!w.enabled || !this.due(w)) continue;
      const started = performance.now();
      await this.evaluate(w);
      await this.rest((performance.now() - started) * this.restRatio);
    }
  }

  /** Waits `ms`, or less when closed meanwhile. */
  private rest(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  private due(w: Watch): boolean {
    if (w.last === null || w.last.at < w.updatedAt) return true;
    let every: number;
    try {
      every = everyMs(w.every);
    } catch {
      every = 60_000;
    }
    return this.now() >= w.last.at + every;
  }

  private async evaluate(w: Watch): Promise<void> {
    const to = this.now();
    let from = to;
    let run: WatchRun;
    try {
      from = to - windowMs(w.window);
      const counted = await this.opts.count(countedQuery(w.query), { from, to }, this.abort.signal);
      if (this.closed) return;
      const { count } = counted;
      const skipped = counted.skipped?.length ?? 0;
      const fired = count >= w.threshold;
      if (fired) this.opts.sink.record([watchFinding(w, count, from, to, skipped)]);
      run = { at: this.now(), from, to, count, fired, ...(skipped === 0 ? {} : { skipped }) };
      if (this.failing.delete(w.id)) this.opts.log.info({ watch: w.name, watchId: w.id, count }, `watch ${JSON.stringify(w.name)}: counts again (${count} lines in the last ${spanWords(w.window)})`);
    } catch (e) {
      if (this.closed) return;
      const error = isAppError(e) ? { code: e.code, message: e.message } : { code: 'WATCH_EVAL_FAILED', message: `watch: the count failed: ${describeCause(e)}` };
      run = { at: this.now(), from, to, count: null, fired: false, error };
      this.counters.errors++;
      if (!this.failing.has(w.id)) {
        this.failing.add(w.id);
        this.opts.log.warn({ watch: w.name, watchId: w.id, code: error.code }, `watch ${JSON.stringify(w.name)}: its count failed (${error.message}); it is tried again every ${w.every}, and said here again when it counts`);
      }
    }
    this.counters.evaluations++;
    try {
      this.opts.store.recordRun(w.id, run);
    } catch (e) {
      this.opts.log.warn({ err: e, watchId: w.id }, `watch ${JSON.stringify(w.name)}: its last evaluation could not be written to watches.db`);
    }
  }
}


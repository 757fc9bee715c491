/**
 * Watches wired into `nml serve`: the store (`<data>/watches.db`), the routes' side of it, and, when
 * `watches.enabled`, the evaluator that counts each due watch with the Searcher, one after another, and
 * records a finding through the detectors' guarded sink when one trips (serve/watches/evaluator.ts).
 * `close()` stops the evaluator (the count under way is cancelled and awaited) before the store closes.
 */
import { join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { NmlConfig } from './config-types.js';
import { AppError, describeCause, isAppError } from './core/index.js';
import type { FindingsSink } from './detect/index.js';
import type { Searcher } from './search/index.js';
import { WatchEvaluator, WatchStore, WATCHES_FILE, type AppDeps } from './serve/index.js';

export interface RunningWatches {
  store: WatchStore;
  evaluator: WatchEvaluator | null;
  /** what buildApp takes: the routes' dependency and the counters of /api/stats and /metrics */
  deps: Required<Pick<AppDeps, 'watches' | 'watchStats'>>;
  close(): Promise<void>;
}

/** Opens `<data>/watches.db` (WATCH_DB_UNAVAILABLE when it cannot be) and starts the evaluator unless `watches.enabled` is false. */
export function openWatches(config: Readonly<NmlConfig>, searcher: Pick<Searcher, 'count'>, sink: FindingsSink, logger: FastifyBaseLogger, tickMs?: number): RunningWatches {
  const path = join(resolve(config.dataDir), WATCHES_FILE);
  let store: WatchStore;
  try {
    store = new WatchStore(path, { max: config.watches.max });
  } catch (e) {
    const cause = isAppError(e) && e.cause !== undefined ? e.cause : e;
    throw new AppError('WATCH_DB_UNAVAILABLE', 'unavailable', `serve: cannot open the watches file ${path}: ${describeCause(cause)}; check the file's permissions and the free disk space, or, if it is damaged, move it aside (a new, empty one is made) or restore it from a backup`, { path }, cause);
  }
  const evaluator = config.watches.enabled
    ? new WatchEvaluator({ store, count: (q, range, signal) => searcher.count(q, range, signal), sink, log: logger, ...(tickMs === undefined ? {} : { tickMs }) })
    : null;
  evaluator?.start();
  const n = store.list().length;
  logger.info({ watches: n, enabled: evaluator !== null }, evaluator === null ? `watches: ${n} stored, not counted (watches.enabled is false)` : `watches: ${n} stored, counted one after another as each falls due`);
  return {
    store,
    evaluator,
    deps: {
      watches: { store, evaluating: evaluator !== null, wake: () => evaluator?.wake() },
      watchStats: () => {
        if (evaluator !== null) return evaluator.stats();
        const list = store.list();
        return { watches: list.length, enabled: list.filter((w) => w.enabled).length, evaluations: 0, errors: 0 };
      },
    },
    async close() {
      await evaluator?.close();
      store.close();
    },
  };
}

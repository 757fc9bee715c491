/**
 * Findings retention: findings last seen more than `maxAgeMs` ago are deleted, once at start and then
 * every `everyMs`. A finding's times are those of its evidence (a replayed log's findings are as old as
 * its lines), as the log store's retention goes by its lines' times.
 */
import type { FindingsStore } from './store.js';

export interface FindingsRetention {
  maxAgeMs: number;
  /** how often to check (default hourly) */
  everyMs?: number;
  now?: () => number;
  /** after a pass that deleted some: how many, and the cutoff (ms) */
  onPruned: (removed: number, before: number) => void;
  /** a failed pass (a locked or full disk): the next pass tries again */
  onError: (err: unknown) => void;
}

/** Starts the passes; returns the function that stops them. */
export function startFindingsRetention(store: Pick<FindingsStore, 'prune'>, r: FindingsRetention): () => void {
  const now = r.now ?? Date.now;
  const pass = (): void => {
    const before = now() - r.maxAgeMs;
    try {
      const removed = store.prune(before);
      if (removed > 0) r.onPruned(removed, before);
    } catch (e) {
      r.onError(e);
    }
  };
  pass();
  const timer = setInterval(pass, r.everyMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}

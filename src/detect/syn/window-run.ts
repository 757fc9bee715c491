/**
 * A host's score from its window scores in time order: the highest mean over RUN consecutive windows
 * (the mean of them all where the host has RUN windows or fewer). The plain mean over all windows let a
 * busy ordinary host that also scans hide the scan: its scan windows score near 1 and its browsing
 * windows near 0 (models/syn/MODEL_CARD.md). On the real captures both give the same hosts found.
 */
export const RUN = 4;

/** Running state over filled windows; `score` adds the latest, partial window where there is one. */
export class WindowRun {
  private n = 0;
  private sum = 0;
  private best = -Infinity;
  /** the last RUN − 1 filled scores */
  private tail: number[] = [];

  push(p: number): void {
    this.n++;
    this.sum += p;
    this.tail.push(p);
    if (this.tail.length === RUN) {
      this.best = Math.max(this.best, this.tail.reduce((a, b) => a + b, 0) / RUN);
      this.tail.shift();
    }
  }

  get windows(): number {
    return this.n;
  }

  /** The host's score with `partial` (the latest window, not yet filled) as its last window, if given. */
  score(partial?: number): number {
    if (partial === undefined) return this.n <= RUN ? (this.n === 0 ? 0 : this.sum / this.n) : this.best;
    if (this.n + 1 <= RUN) return (this.sum + partial) / (this.n + 1);
    return Math.max(this.best, (this.tail.reduce((a, b) => a + b, 0) + partial) / RUN);
  }
}

/** The score of a host whose window scores, in time order, are `scores`. */
export function runScore(scores: readonly number[]): number {
  const r = new WindowRun();
  for (const p of scores) r.push(p);
  return r.score();
}

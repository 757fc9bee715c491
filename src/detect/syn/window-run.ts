/**
 * A host's score from its window scores in time order: the highest mean over RUN consecutive windows
 * (the mean of them all where the host has RUN windows or fewer). The plain mean over all windows let a
 * busy ordinary host that also scans hide the scan: its scan windows score near 1 and its browsing
 * windows near 0 (models/syn/MODEL_CARD.md). On the real captures both give the same hosts found.
 */
export const RUN = 4;

/** Running state over filled windows; `score` adds the latest, partial window where there is one. */
export class WindowRun {
  private readonly s: RunSummary = { n: 0, sum: 0, best: -Infinity, head: [], tail: [] };

  push(p: number): void {
    const s = this.s;
    s.n++;
    s.sum += p;
    if (s.head.length < RUN - 1) s.head.push(p);
    s.tail.push(p);
    if (s.tail.length === RUN) {
      s.best = Math.max(s.best, s.tail.reduce((a, b) => a + b, 0) / RUN);
      s.tail.shift();
    }
  }

  get windows(): number {
    return this.s.n;
  }

  /** The host's score with `partial` (the latest window, not yet filled) as its last window, if given. */
  score(partial?: number): number {
    const s = this.s;
    if (partial === undefined) return summaryScore(s);
    if (s.n + 1 <= RUN) return (s.sum + partial) / (s.n + 1);
    return Math.max(s.best, (s.tail.reduce((a, b) => a + b, 0) + partial) / RUN);
  }

  /** What `joinRuns` needs of these windows, with `partial` as the last one if given. */
  summary(partial?: number): RunSummary {
    const s: RunSummary = { ...this.s, head: this.s.head.slice(), tail: this.s.tail.slice() };
    return partial === undefined ? s : joinRuns(s, { n: 1, sum: partial, best: -Infinity, head: [partial], tail: [partial] });
  }
}

/**
 * A host's windows summed up so that two stretches of them join exactly (a host the live board dropped
 * and saw again has one per stay): count, sum, the best run inside, the first and last RUN − 1 scores.
 */
export interface RunSummary {
  n: number;
  sum: number;
  best: number;
  head: number[];
  tail: number[];
}

/** `a`'s windows followed by `b`'s, as if scored in one stretch: runs across the join come from a's tail and b's head. */
export function joinRuns(a: RunSummary, b: RunSummary): RunSummary {
  const seam = [...a.tail, ...b.head];
  let best = Math.max(a.best, b.best);
  for (let i = 0; i + RUN <= seam.length; i++) best = Math.max(best, seam.slice(i, i + RUN).reduce((x, y) => x + y, 0) / RUN);
  return {
    n: a.n + b.n,
    sum: a.sum + b.sum,
    best,
    head: a.head.length >= RUN - 1 ? a.head.slice() : [...a.head, ...b.head].slice(0, RUN - 1),
    tail: b.tail.length >= RUN - 1 ? b.tail.slice() : [...a.tail, ...b.tail].slice(-(RUN - 1)),
  };
}

/** The host score of a summary: as `WindowRun.score()`. */
export function summaryScore(s: RunSummary): number {
  return s.n <= RUN ? (s.n === 0 ? 0 : s.sum / s.n) : s.best;
}

/** The score of a host whose window scores, in time order, are `scores`. */
export function runScore(scores: readonly number[]): number {
  const r = new WindowRun();
  for (const p of scores) r.push(p);
  return r.score();
}

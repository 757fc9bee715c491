/** Learning the ranking weights from labelled pairs: logistic regression, then coordinate ascent on precision@5. */
import type { Candidate } from './similar.js';

export interface TrainQuery {
  cands: Candidate[];
  /** relevance of each candidate (same label as the query) */
  rel: boolean[];
  /** relevant incidents in the whole base (for nDCG) */
  relevantTotal: number;
}

export function precisionAt(rel: readonly boolean[], k: number): number {
  let n = 0;
  for (let i = 0; i < k; i++) if (rel[i] === true) n++;
  return n / k;
}

export function ndcgAt(rel: readonly boolean[], k: number, relevantTotal: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, rel.length); i++) if (rel[i] === true) dcg += 1 / Math.log2(i + 2);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, relevantTotal); i++) idcg += 1 / Math.log2(i + 2);
  return idcg === 0 ? 0 : dcg / idcg;
}

function ranked(q: TrainQuery, w: readonly number[]): boolean[] {
  return q.cands
    .map((c, i) => ({ i, s: c.features.reduce((acc, f, j) => acc + f * (w[j] ?? 0), 0), b: c.bm25, d: c.doc }))
    .sort((a, b) => b.s - a.s || b.b - a.b || a.d - b.d)
    .map((x) => q.rel[x.i] === true);
}

/** Mean precision@5 plus a tenth of nDCG@10 (the tie-breaker) over the queries. */
export function objective(qs: readonly TrainQuery[], w: readonly number[]): number {
  let s = 0;
  for (const q of qs) {
    const r = ranked(q, w);
    s += precisionAt(r, 5) + 0.1 * ndcgAt(r, 10, q.relevantTotal);
  }
  return s / Math.max(1, qs.length);
}

/** Logistic regression on every (query, candidate) pair; full-batch gradient descent, L2. Deterministic. */
export function logisticRegression(qs: readonly TrainQuery[], dims: number, epochs = 300, rate = 0.5, l2 = 1e-3): number[] {
  const w = new Array<number>(dims + 1).fill(0); // last: bias
  const xs: number[][] = [];
  const ys: number[] = [];
  for (const q of qs) q.cands.forEach((c, i) => (xs.push(c.features), ys.push(q.rel[i] === true ? 1 : 0)));
  const n = Math.max(1, xs.length);
  for (let e = 0; e < epochs; e++) {
    const g = new Array<number>(dims + 1).fill(0);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number[];
      let z = w[dims] as number;
      for (let j = 0; j < dims; j++) z += (w[j] as number) * (x[j] as number);
      const err = 1 / (1 + Math.exp(-z)) - (ys[i] as number);
      for (let j = 0; j < dims; j++) g[j] = (g[j] as number) + err * (x[j] as number);
      g[dims] = (g[dims] as number) + err;
    }
    for (let j = 0; j <= dims; j++) w[j] = (w[j] as number) - rate * ((g[j] as number) / n + (j < dims ? l2 * (w[j] as number) : 0));
  }
  return w.slice(0, dims);
}

/**
 * Coordinate ascent (Metzler & Croft 2007) on the objective from a start point; a few sweeps over a step grid.
 * `lower` bounds weights from below: the BM25 weight stays ≥ 0 so that, among equals, closer text ranks higher.
 */
export function coordinateAscent(qs: readonly TrainQuery[], start: readonly number[], sweeps = 3, lower: readonly number[] = [0]): { weights: number[]; objective: number } {
  const w = start.map((x, j) => Math.max(x, lower[j] ?? -Infinity));
  let best = objective(qs, w);
  const steps = [-2, -1, -0.5, -0.25, -0.1, 0.1, 0.25, 0.5, 1, 2];
  for (let s = 0; s < sweeps; s++) {
    let improved = false;
    for (let j = 0; j < w.length; j++) {
      const base = w[j] as number;
      let bestV = base;
      for (const d of steps) {
        w[j] = Math.max(lower[j] ?? -Infinity, base + d * Math.max(0.1, Math.abs(base)));
        const o = objective(qs, w);
        if (o > best + 1e-9) {
          best = o;
          bestV = w[j] as number;
          improved = true;
        }
      }
      w[j] = bestV;
    }
    if (!improved) break;
  }
  return { weights: w, objective: best };
}

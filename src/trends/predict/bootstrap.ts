/**
 * How sure a difference in ROC-AUC is on a short time series: a paired moving-block bootstrap over the
 * test periods (blocks keep neighbouring periods together, since reports cluster in time).
 */
import { mulberry32, rocAuc } from '../../core/index.js';

export interface AucDifference {
  /** model AUC − baseline AUC on the test periods */
  diff: number;
  /** 95% interval of the difference over resamples */
  lo: number;
  hi: number;
}

export function aucDifference(model: ArrayLike<number>, baseline: ArrayLike<number>, labels: ArrayLike<number>, o: { block: number; resamples?: number; seed?: number }): AucDifference | null {
  const n = labels.length;
  const a = rocAuc(model, labels);
  const b = rocAuc(baseline, labels);
  if (a === null || b === null) return null;
  const block = Math.max(1, Math.min(o.block, n));
  const next = mulberry32(o.seed ?? 1);
  const diffs: number[] = [];
  const sm = new Float64Array(n);
  const sb = new Float64Array(n);
  const sl = new Float64Array(n);
  for (let r = 0; r < (o.resamples ?? 1000); r++) {
    let k = 0;
    while (k < n) {
      const start = Math.floor(next() * (n - block + 1));
      for (let j = start; j < start + block && k < n; j++, k++) {
        sm[k] = model[j]!;
        sb[k] = baseline[j]!;
        sl[k] = labels[j]!;
      }
    }
    const am = rocAuc(sm, sl);
    const ab = rocAuc(sb, sl);
    if (am !== null && ab !== null) diffs.push(am - ab);
  }
  diffs.sort((x, y) => x - y);
  const q = (p: number): number => diffs[Math.min(diffs.length - 1, Math.max(0, Math.round(p * (diffs.length - 1))))] ?? NaN;
  return { diff: a - b, lo: q(0.025), hi: q(0.975) };
}

/** The host score over window scores: the best mean of RUN consecutive windows, the mean of all for short hosts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinRuns, RUN, runScore, summaryScore, WindowRun } from './window-run.js';

const naive = (w: readonly number[]): number => {
  if (w.length <= RUN) return w.reduce((a, b) => a + b, 0) / w.length;
  let best = -Infinity;
  for (let i = 0; i + RUN <= w.length; i++) best = Math.max(best, w.slice(i, i + RUN).reduce((a, b) => a + b, 0) / RUN);
  return best;
};

describe('window run score', () => {
  it('is the mean for hosts of RUN windows or fewer, the best run of RUN after', () => {
    assert.equal(runScore([0.2]), 0.2);
    assert.ok(Math.abs(runScore([0.2, 0.4, 0.9]) - 0.5) < 1e-12);
    // a long ordinary host with a scan in the middle: the mean hides it, the run does not
    const w = [...Array(20).fill(0.01), 1, 1, 1, 0.98, 0.99, ...Array(20).fill(0.02)];
    assert.ok(w.reduce((a, b) => a + b, 0) / w.length < 0.15);
    assert.ok(runScore(w) > 0.99);
  });

  it('matches the windows scored all at once, with and without a partial last window, at every length', () => {
    let x = 7;
    const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff) / 2147483648);
    for (let n = 1; n <= 30; n++) {
      const w = Array.from({ length: n }, rand);
      assert.ok(Math.abs(runScore(w) - naive(w)) < 1e-12, `n ${n}`);
      const r = new WindowRun();
      for (const p of w.slice(0, -1)) r.push(p);
      assert.ok(Math.abs(r.score(w[n - 1]) - naive(w)) < 1e-12, `partial, n ${n}`);
      assert.equal(r.windows, n - 1);
    }
  });

  it('joins stretches of windows (a host dropped and seen again) to the score of the whole, wherever they are cut', () => {
    let x = 11;
    const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff) / 2147483648);
    for (let trial = 0; trial < 400; trial++) {
      const w = Array.from({ length: 1 + Math.floor(rand() * 25) }, rand);
      // cut into stays of 1–6 windows; a stay's last window is partial half the time
      let joined = null;
      for (let i = 0; i < w.length; ) {
        const stay = w.slice(i, i + 1 + Math.floor(rand() * 6));
        i += stay.length;
        const r = new WindowRun();
        const partial = rand() < 0.5;
        for (const p of partial ? stay.slice(0, -1) : stay) r.push(p);
        const s = partial ? r.summary(stay[stay.length - 1]) : r.summary();
        joined = joined === null ? s : joinRuns(joined, s);
      }
      assert.ok(joined !== null);
      assert.equal(joined.n, w.length);
      assert.ok(Math.abs(summaryScore(joined) - naive(w)) < 1e-12, `trial ${trial}: ${w.length} windows`);
    }
  });
});

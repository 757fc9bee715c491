/** The host score over window scores: the best mean of RUN consecutive windows, the mean of all for short hosts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUN, runScore, WindowRun } from './window-run.js';

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
    const rand = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let n = 1; n <= 30; n++) {
      const w = Array.from({ length: n }, rand);
      assert.ok(Math.abs(runScore(w) - naive(w)) < 1e-12, `n ${n}`);
      const r = new WindowRun();
      for (const p of w.slice(0, -1)) r.push(p);
      assert.ok(Math.abs(r.score(w[n - 1]) - naive(w)) < 1e-12, `partial, n ${n}`);
      assert.equal(r.windows, n - 1);
    }
  });
});

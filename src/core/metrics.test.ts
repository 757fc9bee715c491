import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusionAt, precisionRecall, rocAuc, sigmoid, tprAtFpr } from './metrics.js';

test('ROC-AUC counts ties half, takes weights, and is null with one class', () => {
  // pairs (pos, neg): 0.9>0.1, 0.9>0.5, 0.5=0.5 (half), 0.5>0.1 → 3.5 of 4
  assert.equal(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]), 3.5 / 4);
  assert.equal(rocAuc([0.1, 0.9], [1, 0]), 0);
  // weight 3 on the negative 0.5: pairs 0.9>0.5 ×3, 0.5=0.5 ×3 (half), 0.9>0.1, 0.5>0.1 → (3 + 1.5 + 1 + 1) / 8
  assert.equal(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0], [1, 1, 3, 1]), 6.5 / 8);
  assert.equal(rocAuc([0.3, 0.4], [1, 1]), null);
  assert.equal(rocAuc(Float32Array.from([0.2, 0.8]), Uint8Array.from([0, 1])), 1);
});

test('detection at a false-positive budget flags only above the (k+1)-th highest negative', () => {
  const neg = Array.from({ length: 100 }, (_, i) => i / 100);
  const pos = [0.995, 0.985, 0.5];
  const scores = [...neg, ...pos];
  const labels = [...neg.map(() => 0), ...pos.map(() => 1)];
  // 1% of 100 negatives: one may pass, threshold = 2nd highest negative 0.98
  assert.equal(tprAtFpr(scores, labels, 0.01), 2 / 3);
  // 0%: above the highest negative 0.99
  assert.equal(tprAtFpr(scores, labels, 0), 1 / 3);
  assert.equal(tprAtFpr([0.5], [1], 0.01), null);
});

test('confusion counts at a threshold (at or above is flagged) and precision/recall/F1', () => {
  const c = confusionAt([0.9, 0.5, 0.4, 0.6], [1, 0, 1, 0], 0.5);
  assert.deepEqual(c, { tp: 1, fp: 2, tn: 0, fn: 1 });
  const m = precisionRecall(c);
  assert.equal(m.precision, 1 / 3);
  assert.equal(m.recall, 1 / 2);
  assert.ok(Math.abs(m.f1 - 0.4) < 1e-12);
  assert.deepEqual(precisionRecall({ tp: 0, fp: 0, tn: 3, fn: 0 }), { precision: 0, recall: 0, f1: 0 });
});

test('a NaN score is a clear error, not an endless tie loop; at a false-positive budget of 1 every positive is flagged', () => {
  assert.throws(() => rocAuc([0.2, NaN, 0.9], [0, 1, 1]), (e: Error & { code?: string }) => e.code === 'METRICS_BAD_SCORE' && /score 1 is NaN/.test(e.message));
  assert.equal(rocAuc([0.1, Infinity, Infinity], [0, 1, 1]), 1, 'infinities tie with each other');
  assert.equal(tprAtFpr([0.1, 0.2, 0.05], [0, 1, 0], 1), 1);
});

test('sigmoid: 0.5 at 0, symmetric, and finite at the extremes (no exp of a large positive number)', () => {
  assert.equal(sigmoid(0), 0.5);
  assert.ok(Math.abs(sigmoid(2) + sigmoid(-2) - 1) < 1e-15);
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  assert.ok(sigmoid(-745) > 0 && sigmoid(-745) < 1e-300, String(sigmoid(-745)));
});

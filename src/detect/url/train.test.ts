/** Training is reproducible from the seed; a step lowers the loss; gradient × input agrees with a finite difference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUrlRows } from './data.js';
import { FIXTURE_DATA_DIR } from './testing.js';
import { trainingWeights, trainOnRows } from './train.js';
import type { UrlRow } from './data.js';
import { initMlp, MlpNet } from './mlp.js';
import { sigmoid } from '../../core/index.js';
import { Rng } from './rng.js';
import { toSparseSet } from './sparse-set.js';
import { trainBob } from './train-bob.js';

test('the same seed gives the same weights; another seed does not', () => {
  const rows = loadUrlRows(FIXTURE_DATA_DIR);
  const a = trainOnRows(rows, 'bob', { epochs: 2, seed: 4, maxRows: 0 });
  const b = trainOnRows(rows, 'bob', { epochs: 2, seed: 4, maxRows: 0 });
  const c = trainOnRows(rows, 'bob', { epochs: 2, seed: 5, maxRows: 0 });
  assert.deepEqual(a.tensors.w2, b.tensors.w2);
  assert.notDeepEqual(a.tensors.w2, c.tensors.w2);
});

test('a training step raises the score of its malicious sample; gradient × input matches a finite difference', () => {
  // a network trained one step on one malicious URL without dropout scores it higher than before
  const s = toSparseSet(['paypal-login.example.tk/webscr.php'], [1]);
  const w0 = initMlp(new Rng(9));
  const before = sigmoid(new MlpNet(w0).logit(s, 0));
  const r = trainBob(s, null, { epochs: 1, seed: 9, dropout: 0, batchSize: 1, learningRate: 1e-3 });
  const after = sigmoid(new MlpNet(r.weights).logit(s, 0));
  assert.ok(after > before, `${after} should exceed ${before}`);
  // gradient × input sums (with the bias path) to the logit change for a small scaling of the input
  const net = new MlpNet(w0);
  const { logit, contrib } = net.gradTimesInput(s, 0);
  const eps = 1e-3;
  const scaled = { ...s, val: s.val.map((v) => v * (1 + eps)) };
  const fd = (net.logit(scaled, 0) - logit) / eps;
  const gi = contrib.reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(fd - gi) < 1e-2 * Math.max(1, Math.abs(gi)), `finite difference ${fd} vs gradient × input ${gi}`);
});

test('source balance gives every (source, label) group the same total weight; host weighting divides a host by √rows', () => {
  const row = (source: string, label: 0 | 1, host: string): UrlRow => ({ url: host + '/x', label, source, host, type: label === 1 ? 'phishing' : 'benign' });
  const rows = [row('a', 0, 'h1'), row('a', 0, 'h2'), row('a', 0, 'h3'), row('a', 1, 'h4'), row('b', 1, 'h5'), row('b', 1, 'h5'), row('b', 1, 'h6'), row('b', 1, 'h7')];
  assert.equal(trainingWeights(rows, {}), undefined);
  const w = trainingWeights(rows, { sourceBalance: true })!;
  const sum = (pick: (r: UrlRow) => boolean): number => rows.reduce((s, r, i) => s + (pick(r) ? w[i]! : 0), 0);
  const groups = [sum((r) => r.source === 'a' && r.label === 0), sum((r) => r.source === 'a' && r.label === 1), sum((r) => r.source === 'b')];
  for (const g of groups) assert.ok(Math.abs(g - groups[0]!) < 1e-5, `equal group totals: ${groups.join(', ')}`);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) / w.length - 1) < 1e-5, 'mean 1');
  const h = trainingWeights(rows, { hostWeighting: true })!;
  // h5 has two rows: each weighs 1/√2 of a single-row host's
  assert.ok(Math.abs(h[4]! / h[0]! - 1 / Math.SQRT2) < 1e-5);
});

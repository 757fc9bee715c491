/** Training is reproducible from the seed; a step lowers the loss; gradient × input agrees with a finite difference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUrlRows } from './data.js';
import { FIXTURE_DATA_DIR } from './testing.js';
import { trainOnRows } from './train.js';
import { initMlp, sigmoid, MlpNet } from './mlp.js';
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

/** Held-out sources by class: each class against its own source's benign rows; label noise named. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UrlRow } from './data.js';
import { classResults, isLabelNoise } from './eval-classes.js';

const row = (label: 0 | 1, type: string, source = 'iscx-url-2016'): UrlRow => ({ url: `h${Math.random()}/`, label, source, host: 'h', type });

test('each malicious class is ranked against the source benign rows alone', () => {
  const rows = [row(0, 'benign'), row(0, 'benign'), row(0, 'benign'), row(0, 'benign'), row(1, 'phishing'), row(1, 'phishing'), row(1, 'spam'), row(1, 'spam')];
  const scores = [0.1, 0.2, 0.3, 0.6, 0.9, 0.8, 0.25, 0.05];
  const r = classResults('ngram', rows, scores);
  assert.deepEqual(r.map((c) => c.type), ['phishing', 'spam']);
  const [phish, spam] = r;
  assert.equal(phish!.rows, 2);
  assert.equal(phish!.rocAuc, 1, 'both phishing rows above every benign row');
  assert.equal(phish!.detectedAt05, 1);
  // spam 0.25 beats two of four benign rows, 0.05 none: (2 + 0) / 8
  assert.equal(spam!.rocAuc, 0.25);
  assert.equal(spam!.detectedAt05, 0);
  assert.equal(spam!.source, 'iscx-url-2016');
});

test('a malicious-only source has no ROC-AUC, only its share detected at 0.5', () => {
  const r = classResults('bob', [row(1, 'phishing', 'phishtank'), row(1, 'phishing', 'phishtank')], [0.7, 0.3]);
  assert.equal(r.length, 1);
  assert.equal(r[0]!.rocAuc, null);
  assert.equal(r[0]!.detectionAt1Fpr, null);
  assert.equal(r[0]!.detectedAt05, 0.5);
});

test('ISCX spam rows are label noise; its phishing rows and other sources are not', () => {
  assert.equal(isLabelNoise(row(1, 'spam')), true);
  assert.equal(isLabelNoise(row(1, 'phishing')), false);
  assert.equal(isLabelNoise(row(1, 'spam', 'phishstorm')), false);
  assert.equal(isLabelNoise(row(0, 'spam')), false);
});

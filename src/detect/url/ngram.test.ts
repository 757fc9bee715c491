/** Byte n-gram model: gram counts and buckets pinned (the shipped weights depend on them), explanations that add up, seeded training, fuzzing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUrlRows } from './data.js';
import { computeMetrics } from './metrics.js';
import { NGRAM_DIM, NgramScorer, NgramScratch, ngramIndices, trainNgram, type NgramWeights } from './ngram.js';
import { Rng } from './rng.js';
import { FIXTURE_DATA_DIR } from './testing.js';

const grams = (u: string | Uint8Array): number[] => {
  const s = new NgramScratch();
  ngramIndices(u, s);
  return Array.from(s.idx.subarray(0, s.n));
};

/** grams of a part of `len` bytes with its begin and end marks: starts −1…len, lengths 1–5 that fit */
const partCount = (len: number): number => [1, 2, 3, 4, 5].reduce((a, k) => a + Math.max(0, len + 3 - k), 0);

test('golden: the host hogehoge gives 40 grams and the empty path 3; the first buckets are pinned', () => {
  const g = grams('hogehoge');
  assert.equal(partCount(8), 40);
  assert.equal(g.length, 40 + 3);
  assert.ok(g.every((i) => Number.isInteger(i) && i >= 0 && i < NGRAM_DIM));
  // the hash is part of the model format: changing it silently invalidates models/url/ngram
  assert.deepEqual(g.slice(0, 6), [277992, 910822, 1037043, 561765, 818091, 900854]);
  assert.equal(grams('http://a.com/x').length, partCount(5) + partCount(2));
});

test('the host is read in lower case, the path as it is; the scheme is dropped; bytes and strings agree', () => {
  assert.deepEqual(grams('HogeHoge.COM/x'), grams('hogehoge.com/x'));
  assert.notDeepEqual(grams('hogehoge.com/X'), grams('hogehoge.com/x'));
  assert.deepEqual(grams('https://hogehoge.com/x?q=1'), grams('hogehoge.com/x?q=1'));
  assert.deepEqual(grams(new TextEncoder().encode('http://пример.рф/путь')), grams('пример.рф/путь'));
  // the same byte is a different gram in the host and in the path: 'a' alone in each
  const host = new Set(grams('a').slice(0, partCount(1)));
  const path = grams('/a').slice(partCount(0));
  assert.equal(path.length, partCount(2));
  assert.ok(path.every((i) => !host.has(i)), 'host and path grams are hashed apart');
});

test('explanation: every gram term shared over the bytes it covers; the scheme gets nothing', () => {
  const w: NgramWeights = { w: new Float32Array(NGRAM_DIM).fill(1), b: new Float32Array([0]) };
  const s = new NgramScorer(w);
  const url = 'http://a.com/x';
  const n = partCount(5) + partCount(2);
  const { score, detail } = s.explain(url);
  assert.ok(Math.abs(detail.logit - Math.sqrt(n)) < 1e-9);
  assert.ok(Math.abs(score - 1 / (1 + Math.exp(-Math.sqrt(n)))) < 1e-9);
  // the four grams of a mark alone (begin, end of each part) cover no byte
  const sum = detail.weights.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - (n - 4) / Math.sqrt(n)) < 1e-3, `sum ${sum}`);
  assert.ok(detail.weights.slice(0, 7).every((x) => x === 0));
  assert.deepEqual(detail.host, [7, 12]);
  assert.deepEqual(detail.path, [12, 14]);
});

test('training is seeded, separates the fixture, and the same seed gives the same weights', () => {
  const rows = loadUrlRows(FIXTURE_DATA_DIR);
  const order = rows.map((_, i) => i);
  new Rng(5).shuffle(order);
  const train = order.slice(0, Math.floor(rows.length * 0.7)).map((i) => rows[i]!);
  const test = order.slice(train.length).map((i) => rows[i]!);
  const a = trainNgram(train, test, { epochs: 3, seed: 2 });
  const b = trainNgram(train, test, { epochs: 3, seed: 2 });
  assert.deepEqual(a.weights.b, b.weights.b);
  assert.ok(a.weights.w.every((v, i) => v === b.weights.w[i]));
  assert.equal(a.history.length, 3);
  assert.ok(a.bestEpoch >= 1 && a.bestEpoch <= 3);
  const scores = new NgramScorer(a.weights).scoreBatch(test.map((r) => r.url));
  const m = computeMetrics(scores, test.map((r) => r.label));
  assert.ok(m.rocAuc !== null && m.rocAuc > 0.9, `fixture ROC-AUC ${m.rocAuc}`);
});

test('fuzz: any string or byte string scores a probability, explains without throwing', () => {
  const rng = new Rng(11);
  const w: NgramWeights = { w: new Float32Array(NGRAM_DIM).map(() => rng.normal()), b: new Float32Array([0.3]) };
  const s = new NgramScorer(w);
  for (let t = 0; t < 400; t++) {
    const len = Math.floor(rng.next() ** 3 * 3000);
    const bytes = new Uint8Array(len).map(() => Math.floor(rng.next() * 256));
    const str = Array.from({ length: len }, () => String.fromCharCode(Math.floor(rng.next() * (rng.next() < 0.9 ? 128 : 0x10000)))).join('');
    const [p, q] = s.scoreBatch([bytes, str]);
    assert.ok(p! >= 0 && p! <= 1 && q! >= 0 && q! <= 1, `scores ${p} ${q}`);
    const x = s.explain(str);
    assert.ok(Number.isFinite(x.detail.logit) && x.detail.weights.every(Number.isFinite));
    assert.ok(Math.abs(x.score - q!) < 1e-6);
  }
});

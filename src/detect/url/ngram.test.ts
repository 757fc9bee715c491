/** Byte n-gram model: gram counts and buckets pinned (the shipped weights depend on them), explanations that add up, seeded training, fuzzing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUrlRows } from './data.js';
import { computeMetrics } from './metrics.js';
import { NGRAM_DIM, NgramScorer, NgramScratch, ngramIndices, type NgramWeights } from './ngram.js';
import { trainNgram } from './train-ngram.js';
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

/** grams read as `grams` says */
const gramsOf = (u: string | Uint8Array, how: 'counted' | 'distinct'): number[] => {
  const s = new NgramScratch();
  ngramIndices(u, s, undefined, how);
  return Array.from(s.idx.subarray(0, s.n));
};

/** distinct by a Set, part by part: the counted grams of the host and of the path, each part's repeats dropped */
const distinctByHand = (u: string): number[] => {
  const g = gramsOf(u, 'counted');
  const h = u.search(/[/?#\\]/) < 0 ? u.length : u.search(/[/?#\\]/);
  const hostN = partCount(Math.min(h, 256));
  const uniq = (a: number[]): number[] => [...new Set(a)];
  return [...uniq(g.slice(0, hostN)), ...uniq(g.slice(hostN))];
};

test('distinct grams: a repeated gram of a part counts once; counted keeps every occurrence, as models without `grams` read', () => {
  // host aa: ^ ^a ^aa ^aa$ a aa aa$ a a$ $: the second a is the one repeat (10 grams, 9 distinct); empty path: ^ ^$ $
  assert.equal(gramsOf('aa', 'counted').length, partCount(2) + partCount(0));
  assert.equal(partCount(2), 10);
  assert.equal(gramsOf('aa', 'distinct').length, 9 + 3);
  assert.deepEqual(gramsOf('aa', 'distinct'), distinctByHand('aa'));
  // the default reading is counted (the pinned buckets above are read so)
  assert.deepEqual(grams('aa'), gramsOf('aa', 'counted'));
  // a host and a path hold the same gram without it being a repeat: each part is read on its own
  assert.equal(gramsOf('a/a', 'distinct').length, partCount(1) + partCount(2));
  // 50 × a in the path: its 1- to 5-grams of a alone, each once
  const padded = `x.tk/${'a'.repeat(50)}`;
  assert.equal(gramsOf(padded, 'counted').length, partCount(4) + partCount(51));
  assert.deepEqual(gramsOf(padded, 'distinct'), distinctByHand(padded));
  assert.ok(gramsOf(padded, 'distinct').length < partCount(4) + 30);
});

test('distinct grams agree with a Set on random URLs, past the wraps of the part stamps', () => {
  const rng = new Rng(3);
  const alphabet = 'ab./-?=%';
  // 40,000 URLs of two parts each: 80,000 parts, so the 11-bit stamps wrap and the table is cleared many times
  for (let t = 0; t < 40_000; t++) {
    const len = 1 + Math.floor(rng.next() * 40);
    let u = '';
    for (let i = 0; i < len; i++) u += alphabet[Math.floor(rng.next() * alphabet.length)];
    if (t % 97 === 0 || t > 39_900) assert.deepEqual(gramsOf(u, 'distinct'), distinctByHand(u), u);
    else gramsOf(u, 'distinct');
  }
});

test('distinct scoring: b + Σ of each distinct gram weight / √distinct grams; a model without `grams` scores counted', () => {
  const rng = new Rng(21);
  const w = new Float32Array(NGRAM_DIM).map(() => rng.normal());
  const distinct = new NgramScorer({ w, b: new Float32Array([0.25]), grams: 'distinct' });
  const counted = new NgramScorer({ w, b: new Float32Array([0.25]) });
  for (const u of ['paypal-login.secure-verify.tk/webscr.php?cmd=login&x=' + 'a'.repeat(50), 'aa', 'www.example.com/index.html', 'a.b/' + 'ab'.repeat(30)]) {
    const ref = (g: number[]): number => 0.25 + g.reduce((a, i) => a + w[i]!, 0) / Math.sqrt(g.length);
    assert.ok(Math.abs(distinct.logit(u) - ref(distinctByHand(u))) < 1e-9, u);
    assert.ok(Math.abs(counted.logit(u) - ref(gramsOf(u, 'counted'))) < 1e-9, u);
  }
  assert.notEqual(distinct.logit('aa'), counted.logit('aa'));
});

test('distinct explanation: a repeated gram has one share, over the bytes of its first occurrence; the shares stay exact', () => {
  const ones: NgramWeights = { w: new Float32Array(NGRAM_DIM).fill(1), b: new Float32Array([0]), grams: 'distinct' };
  const { score, detail } = new NgramScorer(ones).explain('http://aa');
  // 12 distinct grams (9 of the host, 3 of the empty path): logit 12 / √12
  assert.ok(Math.abs(detail.logit - Math.sqrt(12)) < 1e-9);
  assert.ok(Math.abs(score - 1 / (1 + Math.exp(-Math.sqrt(12)))) < 1e-9);
  // first a: ^a 1, ^aa ½, ^aa$ ½, a 1, aa ½, aa$ ½ = 4; second a: ½ + ½ + ½ + ½ + a$ 1 = 3 (its own a is the repeat); weights are given to 4 decimals
  const s = Math.sqrt(12);
  assert.ok(Math.abs(detail.weights[7]! - 4 / s) < 1e-4 && Math.abs(detail.weights[8]! - 3 / s) < 1e-4, `${detail.weights.slice(7)}`);
  // counted, both bytes get 4: the repeat adds its own share
  const c = new NgramScorer({ ...ones, grams: 'counted' }).explain('http://aa').detail;
  assert.ok(Math.abs(c.weights[7]! - c.weights[8]!) < 1e-12);
  // random weights, a padded URL: the shares and the grams of a mark alone (^, $ and ^$ of each part, which cover no byte) add up to logit − b
  const rng = new Rng(8);
  const w = new Float32Array(NGRAM_DIM).map(() => rng.normal());
  const scorer = new NgramScorer({ w, b: new Float32Array([0.5]), grams: 'distinct' });
  for (const url of ['http://paypal-login.secure-verify.tk/webscr.php?cmd=login&x=' + 'a'.repeat(50), 'http://aa.aa/aa/aa/aa']) {
    const d = scorer.explain(url).detail;
    const g = distinctByHand(url.slice(7));
    // the grams of a mark alone: the first and last of each part (counted order: start by start)
    const all = gramsOf(url, 'counted');
    const hostN = partCount(url.slice(7).indexOf('/'));
    const markOnly = [all[0]!, all[hostN - 1]!, all[hostN]!, all[all.length - 1]!];
    const markTerm = markOnly.reduce((a, i) => a + w[i]!, 0) / Math.sqrt(g.length);
    const sum = d.weights.reduce((a, b) => a + b, 0);
    // each character's weight is given to 4 decimals: at most 0.00005 off each
    assert.ok(Math.abs(sum + markTerm + 0.5 - d.logit) <= 5e-5 * d.weights.length, `${url}: shares ${sum} + marks ${markTerm} + b vs logit ${d.logit}`);
  }
});

/** Padding a URL must not hide it: long URLs score the highest of their windows (ngram.ts `ngramWindows`), with the shipped model as the CLI loads it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEAD_PATH, LONG_URL, NgramScorer, WHOLE_URL, ngramWindows, type NgramWindowKind } from './ngram.js';
import { UrlDetector, defaultModelDir } from './url-detector.js';

const B = 'http://paypal-login.secure-verify.tk/webscr.php?cmd=login';
const UTM = 'utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale';
/** distinct words, so that distinct grams do not drop them: padding that reads like a news site's */
const WORDS = 'news,sports,weather,business,technology,science,health,education,travel,music,movies,books,history,politics,culture,economy,finance,markets,world,local,opinion,editorial,archive,gallery,video,photos,events,calendar,community,schools,library,museum'.split(',');
/** padded so that the whole URL scores low: the windows find it */
const PADDED: [string, NgramWindowKind][] = [
  [B + ('&' + UTM).repeat(16), 'no-query'],
  [B + '&' + WORDS.map((w, i) => `${w}=${i}`).join('&'), 'no-query'],
  [B + '#' + WORDS.join('-'), 'no-query'],
  ['http://paypal-login.secure-verify.tk/webscr.php/' + WORDS.join('/'), 'leading-path'],
];
/**
 * padded with one byte over and over: distinct grams read each repeated gram once, so the whole URL keeps
 * its score (the counted model before ngram-2026-12-03-distinct-s1 scored the first 0.957, under its line)
 */
const REPEATED = [B + '&x=' + 'a'.repeat(50), B + 'a'.repeat(200), B + 'a'.repeat(1000), B + '&pad=' + 'a'.repeat(300), 'http://paypal-login.secure-verify.tk/webscr.php/' + 'a'.repeat(1000)];

const detector = UrlDetector.load(defaultModelDir('ngram'));
const scorer = (detector as unknown as { scorer: NgramScorer }).scorer;

test('windows: a short URL has one; a long one adds the end before ? or # and after LEAD_PATH bytes of path, when shorter', () => {
  const ends = new Int32Array(3);
  const kinds: NgramWindowKind[] = [];
  const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  const short = enc('a.com/x?y');
  assert.equal(ngramWindows(short, 5, short.length, ends, kinds), 1);
  const long = enc('a.com/' + 'p'.repeat(LEAD_PATH + 10) + '#' + 'q'.repeat(LONG_URL));
  assert.equal(ngramWindows(long, 5, long.length, ends, kinds), 3);
  assert.deepEqual([...ends], [long.length, 5 + LEAD_PATH + 11, 5 + LEAD_PATH]);
  assert.deepEqual(kinds, ['full', 'no-query', 'leading-path']);
  // a query inside the leading path: the no-query window is the shorter, no leading one
  const early = enc('a.com/x?' + 'q'.repeat(LONG_URL));
  assert.equal(ngramWindows(early, 5, early.length, ends, kinds), 2);
  assert.deepEqual([ends[0], ends[1]], [early.length, 7]);
});

test('padded: the shipped model scores padded phishing URLs above its threshold', async () => {
  const scores = await detector.scoreFast(PADDED.map(([u]) => u));
  PADDED.forEach(([u, kind], i) => {
    assert.ok(scores[i]! >= detector.threshold, `${u.slice(0, 80)}… scored ${scores[i]} < ${detector.threshold}`);
    const whole = new NgramScorer(scorer.weights, WHOLE_URL).scoreBatch([u.slice(7)])[0]!;
    assert.ok(whole < scores[i]!, `the whole URL alone scores ${whole}`);
    const r = detector.scoreOne(u);
    assert.ok(Math.abs((r as { score: number }).score - scores[i]!) < 1e-6);
    const ex = (r as { explanation: { summary: string; detail: unknown } }).explanation;
    const d = ex.detail as { window?: string; weights: number[]; path: [number, number] };
    assert.equal(d.window, kind);
    // the explanation shades the window scored: nothing after it
    const end = kind === 'no-query' ? B.indexOf('?') : B.indexOf('/webscr') + LEAD_PATH;
    assert.ok(d.weights.slice(end).every((w) => w === 0), 'weights after the window');
    assert.ok(d.weights.slice(d.path[0], end).some((w) => w !== 0));
    assert.match(ex.summary, /scored (without its query string|on its host and the start of its path)/);
  });
});

test('padded with a repeated byte: the whole URL scores above the threshold, short or long', async () => {
  const scores = await detector.scoreFast(REPEATED);
  REPEATED.forEach((u, i) => {
    assert.ok(scores[i]! >= detector.threshold, `${u.slice(0, 80)}… scored ${scores[i]} < ${detector.threshold}`);
    assert.equal(new NgramScorer(scorer.weights, WHOLE_URL).scoreBatch([u.slice(7)])[0]!, scores[i]!, 'the whole URL gives the score');
  });
});

test('short URLs: one logit, the same as the whole URL gives, and the same explanation', () => {
  const whole = new NgramScorer(scorer.weights, WHOLE_URL);
  for (const u of [B, 'http://example.com/', 'https://github.com/nodejs/node/issues?q=is%3Aopen', 'http://a.com/' + 'x'.repeat(LONG_URL - 6)]) {
    const s = u.replace(/^https?:\/\//, '');
    assert.ok(Buffer.byteLength(s) <= LONG_URL);
    assert.equal(scorer.logit(s), whole.logit(s), u);
    const x = scorer.explain(s);
    assert.deepEqual(x, whole.explain(s));
    assert.equal(x.detail.window, undefined);
  }
  assert.ok(Math.abs((detector.scoreOne(B) as { score: number }).score - 0.99994) < 5e-6);
});

test('a long URL scores at least what its whole gives (the windows only add)', () => {
  const whole = new NgramScorer(scorer.weights, WHOLE_URL);
  for (const u of ['www.wikipedia.org/wiki/Uniform_Resource_Locator?action=history&offset=20240101&limit=500#top', 'docs.python.org/3/library/urllib.parse.html' + '/x'.repeat(60)]) {
    assert.ok(scorer.logit(u) >= whole.logit(u));
  }
});

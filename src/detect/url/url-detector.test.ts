/** The url detector: trained on the tiny fixture, saved, loaded, and held to the detector contract. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectorContract } from '../contract.js';
import { isScored } from '../detector.js';
import { FIXTURE_DATA_DIR, trainFixtureModel } from './testing.js';
import { UrlDetector } from './url-detector.js';
import { findingUrl } from './line-urls.js';
import { loadModel, saveModel } from './model-io.js';

const bad = ['', '   ', '://', 'a'.repeat(100_000), '\ud800\udc00\ud800', 'http://xn--bcher-kva.example/%E3%81%82', 'http://пример.рф/путь?q=%ZZ', '\u0000\u0001\u0002'];

for (const kind of ['bob', 'ngram'] as const) {
  detectorContract(`url (${kind})`, async () => UrlDetector.load(trainFixtureModel(kind)), {
    good: ['http://paypal-secure.tk/webscr/index.php123', 'https://docs.example.org/help/intro.html', 'shop.example.com/products/x'],
    bad,
    subjectOf: (u) => u,
  });
}

for (const kind of ['bob', 'ngram'] as const) test(`${kind}: a saved model loads back to the same scores; fixture phishing scores above fixture benign`, async () => {
  const dir = trainFixtureModel(kind);
  const d = UrlDetector.load(dir);
  const again = UrlDetector.load(dir);
  const urls = ['http://appleid-abcd.xyz/login/signin.php99', 'https://news.qwerty.com/article/abc-defg.html'];
  const a = await d.scoreFast(urls);
  const b = await again.scoreFast(urls);
  assert.deepEqual([...a], [...b]);
  assert.ok(a[0]! > a[1]!, `phish ${a[0]} vs benign ${a[1]}`);
  const meta = loadModel(dir).meta;
  assert.equal(meta.kind, kind);
  assert.equal(meta.seed, 7);
  const [r] = await d.score([urls[0]!]);
  assert.ok(r !== undefined && isScored(r));
  const detail = r.explanation.detail as { weights: number[]; top: { text: string }[]; scored?: string };
  assert.equal(detail.scored, 'appleid-abcd.xyz/login/signin.php99', 'the form scored (no scheme), which the weights index');
  assert.equal(detail.weights.length, detail.scored.length);
  assert.ok(detail.top.length > 0 && r.explanation.summary.includes('most suspicious'));
  assert.ok(Math.abs((await d.scoreFast([urls[0]!]))[0]! - r.score) < 1e-5, 'fast and explained scores agree');
  await d.close();
  await again.close();
});

test('empty input is unscorable with a clear code; loading a missing model is a clear error', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const [r] = await d.score(['']);
  assert.ok(r !== undefined && !isScored(r) && r.error.code === 'URL_EMPTY');
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-'));
  try {
    assert.throws(() => UrlDetector.load(dir), { code: 'MODEL_NOT_FOUND' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  void FIXTURE_DATA_DIR;
});

test('ngram: a model with popularity loads with its table; popularity tensors of unequal lengths are a clear MODEL_INVALID', () => {
  const src = trainFixtureModel('ngram');
  const m = loadModel(src);
  assert.deepEqual(m.meta.tensors.map((t) => t.name), ['w', 'b', 'pop_w', 'pop_hi', 'pop_lo', 'pop_tier']);
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-pop-'));
  try {
    cpSync(src, dir, { recursive: true });
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { tensors: { name: string; shape: number[] }[] };
    // the same bytes in total, split differently: weights.bin still fits, the table does not
    meta.tensors.find((t) => t.name === 'pop_hi')!.shape[0]! -= 1;
    meta.tensors.find((t) => t.name === 'pop_lo')!.shape[0]! += 1;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(meta));
    assert.throws(() => UrlDetector.load(dir), { code: 'MODEL_INVALID', message: /pop_hi, pop_lo and pop_tier differ in length/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a weights.bin holding NaN or an infinity is a MODEL_INVALID naming the file, not NaN scores', () => {
  const src = trainFixtureModel('bob');
  for (const v of [NaN, Infinity, -Infinity]) {
    const dir = mkdtempSync(join(tmpdir(), 'nml-url-nan-'));
    try {
      cpSync(src, dir, { recursive: true });
      // a model.json without the weights' digest (saved before 2026-12-07): with one, any changed weights.bin is refused first
      const { weightsSha256: _, ...meta } = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'model.json'), JSON.stringify(meta));
      const bin = readFileSync(join(dir, 'weights.bin'));
      bin.writeFloatLE(v, bin.length - 4);
      writeFileSync(join(dir, 'weights.bin'), bin);
      assert.throws(() => UrlDetector.load(dir), (e: Error & { code?: string }) => e.code === 'MODEL_INVALID' && e.message.includes(`${join(dir, 'weights.bin')} holds ${v}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a model whose training diverged is refused when saved, not only when loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-nan-save-'));
  try {
    const loaded = loadModel(trainFixtureModel('bob'));
    const tensors = Object.fromEntries(Object.entries(loaded.tensors).map(([k, v]) => [k, Float32Array.from(v)]));
    const first = loaded.meta.tensors[0]!.name;
    tensors[first]![3] = NaN;
    assert.throws(() => saveModel(join(dir, 'm'), loaded.meta, tensors), (e: Error & { code?: string }) => e.code === 'MODEL_INVALID' && /training diverged/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const kind of ['bob', 'ngram'] as const) test(`${kind}: concurrent scoreFast calls each get their own scores`, async () => {
  const d = UrlDetector.load(trainFixtureModel(kind));
  const a = ['https://news.qwerty.com/article/abc-defg.html', 'shop.example.com/products/x', 'https://docs.example.org/help/intro.html'];
  const b = ['http://appleid-abcd.xyz/login/signin.php99', 'http://paypal-secure.tk/webscr/index.php123', 'http://10.0.0.1/x.exe'];
  // more than one onnxruntime chunk, so the calls interleave across several awaits
  const c = Array.from({ length: 2500 }, (_, i) => `http://h${i}.example-${i % 7}.com/p/${i}`);
  const alone = [await d.scoreFast(a), await d.scoreFast(b), await d.scoreFast(c)].map((x) => [...x]);
  const together = (await Promise.all([d.scoreFast(a), d.scoreFast(b), d.scoreFast(c), d.scoreFast(a)])).map((x) => [...x]);
  assert.deepEqual(together, [...alone, alone[0]]);
  await d.close();
});

for (const kind of ['bob', 'ngram'] as const) test(`${kind}: explaining a large batch gives the event loop turns; the reused explain scratch keeps explanations exact`, async () => {
  const d = UrlDetector.load(trainFixtureModel(kind));
  const urls = Array.from({ length: 6000 }, (_, i) => `http://h${i}.example-${i % 97}.com/ab/cd?x=${'y'.repeat(i % 200)}`);
  let turns = 0;
  let spinning = true;
  const spin = (): void => {
    turns++;
    if (spinning) setImmediate(spin);
  };
  setImmediate(spin);
  const results = await d.score(urls);
  spinning = false;
  // before, the whole batch was explained in one turn (4.5 s for 10,000 URLs with the shipped n-gram model)
  assert.ok(turns > 1, `the event loop had ${turns} turn(s) while ${urls.length} URLs were explained`);
  assert.equal(results.length, urls.length);
  const [a, b] = [urls[5]!, urls[4321]!];
  const first = d.explainOne(a);
  d.explainOne(b);
  assert.deepEqual(d.explainOne(a), first, 'an explanation does not depend on the one before');
  const { scored, ...detail } = (results[5] as { explanation: { detail: { scored?: string } } }).explanation.detail;
  assert.equal(scored, a.slice('http://'.length));
  assert.deepEqual(detail, first.detail);
  await d.close();
});

test('one URL has one score however it is written: scheme, host case, an empty path, a default port', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const spellings = ['http://Login-Verify.example.tk', 'login-verify.example.tk/', 'https://login-verify.example.tk:443', 'HTTP://LOGIN-VERIFY.EXAMPLE.TK:80/'];
  const fast = await d.scoreFast(spellings);
  assert.equal(new Set(fast).size, 1, `${[...fast]}`);
  const explained = await d.score(spellings);
  for (const r of explained) {
    assert.ok(isScored(r));
    assert.ok(Math.abs(r.score - fast[0]!) < 1e-5);
  }
  // a blob: URL is scored as the web URL it wraps, and the explanation names that form
  const blob = await d.score(['blob:https://login-verify.example.tk/']);
  assert.ok(isScored(blob[0]!));
  assert.ok(Math.abs(blob[0].score - fast[0]!) < 1e-5);
  assert.equal((blob[0].explanation.detail as { scored?: string }).scored, 'login-verify.example.tk/');
  assert.deepEqual([...(await d.scoreFast(['blob:https://login-verify.example.tk/']))], [fast[0]]);
  // a port that is not the default is another URL
  assert.notEqual((await d.scoreFast(['http://login-verify.example.tk:8080/']))[0], fast[0]);
  // the live scorer hands over findingUrl forms and says so: scored as given, the same score
  assert.deepEqual([...(await d.scoreFast([findingUrl(spellings[0]!)], true))], [fast[0]]);
  assert.notEqual((await d.scoreFast([spellings[3]!], true))[0], fast[0], 'a form said to be made is not made again');
  await d.close();
});

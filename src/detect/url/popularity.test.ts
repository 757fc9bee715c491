/** Domain popularity: tiers by rank, the host or its nearest listed parent, exact keys through float32 tensors, learned weights, explanations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPopularity, loadUrlRows } from './data.js';
import { NGRAM_DIM, NgramScorer, ngramTensors, ngramWeights, type NgramWeights } from './ngram.js';
import { trainNgram } from './train-ngram.js';
import { PopularityTable, describeFeature, hostSpan } from './popularity.js';
import { summarize } from './explain.js';
import { FIXTURE_DATA_DIR } from './testing.js';
import { withUnlistedCopies } from './train.js';

/** google.com rank 0, 150 filler domains, example.org rank 151, 2,000 more, deep.example.net rank 2152 */
const ranked = ['google.com', ...Array.from({ length: 150 }, (_, i) => `filler${i}.com`), 'example.org', ...Array.from({ length: 2000 }, (_, i) => `more${i}.net`), 'deep.example.net'];
const table = PopularityTable.fromDomains(ranked);

test('the host itself (features 0–2) or its nearest listed parent (3–5), by rank tier', () => {
  assert.equal(table.size, ranked.length);
  assert.equal(table.featureOf('google.com/'), 0);
  assert.equal(table.featureOf('example.org/about'), 1);
  assert.equal(table.featureOf('deep.example.net'), 2);
  assert.equal(table.featureOf('mail.google.com/mail/u/0'), 3);
  assert.equal(table.featureOf('a.b.example.org/x'), 4);
  assert.equal(table.featureOf('x.deep.example.net/'), 5);
  // the parent must be listed itself: example.net is not, so www.example.net is nothing
  assert.equal(table.featureOf('example.net/'), -1);
  assert.equal(table.featureOf('www.example.net/'), -1);
});

test('the host is read as a DNS name: case, www., userinfo, port and trailing dots do not matter; look-alikes do not match', () => {
  for (const u of ['GOOGLE.COM/', 'www.google.com/search?q=1', 'user:pw@google.com:443/', 'google.com./', 'google.com#x', 'google.com?x=1']) assert.equal(table.featureOf(u), 0, u);
  for (const u of ['google.com.evil.net/', 'googIe.com/', 'evil.net/google.com', 'evil.net/?u=google.com', 'com/', '', '/', 'localhost/', '[::1]:8080/', 'google.co/']) assert.equal(table.featureOf(u), -1, u);
  // tricks that would borrow a listed name: userinfo, a backslash (browsers end the host there), encodings, spaces
  for (const u of ['google.com@evil.net/', 'evil.net\\@google.com/', 'evil.net\\.google.com/', 'google%2ecom/', 'goo gle.com/', 'gооgle.com/', 'xn--ggle-55da.com/']) assert.equal(table.featureOf(u), -1, u);
  // a host longer than a DNS name matches nothing, even one ending in a listed domain (its first
  // 256 bytes, all the grams read, may end in one too)
  const long = `${'a'.repeat(245)}.google.com`;
  assert.equal(long.length, 256);
  assert.equal(table.featureOf(`${long}.evil.net/`), -1);
  assert.equal(table.featureOf(`${'a.'.repeat(50_000)}google.com/`), -1);
  assert.equal(table.featureOf(`${'a'.repeat(240)}.google.com/`), 3);
    // a bare top-level label is never looked up, even if a list held one
  assert.equal(PopularityTable.fromDomains(['com']).featureOf('anything.com/'), -1);
  const b = new TextEncoder().encode('u@www.Example.org:80');
  assert.deepEqual(hostSpan(b, b.length), [6, 17]);
});

test('tensors: every key survives float32 exactly, and the table they rebuild matches the same hosts', () => {
  const t = table.toTensors();
  assert.equal(t.pop_hi.length, ranked.length);
  for (const a of [t.pop_hi, t.pop_lo]) assert.ok(a.every((v) => Number.isInteger(v) && v >= 0 && v < 65536));
  assert.ok(t.pop_tier.every((v) => v === 0 || v === 1 || v === 2));
  const back = PopularityTable.fromTensors(t.pop_hi, t.pop_lo, t.pop_tier);
  for (const u of ['google.com/', 'a.b.example.org/x', 'x.deep.example.net/', 'example.net/', 'filler77.com/', 'more1999.net/']) assert.equal(back.featureOf(u), table.featureOf(u), u);
  assert.throws(() => PopularityTable.fromTensors(t.pop_hi, t.pop_lo.subarray(1), t.pop_tier), /differ in length/);
});

test('the popularity term adds its weight to the logit, unscaled, and the explanation names it', () => {
  const w = new Float32Array(NGRAM_DIM);
  const plain: NgramWeights = { w, b: new Float32Array([1.5]) };
  const withPop: NgramWeights = { ...plain, pop: { w: new Float32Array([-3, -2, -1, -0.5, -0.4, -0.3]), table } };
  const a = new NgramScorer(plain);
  const p = new NgramScorer(withPop);
  assert.ok(Math.abs(p.logit('https://www.google.com/x') - (a.logit('https://www.google.com/x') - 3)) < 1e-6);
  assert.ok(Math.abs(p.logit('mail.google.com/') - (a.logit('mail.google.com/') - 0.5)) < 1e-6);
  assert.equal(p.logit('evil.example/'), a.logit('evil.example/'));
  const { detail, score } = p.explain('http://mail.google.com/login');
  assert.deepEqual(detail.popularity, { domain: 'google.com', meaning: 'a parent domain among the 100 most popular domains', weight: -0.5 });
  // the term is shared over the matched domain's characters: `mail.` and the path get none of it
  const host = detail.weights.slice(7, 22);
  assert.ok(host.slice(0, 5).every((x) => x === 0));
  assert.ok(Math.abs(host.slice(5).reduce((s, x) => s + x, 0) + 0.5) < 1e-3);
  assert.match(summarize(score, detail), /google\.com is among the 100 most popular domains \(-0\.50\)$/);
  assert.equal(new NgramScorer(plain).explain('http://mail.google.com/login').detail.popularity, undefined);
  assert.equal(describeFeature(2), 'the host itself among the 10,000 most popular domains');
});

test('model tensors: with a table they round-trip; without one a model loads as before; a half-stored table is refused', () => {
  const m: NgramWeights = { w: new Float32Array(NGRAM_DIM), b: new Float32Array([0.2]), pop: { w: new Float32Array([-1, -2, -3, -4, -5, -6]), table } };
  const { tensors, list } = ngramTensors(m);
  assert.deepEqual(list.map((t) => t.name), ['w', 'b', 'pop_w', 'pop_hi', 'pop_lo', 'pop_tier']);
  const back = ngramWeights(tensors);
  assert.deepEqual(Array.from(back.pop!.w), [-1, -2, -3, -4, -5, -6]);
  assert.equal(new NgramScorer(back).logit('a.example.org/'), new NgramScorer(m).logit('a.example.org/'));
  const old = ngramTensors({ w: m.w, b: m.b });
  assert.deepEqual(old.list.map((t) => t.name), ['w', 'b']);
  assert.equal(ngramWeights(old.tensors).pop, undefined);
  assert.throws(() => ngramWeights({ w: m.w, b: m.b, pop_w: m.pop!.w }), /pop_w without pop_hi/);
  assert.throws(() => ngramWeights({ ...tensors, pop_w: new Float32Array(5) }), /pop_w not of 6/);
});

test('training learns a benign weight for listed domains; extra rows also train once as unlisted', () => {
  const rows = loadUrlRows(FIXTURE_DATA_DIR, undefined, ['opendns-top']);
  const list = loadPopularity(FIXTURE_DATA_DIR, 'opendns-top')!;
  assert.equal(list.size, 40);
  const extras = rows.filter((r) => r.extra === true).length;
  assert.ok(extras > 0);
  const copies = withUnlistedCopies(rows, list);
  assert.equal(copies.length, rows.length + extras);
  assert.ok(copies.slice(rows.length).every((r) => r.extra === true && r.noPopularity === true));
  assert.equal(withUnlistedCopies(rows, null).length, rows.length);
  const r = trainNgram(copies, [], { epochs: 3, seed: 4, popularity: list });
  // every listed row of the fixture is a benign homepage, so the exact-host weights learned are benign
  const used = new Set(rows.filter((x) => x.extra === true).map((x) => list.featureOf(x.url)));
  for (const f of used) assert.ok(r.weights.pop!.w[f]! < 0, `feature ${f}: ${r.weights.pop!.w[f]}`);
  const again = trainNgram(copies, [], { epochs: 3, seed: 4, popularity: list });
  assert.deepEqual(Array.from(again.weights.pop!.w), Array.from(r.weights.pop!.w));
});

test('loading a popularity list: none is null; an unknown name or a missing file is a clear error', () => {
  assert.equal(loadPopularity(FIXTURE_DATA_DIR, 'none'), null);
  assert.throws(() => loadPopularity(FIXTURE_DATA_DIR, 'alexa'), /unknown popularity list 'alexa' \(known: opendns-top, none\)/);
  assert.throws(() => loadPopularity('/nonexistent', 'opendns-top'), /no benign-domains-opendns\/opendns-top-domains\.txt under \/nonexistent .*--popularity none/);
});

test('fuzz: any string or byte string gets a feature in range and a finite score', () => {
  const p = new NgramScorer({ w: new Float32Array(NGRAM_DIM), b: new Float32Array([0]), pop: { w: new Float32Array([-1, -1, -1, -1, -1, -1]), table } });
  let seed = 7;
  const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const alphabet = 'google.comexample.orgw@:/?#.[]-';
  for (let t = 0; t < 2000; t++) {
    const len = Math.floor(rnd() ** 2 * 300);
    const s = Array.from({ length: len }, () => (rnd() < 0.8 ? alphabet[Math.floor(rnd() * alphabet.length)]! : String.fromCharCode(Math.floor(rnd() * 0x10000)))).join('');
    const f = table.featureOf(s);
    assert.ok(Number.isInteger(f) && f >= -1 && f < 6, s);
    const [a, b] = p.scoreBatch([s, new TextEncoder().encode(s)]);
    assert.ok(Number.isFinite(a) && a! >= 0 && a! <= 1 && Number.isFinite(b), s);
  }
});

test('popularity dropout: a URL-set row hidden from the table every time teaches its weight nothing; extra rows are never hidden', () => {
  const rows = [
    ...Array.from({ length: 30 }, (_, i) => ({ url: `google.com/search?q=${i}`, label: 0 as const })),
    ...Array.from({ length: 30 }, (_, i) => ({ url: `login-verify${i}.tk/secure`, label: 1 as const })),
  ];
  const on = trainNgram(rows, [], { epochs: 2, seed: 1, popularity: table, popularityDropout: 0 });
  const off = trainNgram(rows, [], { epochs: 2, seed: 1, popularity: table, popularityDropout: 1 });
  assert.ok(on.weights.pop!.w[0]! < -0.1, `learned ${on.weights.pop!.w[0]}`);
  assert.equal(off.weights.pop!.w[0], 0);
  const extras = rows.map((r) => ({ ...r, extra: true }));
  const kept = trainNgram(extras, [], { epochs: 2, seed: 1, popularity: table, popularityDropout: 1 });
  assert.ok(kept.weights.pop!.w[0]! < -0.1, `extra rows keep their popularity: ${kept.weights.pop!.w[0]}`);
});

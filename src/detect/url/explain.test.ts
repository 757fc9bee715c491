/** The explanation's most suspicious substrings: strong runs, widened to whole words within their part. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainByBytes, summarize, topSubstrings } from './explain.js';

/** weights of `url`: 1 on the characters of each `strong` substring, 0 elsewhere */
function weightsOf(url: string, strong: string[]): number[] {
  const w = new Array<number>(url.length).fill(0);
  for (const s of strong) {
    const at = url.indexOf(s);
    for (let i = at; i < at + s.length; i++) w[i] = 1;
  }
  return w;
}

test('a run that stops inside a word is widened to the whole word, within its part', () => {
  const url = 'paypal.com.secure-login.verify-account.xyz/webscr?cmd=_login';
  const host = url.indexOf('/');
  const top = topSubstrings(url, weightsOf(url, ['cure-login', 'verify-acco']), 0, host, url.length);
  assert.deepEqual(top.map((t) => t.text).sort(), ['secure-login', 'verify-account']);
  for (const t of top) {
    assert.equal(url.slice(t.from, t.to), t.text);
    assert.equal(t.part, 'host');
  }
  // the weight is that of the strong characters, not of the letters added
  assert.equal(top.find((t) => t.text === 'verify-account')!.weight, 'verify-acco'.length);
});

test('widening stops at the host/path boundary and after 16 characters of a long token', () => {
  const url = 'example.com/abcdefghijklmnopqrstuvwxyz0123456789';
  const host = url.indexOf('/');
  const top = topSubstrings(url, weightsOf(url, ['klm']), 0, host, url.length);
  assert.equal(top.length, 1);
  assert.equal(top[0]!.part, 'path');
  assert.equal(top[0]!.from, url.indexOf('klm') - 10, 'back to the path start (the slash is not a word character)');
  assert.equal(top[0]!.to, url.indexOf('klm') + 3 + 16);
  const h = topSubstrings('login.tk/x', weightsOf('login.tk/x', ['ogi']), 0, 8, 10);
  assert.equal(h[0]!.text, 'login');
});

test('two runs that widen into the same word become one, their weights added', () => {
  const url = 'host.com/accountupdate';
  const w = weightsOf(url, ['acc']);
  const u = url.indexOf('upd');
  for (let i = u; i < u + 3; i++) w[i] = 1;
  const top = topSubstrings(url, w, 0, 8, url.length);
  assert.equal(top.length, 1);
  assert.equal(top[0]!.text, 'accountupdate');
  assert.equal(top[0]!.weight, 6);
  assert.match(summarize(0.97, { logit: 3.5, weights: w, host: [0, 8], path: [8, url.length], top }), /^score 0\.970: most suspicious "accountupdate" \(path\)$/);
});

test('strong runs inside one long token stay separate pieces, none widened past 16 characters a side', () => {
  const blob = 'wEPDwUKMTgwNjcyNjU0MA9kFggCAQ8WAh4EVGV4dAVoPHRpdGxlPlBlcnNpYW5CbG9nIC0g2KjYsdin24xf2K';
  const url = `persianblog.ir/${blob}`;
  const w = weightsOf(url, ['MTgw', 'dAVoP', 'CbG9n']);
  const top = topSubstrings(url, w, 0, 14, url.length);
  assert.equal(top.length, 3);
  for (const t of top) {
    assert.ok(t.to - t.from <= 5 + 32, `${t.text}: ${t.to - t.from} characters`);
  }
  assert.deepEqual(top.map((t) => t.weight).sort(), [4, 5, 5], 'each piece keeps its own strong characters');
  const sorted = [...top].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]!.from >= sorted[i - 1]!.to, 'pieces do not overlap');
});

/** explainByBytes with every byte weighing 1: what is marked is the host and path it found */
const ones = (url: string, mode: 'scheme' | 'scheme+www' = 'scheme') => explainByBytes(url, 0, mode, (bytes) => new Float64Array(bytes.length).fill(1));

test("host and path start after what normalizing removed, also when the rest repeats the scheme's letters", () => {
  assert.deepEqual(ones('http://tp').host, [7, 9]);
  const t = ones('http://ttp:/');
  assert.deepEqual([t.host, t.path], [[7, 11], [11, 12]]);
  assert.deepEqual(t.weights, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  assert.deepEqual(t.top.map((x) => x.text), ['ttp:', '/']);
  const q = ones(' "https://ps.example/https:// ');
  assert.deepEqual([q.host, q.path], [[10, 20], [20, 29]]);
  assert.equal(q.weights.length, 30);
  assert.deepEqual(ones('http://www.tp/', 'scheme+www').host, [11, 13]);
});

test('a URL over 4,096 characters: weights, host and path cover its first 4,096 only', () => {
  const url = `http://long.example/${'a'.repeat(5000)}`;
  const d = ones(url);
  assert.equal(d.weights.length, 4096);
  assert.deepEqual([d.host, d.path], [[7, 19], [19, 4096]]);
});

test('a run in the query string reads "(query)", one across its "?" "(path and query)"; the model\'s part stays path', () => {
  const url = 'http://cdn-sync.top/gate.php?id=9c4c388e#frag';
  const strong = (bytes: Uint8Array, part: 0 | 1): Float64Array => {
    const text = Buffer.from(bytes).toString('utf8');
    const w = new Float64Array(bytes.length);
    for (const s of part === 1 ? ['9c4c388e', 'gate'] : []) for (let i = text.indexOf(s); i < text.indexOf(s) + s.length; i++) w[i] = s === 'gate' ? 0.5 : 1;
    return w;
  };
  const d = explainByBytes(url, 2, 'scheme', strong);
  assert.deepEqual(d.query, [url.indexOf('?'), url.indexOf('#')]);
  assert.deepEqual(d.top.map((t) => [t.text, t.part]), [['9c4c388e', 'path'], ['gate', 'path']]);
  assert.equal(summarize(0.9, d), 'score 0.900: most suspicious "9c4c388e" (query), "gate" (path)');
  const across = { ...d, top: [{ text: 'php?id', from: url.indexOf('php'), to: url.indexOf('='), part: 'path' as const, weight: 1 }] };
  assert.equal(summarize(0.9, across), 'score 0.900: most suspicious "php?id" (path and query)');
  // no `?`, or one only inside the fragment: no query string
  assert.equal(ones('http://a.tk/x#y?z').query, undefined);
  assert.equal(ones('http://a.tk/x').query, undefined);
});

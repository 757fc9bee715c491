import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bm25Index, bruteForceSearch, termCounts } from './bm25.js';
import { tokenize } from './tokenize.js';

test('tokenize: words lower-cased, stop words and short numbers out, Japanese as bigrams', () => {
  assert.deepEqual(tokenize('The WordPress login brute-force on port 80 (CVE-2018-1000)'), ['wordpress', 'login', 'brute-force', 'port', 'cve-2018-1000']);
  assert.deepEqual(tokenize('不正ログイン'), ['不正', '正ロ', 'ログ', 'グイ', 'イン']);
});

test('tokenize: full-width letters and digits and half-width katakana are the words they stand for', () => {
  assert.deepEqual(tokenize('ＳＳＨ login from ｱﾗｰﾄ ＣＶＥ－２０１８－１０００'), tokenize('SSH login from アラート CVE-2018-1000'));
  assert.deepEqual(tokenize('ＳＳＨ ｱﾗｰﾄ'), ['ssh', 'アラ', 'ラー', 'ート']);
  // accents stay, as in the text match (fold.ts)
  assert.deepEqual(tokenize('Müller'), ['müller']);
  // a report typed on a Japanese keyboard finds the one that was not
  const idx = new Bm25Index();
  idx.add('SSH brute force on the mail server');
  idx.add('phishing mail to staff');
  assert.deepEqual(idx.search(idx.queryTerms('ＳＳＨ ｂｒｕｔｅ ｆｏｒｃｅ'), 5).map((x) => x.doc), [0]);
});

test('the inverted index ranks exactly as brute force', () => {
  const words = ['ssh', 'brute', 'force', 'login', 'ransomware', 'phishing', 'mail', 'server', 'web', 'shell', 'ddos', 'bot'];
  fc.assert(
    fc.property(fc.array(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 60 }), fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), (docs, q) => {
      const idx = new Bm25Index();
      for (const d of docs) idx.add(d.join(' '));
      const terms = [...new Set(q)];
      const a = idx.search(terms, 10);
      const b = bruteForceSearch(docs.map((d) => termCounts(d.join(' '))), terms, 10);
      assert.deepEqual(a.map((x) => x.doc), b.map((x) => x.doc));
      a.forEach((x, i) => assert.ok(Math.abs(x.score - (b[i]?.score ?? NaN)) < 1e-9));
    }),
    { numRuns: 200, seed: 1 },
  );
});

test('search leaves out the excluded document and says which query terms a result shares', () => {
  const idx = new Bm25Index();
  idx.add('ssh brute force on server');
  idx.add('ssh brute force again');
  idx.add('phishing mail');
  const terms = idx.queryTerms('ssh brute force');
  const r = idx.search(terms, 5, 0);
  assert.deepEqual(r.map((x) => x.doc), [1]);
  assert.deepEqual(idx.sharedTerms(terms, 1).sort(), ['brute', 'force', 'ssh']);
});

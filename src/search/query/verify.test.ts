import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textTokens } from '../../store/index.js';
import { compileQuery } from './compile.js';
import type { PhrasePred, SubstrPred } from './plan.js';
import { foldCase, verifyText } from './verify.js';

function pred(query: string): PhrasePred | SubstrPred {
  const root = compileQuery(query).root;
  assert.ok(root.op === 'phrase' || root.op === 'substr', query);
  return root;
}

test('phrases: consecutive words, case-insensitive; a bare dotted or hyphenated word matches whole words only', () => {
  assert.equal(verifyText(pred('web-01'), 'host WEB-01 up'), true);
  assert.equal(verifyText(pred('web-01'), 'host=(web-01), up'), true);
  assert.equal(verifyText(pred('web-01'), 'web 01'), false);
  assert.equal(verifyText(pred('web-01'), 'web-01-b'), false);
  assert.equal(verifyText(pred('203.0.113'), 'from 203.0.113.77 port 22'), false, 'a partial address is not an address');
  assert.equal(verifyText(pred('sub:203.0.113'), 'from 203.0.113.77 port 22'), true);
  assert.equal(verifyText(pred('"web 01"'), 'web-01'), true);
  assert.equal(verifyText(pred('web-01'), 'web-02 01'), false);
  assert.equal(verifyText(pred('"failed password"'), 'Failed  password for root'), true);
  assert.equal(verifyText(pred('"failed password"'), 'password failed'), false);
  assert.equal(verifyText(pred('web-0*'), 'web-0042'), true);
  assert.equal(verifyText(pred('web-0*'), 'web-10'), false);
});

test('substrings: case-insensitive, inside words', () => {
  assert.equal(verifyText(pred('sub:192.168'), 'from 192.168.3.4 port 22'), true);
  assert.equal(verifyText(pred('sub:192.168'), 'from 192.169.3.4'), false);
  assert.equal(verifyText(pred('sub:"PASSWORD FOR"'), 'Failed password for root'), true);
  assert.equal(verifyText(pred('sub:ß'), 'STRASSE straße'), true);
});

test('foldCase maps one code point to one; only U+0130 would expand', () => {
  assert.equal(foldCase('AbC'), 'abc');
  assert.equal(foldCase('İSTANBUL'), 'İstanbul');
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const lower = ch.toLowerCase();
    if (lower.length !== ch.length) assert.equal(cp, 0x130, `U+${cp.toString(16)} lowercases to ${lower.length} units`);
    assert.equal(Array.from(foldCase(ch)).length, 1);
  }
});

test('foldCase folds as the index: ς µ ſ ϐ as σ μ s β, Mtavruli and Cherokee kept, and a word of the fold is its term', () => {
  assert.equal(foldCase('ΟΔΟΣ οδος'), 'οδοσ οδοσ');
  assert.equal(foldCase('35 µs ſtop ϐ'), '35 μs stop β');
  assert.equal(foldCase('ᲨᲔᲪᲓᲝᲛᲐ ᏣᎳᎩ Ꞵeta'), 'ᲨᲔᲪᲓᲝᲛᲐ ᏣᎳᎩ Ꞵeta');
  assert.equal(foldCase('Ⓐ x'), 'ⓐ x', 'a separator with a case still folds (sub: ignores case)');
  for (let cp = 0x80; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const words = textTokens(ch);
    if (words.length === 1) assert.equal(foldCase(ch), words[0], `U+${cp.toString(16)}`);
  }
  // so phrases and substrings find both spellings, as words do
  assert.equal(verifyText(pred('"οδος κλειστη"'), 'ΟΔΟΣ κλειστη'), true);
  assert.equal(verifyText(pred('"35 µs"'), 'took 35 μs total'), true);
  assert.equal(verifyText(pred('sub:"ΟΔΟΣ"'), 'οδος κλειστη'), true);
  assert.equal(verifyText(pred('"only ᲨᲔᲪᲓᲝᲛᲐ"'), 'only ᲨᲔᲪᲓᲝᲛᲐ here'), true);
});

test('a dotted or hyphenated word ending in a prefix finds the longer words it starts', () => {
  assert.equal(verifyText(pred('web-01*'), 'host web-01-east up'), true);
  assert.equal(verifyText(pred('10.0.3*'), 'from 10.0.3.4 port 22'), true);
  assert.equal(verifyText(pred('10.0.3*'), 'from 10.0.35 port 22'), true);
  assert.equal(verifyText(pred('web-01*'), 'host web-02-east up'), false);
  assert.equal(verifyText(pred('web-01*'), 'a-web-01-east'), false, 'the word starts with them, not has them inside');
});

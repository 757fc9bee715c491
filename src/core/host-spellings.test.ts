/** Host spellings: punycode decoded as Node decodes it, and each internationalized host in both spellings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainToASCII, domainToUnicode } from 'node:url';
import { decodePunycode, hostSpellings, urlSearchTerms } from './host-spellings.js';

test('decodePunycode reads labels as Node does, and refuses what is not punycode', () => {
  for (const name of ['bücher.de', 'münchen.de', '例え.jp', 'россия.рф', 'παράδειγμα.δοκιμή', 'ドメイン名例.jp', 'faß.de', 'a-b-ü.example', '☃.net', '𝒜𝒷.example']) {
    const ascii = domainToASCII(name);
    const labels = ascii.split('.').map((l) => (l.startsWith('xn--') ? decodePunycode(l.slice(4)) : l));
    assert.equal(labels.join('.'), domainToUnicode(ascii), name);
  }
  for (const bad of ['!!', 'bcher-kv!', '999999999999', 'zzzzzzzzzzzzzzzzzzzz']) assert.equal(decodePunycode(bad), null, bad);
});

test('hostSpellings: an internationalized host in both spellings, itself first; others as they are', () => {
  assert.deepEqual(hostSpellings('xn--bcher-kva.de'), ['xn--bcher-kva.de', 'bücher.de', 'bu\u0308cher.de']);
  assert.deepEqual(hostSpellings('bücher.de'), ['bücher.de', 'xn--bcher-kva.de', 'bu\u0308cher.de']);
  assert.deepEqual(hostSpellings('XN--BCHER-KVA.de:8080'), ['XN--BCHER-KVA.de:8080', 'bücher.de:8080', 'bu\u0308cher.de:8080'], 'a port stays');
  assert.deepEqual(hostSpellings('BÜCHER.de'), ['BÜCHER.de', 'xn--bcher-kva.de', 'bu\u0308cher.de'], 'one spelling a case: the search folds it');
  assert.deepEqual(hostSpellings('shop.xn--p1ai'), ['shop.xn--p1ai', 'shop.рф'], 'рф has no decomposed spelling');
  // a decomposed (NFD) host, u and a combining diaeresis, as some logs carry it: one host, three spellings
  assert.deepEqual(hostSpellings('bu\u0308cher.de:8080'), ['bu\u0308cher.de:8080', 'xn--bcher-kva.de:8080', 'bücher.de:8080']);
  for (const same of ['example.com', '10.0.0.1', '[2001:db8::1]', 'xn--!!.example', 'a@bücher.de', '']) assert.deepEqual(hostSpellings(same), [same], same);
});

test('urlSearchTerms: the host in its spellings, the path as it is, a path alone untouched', () => {
  assert.deepEqual(urlSearchTerms('http://xn--bcher-kva.de/x?q=ü'), [['xn--bcher-kva.de', 'bücher.de', 'bu\u0308cher.de'], ['/x?q=ü']]);
  assert.deepEqual(urlSearchTerms('xn--bcher-kva.de/'), [['xn--bcher-kva.de', 'bücher.de', 'bu\u0308cher.de']]);
  assert.deepEqual(urlSearchTerms('evil.example/x'), [['evil.example'], ['/x']]);
  assert.deepEqual(urlSearchTerms('/xn--bcher-kva.de'), [['/xn--bcher-kva.de']]);
});

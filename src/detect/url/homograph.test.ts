/** The IDN-homograph rule and the confusable skeleton: a labelled rule beside the model, with the popularity table's domains. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { CONFUSABLE_COUNT, skeleton } from './confusables.js';
import { idnHomograph } from './homograph.js';
import { PopularityTable } from './popularity.js';

/** paypal.com, google.com, apple.com, blogspot.com ranked under 100; rarely.com at 5,000 (tier < 10,000). */
const filler = (n: number, from: number): string[] => Array.from({ length: n }, (_, i) => `filler${from + i}.net`);
const TABLE = PopularityTable.fromDomains(['google.com', 'paypal.com', 'apple.com', 'blogspot.com', 'xn--mnchen-3ya.de', ...filler(4995, 0), 'rarely.com']);

test('skeleton: Cyrillic, Greek and Latin look-alikes read as the ASCII letters they imitate, then lower case; a few dozen entries', () => {
  assert.ok(CONFUSABLE_COUNT >= 40, `${CONFUSABLE_COUNT} entries`);
  assert.deepEqual(skeleton('p\u0430ypal.com'), { text: 'paypal.com', confused: 1 });
  assert.deepEqual(skeleton('\u0430\u0440\u0440\u04cf\u0435'), { text: 'apple', confused: 5 });
  assert.deepEqual(skeleton('\u03bf\u03b1\u03bd\u03c1\u03c4\u03b9\u03ba'), { text: 'oavptik', confused: 7 });
  assert.deepEqual(skeleton('\u0420\u0410\u0423PAL'), { text: 'paypal', confused: 3 });
  assert.deepEqual(skeleton('\u0131\u0251\u2113'), { text: 'ial', confused: 3 });
  assert.deepEqual(skeleton('m\u00fcnchen \u4f8b \u00df'), { text: 'munchen \u4f8b \u00df', confused: 1 }, 'a Latin letter with diacritics reads as its base letter; others stay as they are');
  assert.deepEqual(skeleton('gma\u012bl tw\u00edtter \u1e07'), { text: 'gmail twitter b', confused: 3 });
});

test('fires on a host that shows as a popular domain with look-alike letters: punycode, Unicode, percent-escaped, a subdomain, www.', () => {
  // before: there was no such rule; the model read `xn--pypal-4ve.com` as bytes
  const fires: [string, string, string, string][] = [
    ['http://xn--pypal-4ve.com/', 'xn--pypal-4ve.com', 'p\u0430ypal.com', 'paypal.com'],
    ['https://XN--PYPAL-4VE.COM/webscr?cmd=_login', 'xn--pypal-4ve.com', 'p\u0430ypal.com', 'paypal.com'],
    ['http://\u0430\u0440\u0440\u04cf\u0435.com/', domainToASCII('\u0430\u0440\u0440\u04cf\u0435.com'), '\u0430\u0440\u0440\u04cf\u0435.com', 'apple.com'],
    ['http://%D0%B0pple.com/', domainToASCII('\u0430pple.com'), '\u0430pple.com', 'apple.com'],
    ['http://www.g\u043e\u043egle.com:8080/x', domainToASCII('g\u043e\u043egle.com'), 'g\u043e\u043egle.com', 'google.com'],
    ['http://login.g\u03bf\u03bfgle.com./', domainToASCII('login.g\u03bf\u03bfgle.com'), 'login.g\u03bf\u03bfgle.com', 'google.com'],
    ['blob:https://p\u0430yp\u0430l.com/1234', domainToASCII('p\u0430yp\u0430l.com'), 'p\u0430yp\u0430l.com', 'paypal.com'],
    ['xn--pypal-4ve.com/login', 'xn--pypal-4ve.com', 'p\u0430ypal.com', 'paypal.com'],
    ['http://user@xn--pypal-4ve.com/', 'xn--pypal-4ve.com', 'p\u0430ypal.com', 'paypal.com'],
  ];
  for (const [url, host, shown, looksLike] of fires) assert.deepEqual(idnHomograph(url, TABLE), { rule: 'idn-homograph', host, shown, looksLike }, url);
});

test('does not fire: ASCII hosts, IDNs of no popular look-alike, a popular IDN itself, a look-alike only in a label below the popular parent, a rank ≥ 1,000, no table', () => {
  const quiet = [
    'http://paypal.com/',
    'http://evil.tk/?to=xn--pypal-4ve.com',
    'http://evil.tk/p\u0430ypal.com',
    'http://m\u00fcnchen.de/',
    'http://xn--mnchen-3ya.de/',
    'http://\u4f8b\u3048.jp/',
    'http://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/',
    'http://p\u0430ypal-\u00fc.com/',
    'http://g\u043e\u043egle.blogspot.com/',
    'http://g\u043e\u043egle.evil.tk/',
    'http://r\u0430rely.com/',
    'http://xn--zz/',
    'http://xn--/',
    'http://xn--zz.com/',
    'http://[::1]/',
    'http:///x',
    '',
  ];
  for (const url of quiet) assert.equal(idnHomograph(url, TABLE), null, url);
  for (const table of [null, undefined]) assert.equal(idnHomograph('http://xn--pypal-4ve.com/', table), null, 'no popularity table: the rule has nothing to compare with');
});

test('fuzz: bad punycode, 253-character hosts and mixed scripts never throw; a finding names an ASCII host and an ASCII popular domain', () => {
  const label = fc.stringMatching(/^(?:[a-z0-9-]|xn--|zz|\u0430|\u0435|\u043e|\u0440|\u03bf|\u00fc|\u4f8b|%D0|%B0|%|\.|paypal|google)*$/);
  fc.assert(
    fc.property(label, label, fc.constantFrom('', 'www.', 'xn--', 'a'.repeat(250) + '.'), fc.constantFrom('.com', '.de', '', '.'), (a, b, pre, tld) => {
      const d = idnHomograph(`http://${pre}${a}.${b}${tld}/x`, TABLE);
      if (d === null) return;
      assert.equal(d.rule, 'idn-homograph');
      assert.match(d.host, /^[\x21-\x7e]+$/);
      assert.ok(['paypal.com', 'google.com', 'apple.com'].includes(d.looksLike), d.looksLike);
      assert.ok(d.host.length <= 253);
    }),
    { numRuns: 3000, seed: 178 },
  );
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => void idnHomograph(`http://${s}`, TABLE)), { numRuns: 3000, seed: 178 });
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => void skeleton(s)), { numRuns: 1000, seed: 178 });
  assert.equal(idnHomograph(`http://${'\u0430'.repeat(300)}.com/`, TABLE), null);
  assert.equal(idnHomograph(`http://${'xn--pypal-4ve.'.repeat(20)}com/`, TABLE), null, 'a host past 253 characters is no DNS name');
});

/** Popular domains for the letters below: all ranked under 100. */
const MORE = PopularityTable.fromDomains(['dropbox.com', 'twitter.com', 'google.com', 'paypal.com', 'apple.com', 'slack.com']);

test('Latin letters with a stroke (đ ł ø) and small capitals (ᴀ–ᴢ) read as their letters: skeleton and the rule', () => {
  // before: each skeleton kept the letter (NFD does not split a stroke off; small capitals are letters of their own) and the rule was quiet
  assert.deepEqual(skeleton('\u0111\u0110 \u0142\u0141 \u00f8\u00d8'), { text: 'dd ll oo', confused: 6 });
  const smallCaps = '\u1d00\u0299\u1d04\u1d05\u1d07\ua730\u0262\u029c\u026a\u1d0a\u1d0b\u029f\u1d0d\u0274\u1d0f\u1d18\ua7af\u0280\ua731\u1d1b\u1d1c\u1d20\u1d21\u028f\u1d22';
  assert.deepEqual(skeleton(smallCaps), { text: 'abcdefghijklmnopqrstuvwyz', confused: 25 });
  const fires: [string, string][] = [
    ['http://\u0111ropbox.com/', 'dropbox.com'],
    ['http://s\u0142ack.com/', 'slack.com'],
    ['http://g\u00f8\u00f8gle.com/', 'google.com'],
    ['http://\u1d18aypal.com/', 'paypal.com'],
    ['http://\u1d00\u1d18\u1d18\u029f\u1d07.com/', 'apple.com'],
    ['http://pa\u028fpal.com/', 'paypal.com'],
  ];
  for (const [url, looksLike] of fires) assert.equal(idnHomograph(url, MORE)?.looksLike, looksLike, url);
  assert.equal(idnHomograph('http://\u0111ropbox.com/', MORE)?.host, domainToASCII('\u0111ropbox.com'));
  // a real name with these letters that imitates no popular domain stays quiet
  for (const url of ['http://\u0142\u00f3d\u017a.pl/', 'http://k\u00f8benhavn.dk/', 'http://\u0111akovo.hr/']) assert.equal(idnHomograph(url, MORE), null, url);
});

test('a run of up to 4 labels inside the host spells the popular domain: twítter.com.co imitates twitter.com', () => {
  // before: null (only the host and its parent domains were looked up: twitter.com.co, com.co)
  const fires: [string, string][] = [
    ['http://tw\u00edtter.com.co/', 'twitter.com'],
    ['http://login.tw\u00edtter.com.co/x', 'twitter.com'],
    ['http://tw\u00edtter.com.evil.tk/', 'twitter.com'],
    ['http://www.p\u0430ypal.com.secure-login.tk/', 'paypal.com'],
    ['http://twitter.c\u043em.co/', 'twitter.com'],
  ];
  for (const [url, looksLike] of fires) assert.equal(idnHomograph(url, MORE)?.looksLike, looksLike, url);
  const quiet = [
    'http://twitter.com.co/', // no look-alike letter
    'http://g\u043e\u043egle.twitter.com.co/', // the look-alike is outside the popular run twitter.com
    'http://tw\u00edtter-x.com.co/', // the run reads twitter-x.com, not popular
    'http://tw\u00edtter.a.b.c.d.co/', // twitter is no popular name with any of its labels after it
  ];
  for (const url of quiet) assert.equal(idnHomograph(url, MORE), null, url);
});

/** `url:X`: the search for a URL finding's entity (`url:X`) finds the lines the URL was read from, as its evidence search does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { urlEvidenceQuery } from '../../detect/url/evidence-query.js';
import { compileQuery, LineMatcher, LineTerms } from '../index.js';

const matches = (query: string, line: string): boolean => new LineMatcher(compileQuery(query)).matches(new LineTerms(line, () => ''));

test('url: is a known field: a URL with a scheme is found where the line holds it, any case', () => {
  // before, `url:"…"` was refused: unknown field 'url'
  const line = 'proxy[7]: GET http://Evil.example/x?id=1 200 from 10.0.2.57';
  assert.ok(matches('url:"http://evil.example/x"', line));
  assert.ok(matches('url:http://evil.example/x', line), 'unquoted too');
  assert.ok(!matches('url:"http://evil.example/y"', line));
  assert.ok(matches('url:"https://evil.example/x"', line), 'the scheme is left out: any line of that host and path');
  // PAN-OS writes no scheme: a URL pasted with one finds its lines too (it found none)
  const pan = 'fw-pa-01 1,2026/12/02 02:00:00,0,THREAT,url,2561,,10.0.2.58,203.0.113.81,,,allow,corp\\bob,,web-browsing,,,,,,,1,1,51234,80,0,0,0x0,tcp,alert,"img-stat-relay.rest/update.bin",(9999),unknown';
  assert.ok(matches('url:"http://img-stat-relay.rest/update.bin"', pan));
  assert.ok(!matches('url:"http://img-stat-relay.rest/other.bin"', pan));
  assert.ok(matches('-url:"http://other.example/"', line), 'and negated');
});

test('url: of a scheme-less URL (EVE, Zeek: host and path in two fields) finds the record, and a bare host its host', () => {
  const eve = 'suricata[1]: {"event_type":"http","http":{"hostname":"secure-login-zzzz.tk","url":"/webscr/verify.php?cmd=login"}}';
  const zeek = ['1704189600.5', 'C1', '10.0.2.57', '51234', '203.0.113.80', '80', '1', 'GET', 'paypal-verify.example.net', '/signin', '-', '1.1'].join('\t');
  assert.ok(matches('url:"secure-login-zzzz.tk/webscr/verify.php?cmd=login"', eve));
  assert.ok(matches('url:paypal-verify.example.net/signin', zeek));
  assert.ok(!matches('url:paypal-verify.example.net/signin', eve));
  assert.ok(matches('url:secure-login-zzzz.tk/', eve), 'a TLS server name or HTTPS request: the host alone');
});

test('url:X compiles as the URL finding evidence search of X (detect/url/evidence-query.ts): the two rules stay one', () => {
  const urls = ['http://evil.example/x', 'HTTPS://A.example:8443/p?q="x"&r=\\', 'a.example', 'a.example/', 'a.example/?', 'a.example/x/y?z=1#f', 'a.example?x', 'ftp://files.example.org/pub', 'xn--bcher-kva.de/x', 'http://bücher.de:8080/x'];
  for (const url of urls) {
    assert.deepEqual(compileQuery(`url:"${url.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`), compileQuery(urlEvidenceQuery(url)), url);
  }
});

test('a * in url: is that character, and fields that do not exist are still refused', () => {
  assert.ok(matches('url:http://a.example/*', 'GET http://a.example/* 404'));
  assert.ok(!matches('url:http://a.example/*', 'GET http://a.example/x 200'));
  assert.throws(() => compileQuery('urls:"http://a.example/"'), /unknown field 'urls' at column 1 \(known: .*\burl\b/);
  assert.throws(() => compileQuery('url:'), /expected a value after 'url:'/);
});

test('url: and the evidence search of an internationalized host find lines of each spelling: punycode, Unicode composed (NFC) and decomposed (NFD)', () => {
  // findings name the host in punycode; a proxy may log it in Unicode, and the search found none of those;
  // some logs carry it decomposed (u + U+0308), scored as the same host, which the search found none of until 2026-12-04
  const lines = ['GET http://bücher.de/login.php 200', 'GET http://xn--bcher-kva.de/login.php 200', 'GET http://BÜCHER.de/login.php 200', 'GET http://bu\u0308cher.de/login.php 200', 'GET http://BU\u0308CHER.de/login.php 200'];
  for (const url of ['xn--bcher-kva.de/login.php', 'http://bücher.de/login.php', 'http://bu\u0308cher.de/login.php']) {
    for (const q of [urlEvidenceQuery(url), `url:"${url}"`]) {
      for (const line of lines) assert.ok(matches(q, line), `${q} finds ${line}`);
      assert.ok(!matches(q, 'GET http://bucher.de/login.php 200'), `${q}: not another host`);
      assert.ok(!matches(q, 'GET http://bücher.de/other.php 200'), `${q}: not another path`);
    }
  }
  assert.equal(urlEvidenceQuery('xn--bcher-kva.de/login.php'), '(sub:"xn--bcher-kva.de" OR sub:"bücher.de" OR sub:"bu\u0308cher.de") sub:"/login.php"');
  assert.equal(urlEvidenceQuery('evil.example/x'), 'sub:"evil.example" sub:"/x"', 'an ASCII host as before');
});

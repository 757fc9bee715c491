import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bindQuery, dnsmasq } from './dns.js';
import type { Relation } from './types.js';

const edges = (f: (text: string, out: Relation[]) => void, text: string) => {
  const out: Relation[] = [];
  f(text, out);
  return out.map((r) => `${r.kind} ${r.from} ${r.to}`);
};

test('dnsmasq: answers from a file (`/etc/hosts`, `/x/y`) as before', () => {
  assert.deepEqual(edges(dnsmasq, '/etc/hosts nas.lan is 10.0.0.9'), ['resolve domain:nas.lan ip:10.0.0.9']);
  assert.deepEqual(edges(dnsmasq, '/var/lib/misc/hosts.d/a nas.lan is 10.0.0.9'), ['resolve domain:nas.lan ip:10.0.0.9']);
  assert.deepEqual(edges(dnsmasq, 'a/b nas.lan is 10.0.0.9'), ['resolve domain:nas.lan ip:10.0.0.9']);
  for (const w of ['/a', 'a/', '/', 'ab']) assert.deepEqual(edges(dnsmasq, `${w} nas.lan is 10.0.0.9`), [], w);
});

test('dnsmasq: the answer source matches the words `\\S+\\/\\S+` matched', () => {
  const OLD = /^(?:reply|cached|config|\/etc\/hosts|\S+\/\S+) (\S+) is (\S+)/;
  const word = fc.array(fc.constantFrom('a', '/', 'b', '//'), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
  fc.assert(
    fc.property(word, (w) => {
      const text = `${w} nas.lan is 10.0.0.9`;
      assert.equal(edges(dnsmasq, text).length, OLD.test(text) ? 1 : 0, text);
    }),
    { numRuns: 2000 },
  );
});

test('dnsmasq: a MiB-long word of `/` is read in linear time (minutes before)', () => {
  assert.deepEqual(edges(dnsmasq, 'a/'.repeat(1 << 19) + 'a 1.2.3.4 x'), []);
  assert.deepEqual(edges(dnsmasq, 'a/'.repeat(1 << 19) + 'a nas.lan is 10.0.0.9'), ['resolve domain:nas.lan ip:10.0.0.9']);
});

test('bind: the query line with or without a category, view or the name in parentheses', () => {
  const want = ['query ip:10.0.2.91 domain:app.quora.com'];
  assert.deepEqual(edges(bindQuery, 'client @0x7f43b6fa4db8 10.0.2.91#4132 (app.quora.com): view internal: query: app.quora.com IN A +E(0) (10.0.0.53)'), want);
  assert.deepEqual(edges(bindQuery, 'queries: info: client 10.0.2.91#4132 (app.quora.com): query: app.quora.com IN A +'), want);
  assert.deepEqual(edges(bindQuery, '02-Jan-2024 10:00:00.123 queries: info: client 10.0.2.91#4132: query: app.quora.com IN A +'), want);
  // the name in parentheses is a DNS name: at most 255 octets, 4 characters each escaped
  assert.deepEqual(edges(bindQuery, `client 10.0.2.91#4132 (${'\\097'.repeat(255)}): query: app.quora.com IN A +`), want);
  assert.deepEqual(edges(bindQuery, 'lame server resolving \'example.net\' (in \'example.net\'?): 192.0.2.1#53'), []);
});

test('bind: a MiB of `client 1#1 (` is read in linear time (a minute before)', () => {
  assert.deepEqual(edges(bindQuery, 'client 1#1 ('.repeat(1 << 17) + ' 1.2.3.4'), []);
  const text = 'queries: info: client 10.0.2.91#4132 (app.quora.com): query: app.quora.com IN A + ' + 'client 1#1 ('.repeat(1 << 17);
  assert.deepEqual(edges(bindQuery, text), ['query ip:10.0.2.91 domain:app.quora.com']);
});

test('bind: a denied query (`query (cache) NAME/TYPE/CLASS denied`) is still a query by the client', () => {
  const head = '19-Oct-2022 05:34:02.425 client @0x7f65100ee4d8 104.219.136.31#3076 (example.com):';
  assert.deepEqual(edges(bindQuery, `${head} query (cache) 'example.com/ANY/IN' denied`), ['query ip:104.219.136.31 domain:example.com']);
  assert.deepEqual(edges(bindQuery, `${head} view external: query 'www.example.org/A/IN' denied`), ['query ip:104.219.136.31 domain:www.example.org']);
  assert.deepEqual(edges(bindQuery, `${head} query: example.com IN ANY +E(0) (10.0.0.53)`), ['query ip:104.219.136.31 domain:example.com']);
  // other denials (a zone transfer, an update) are no query
  assert.deepEqual(edges(bindQuery, `${head} zone transfer 'example.com/AXFR/IN' denied`), []);
  assert.deepEqual(edges(bindQuery, `${head} update 'example.com/IN' denied`), []);
});

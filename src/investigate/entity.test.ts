import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isAppError } from '../core/index.js';
import { compileQuery } from '../search/index.js';
import { isInternalIp, parseEntity, searchTerm } from './entity.js';

test('entities are normalized as the relation index stores them', () => {
  assert.equal(parseEntity('ip:010.0.0.5'.replace('010', '10')).key, 'ip:10.0.0.5');
  assert.equal(parseEntity('IP:2001:DB8::0:1').key, 'ip:2001:db8::1');
  assert.equal(parseEntity('mac:00-1E-C9-2A-44-10').key, 'mac:00:1e:c9:2a:44:10');
  assert.equal(parseEntity('mac:001e.c92a.4410').key, 'mac:00:1e:c9:2a:44:10');
  assert.equal(parseEntity('domain:Evil.Example.').key, 'domain:evil.example');
  assert.equal(parseEntity('user:CORP\\Herbert').key, 'user:corp\\herbert');
  assert.equal(parseEntity('port:0443').key, 'port:443');
  assert.equal(parseEntity('198.51.100.66').key, 'ip:198.51.100.66');
  assert.equal(parseEntity('bad-c2.example').key, 'domain:bad-c2.example');
  assert.equal(parseEntity('sig:ET MALWARE x').key, 'sig:ET MALWARE x');
  // a URL finding's entity pivots from its host (the Alerts page's "pivot" on a URL finding was a 400)
  assert.equal(parseEntity('url:http://login-verify-portal.info/secure/login.php?x=1').key, 'domain:login-verify-portal.info');
  assert.equal(parseEntity('url:Bob@Paypal.Example.COM:8443/a').key, 'domain:paypal.example.com');
  assert.equal(parseEntity('url:https://198.51.100.66:8080/x').key, 'ip:198.51.100.66');
  assert.equal(parseEntity('url:http://[2001:db8::1]/x').key, 'ip:2001:db8::1');
  for (const bad of ['ip:1.2.3', 'mac:zz', 'port:70000', 'domain:nodot', 'user:', 'nonsense', '', 'url:', 'url:http:///path', 'url:nodot/x']) {
    assert.throws(() => parseEntity(bad), (e: unknown) => isAppError(e) && e.code === 'PIVOT_BAD_ENTITY', bad);
  }
});

test('internal addresses: RFC 1918, loopback, link-local, CGNAT and ULA', () => {
  for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', 'fd00::1', 'fe80::1']) assert.ok(isInternalIp(ip), ip);
  for (const ip of ['172.32.0.1', '8.8.8.8', '198.51.100.66', '2001:db8::1']) assert.ok(!isInternalIp(ip), ip);
});

test('internal addresses are decided on the bits: fc::1 is 00fc::1 (outside fc00::/7), ::ffff:10.0.0.5 is 10.0.0.5', () => {
  for (const ip of ['fc00::1', 'fdff:ffff::1', 'FD12::1', 'fe80::1%eth0', 'febf::1', '::1', '::ffff:10.0.0.5', '::ffff:192.168.1.1', '::ffff:7f00:1']) assert.ok(isInternalIp(ip), ip);
  for (const ip of ['fc::1', 'fd::1', 'fe8::1', 'fec0::1', 'fe7f::1', '::ffff:8.8.8.8', '::2', '::', '::a00:5', '2001:db8::1', 'not-an-ip', '10.0.0', '']) assert.ok(!isInternalIp(ip), ip);
});

test('entity edge cases: an address is not a domain, the trailing dot and IDNs both ways, sig values as stored', () => {
  assert.throws(() => parseEntity('domain:10.0.0.5'), (e: unknown) => isAppError(e) && e.code === 'PIVOT_BAD_ENTITY' && /address/.test(e.message));
  assert.throws(() => parseEntity('domain:1.2.3'), (e: unknown) => isAppError(e) && e.code === 'PIVOT_BAD_ENTITY');
  assert.equal(parseEntity('evil.example.').key, 'domain:evil.example');
  assert.equal(parseEntity('domain:evil.example.').key, 'domain:evil.example');
  assert.equal(parseEntity('domain:bücher.example').key, 'domain:xn--bcher-kva.example');
  assert.equal(parseEntity('BÜCHER.example.').key, 'domain:xn--bcher-kva.example');
  assert.equal(parseEntity('url:https://bücher.example/x').key, 'domain:xn--bcher-kva.example');
  assert.throws(() => parseEntity('domain:ex ample.com'), (e: unknown) => isAppError(e) && e.code === 'PIVOT_BAD_ENTITY');
  // the index stores `sig:` + the signature as the log wrote it
  assert.equal(parseEntity('sig: ET SCAN x ').key, 'sig: ET SCAN x ');
  assert.throws(() => parseEntity('sig:   '), (e: unknown) => isAppError(e) && e.code === 'PIVOT_BAD_ENTITY');
  for (const key of ['sig:***', 'sig:==>', 'user:**', 'host:--', 'sig:ET "x" \\y']) {
    const q = searchTerm(key);
    assert.doesNotThrow(() => compileQuery(q), `${key}: ${q}`);
  }
  assert.equal(searchTerm('sig:***'), 'sub:"***"');
  assert.equal(searchTerm('sig:ET SCAN x'), '"ET SCAN x"');
});

test('fuzz: an entity parses or is refused with PIVOT_BAD_ENTITY, and its evidence term always compiles', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.tuple(fc.constantFrom('ip:', 'domain:', 'mac:', 'user:', 'port:', 'host:', 'sig:', ''), fc.string({ maxLength: 40 })).map(([a, b]) => a + b),
  );
  fc.assert(
    fc.property(text, text, (a, b) => {
      const keys: string[] = [];
      for (const t of [a, b]) {
        try {
          const e = parseEntity(t);
          assert.match(e.key, /^(ip|domain|mac|user|port|host|sig):/);
          keys.push(e.key);
        } catch (err) {
          assert.ok(isAppError(err) && err.code === 'PIVOT_BAD_ENTITY', String(err));
        }
      }
      // the evidence search of entities (punctuation-only values as a substring, `sub:"***"`) always compiles
      compileQuery(keys.map(searchTerm).join(' ') || 'x');
      // keys as the index might hold them, unvalidated: an empty value is the only refusal
      const raw = [a, b].map((t) => (t.indexOf(':') > 0 ? t : `user:${t}`));
      try {
        compileQuery(raw.map(searchTerm).join(' '));
      } catch (err) {
        assert.ok(isAppError(err) && err.code === 'QUERY_SYNTAX', String(err));
      }
    }),
    { numRuns: 1000 },
  );
});

test('an IPv4-mapped address, however written, is the IPv4 address it maps (as the relation index keys it)', () => {
  for (const text of ['ip:::ffff:10.0.0.5', 'ip:::FFFF:10.0.0.5', 'ip:0:0:0:0:0:ffff:a00:5', '::ffff:a00:5', 'url:http://[::ffff:10.0.0.5]:8080/x', 'ip:10.0.0.5']) {
    assert.deepEqual(parseEntity(text), { type: 'ip', value: '10.0.0.5', key: 'ip:10.0.0.5' }, text);
  }
  assert.equal(parseEntity('ip:::ffff:0:a00:5').key, 'ip:::ffff:0:a00:5');
  assert.equal(parseEntity('ip:::1').key, 'ip:::1');
});

test('the search term of an address starting with a colon is quoted: ip:::1 would read as the words ip and 1', () => {
  assert.equal(searchTerm('ip:::1'), 'ip:"::1"');
  assert.equal(searchTerm('ip:2001:db8::1'), 'ip:2001:db8::1');
  // edges stored before mapped addresses were keyed as IPv4 still find their lines
  for (const key of ['ip:::1', 'ip:::ffff:10.0.0.5']) assert.equal(compileQuery(searchTerm(key)).fastFts?.includes('ip6_'), true, key);
});

test('a network is refused as such, saying to pivot on one of its addresses or search it (it said "has no known type")', () => {
  for (const [text, cidr] of [['10.20.1.0/24', '10.20.1.0/24'], ['ip:10.20.1.0/24', '10.20.1.0/24'], ['2001:db8::/48', '2001:db8::/48']]) {
    assert.throws(() => parseEntity(text!), (e) => isAppError(e) && e.code === 'PIVOT_BAD_ENTITY' && e.message.includes(`is a network: a pivot starts from one address or name`) && e.message.includes(`(the query ${cidr})`), text);
  }
  assert.equal(parseEntity('10.20.1.5').key, 'ip:10.20.1.5');
});

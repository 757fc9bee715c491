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

test('fuzz: an entity parses or is refused with PIVOT_BAD_ENTITY, and its evidence term always compiles', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.tuple(fc.constantFrom('ip:', 'domain:', 'mac:', 'user:', 'port:', 'host:', 'sig:', ''), fc.string({ maxLength: 40 })).map(([a, b]) => a + b),
  );
  fc.assert(
    fc.property(text, text, (a, b) => {
      for (const t of [a, b]) {
        try {
          const e = parseEntity(t);
          assert.match(e.key, /^(ip|domain|mac|user|port|host|sig):/);
        } catch (err) {
          assert.ok(isAppError(err) && err.code === 'PIVOT_BAD_ENTITY', String(err));
        }
      }
      const keys = [a, b].map((t) => (t.indexOf(':') > 0 ? t : `user:${t}`));
      const q = keys.map(searchTerm).join(' ');
      try {
        compileQuery(q);
      } catch (err) {
        // an empty or punctuation-only value has no searchable word: the only acceptable refusal
        assert.ok(isAppError(err) && err.code === 'QUERY_SYNTAX', `${q}: ${String(err)}`);
      }
    }),
    { numRuns: 1000 },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities } from '../index.js';

const domains = (text: string) => extractEntities(text).filter((e) => e.kind === 'domain').map((e) => e.value);

test('scan: service names keep their leading `_` (SRV, DMARC), as relation edges name them', () => {
  assert.deepEqual(domains('query[SRV] _ldap._tcp.dc._msdcs.corp.example.com from 10.0.0.5'), ['_ldap._tcp.dc._msdcs.corp.example.com']);
  assert.deepEqual(domains('query[TXT] _dmarc.example.com, (_sip._udp.example.com)'), ['_dmarc.example.com', '_sip._udp.example.com']);
  assert.deepEqual(domains('host=_kerberos._tcp.CORP.EXAMPLE.COM:88'), ['_kerberos._tcp.corp.example.com']);
});

test('scan: other leading and trailing punctuation is still trimmed', () => {
  assert.deepEqual(domains('see .www.example.com. and -mail.example.org-'), ['www.example.com', 'mail.example.org']);
  assert.deepEqual(domains('__init__.py _setup.py'), []);
});

test('scan: a mixed-case TLD and a language-root host name are domain entities', () => {
  assert.deepEqual(domains('query[A] WWW.EXAMPLE.Com from 10.0.0.5'), ['www.example.com']);
  assert.deepEqual(domains('query[A] android.clients.google.com from 10.0.0.5'), ['android.clients.google.com']);
  assert.deepEqual(domains('at java.util.List com.example.Foo androidx.core.app System.Net'), []);
});

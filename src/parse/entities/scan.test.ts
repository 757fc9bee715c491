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

const kinds = (text: string) => extractEntities(text).map((e) => `${e.kind}:${e.value}`);

test('scan: a keyword after a word and a colon gates its extractor (`Referer:http://`, `auth:user=`, `x:port=`)', () => {
  assert.deepEqual(kinds('Referer:http://evil.example.com/a'), ['domain:evil.example.com', 'url:http://evil.example.com/a']);
  assert.deepEqual(kinds('url:http://10.0.0.5/payload.sh'), ['ip:10.0.0.5', 'url:http://10.0.0.5/payload.sh']);
  assert.deepEqual(kinds('redirect:https://evil.example.com/x'), ['domain:evil.example.com', 'url:https://evil.example.com/x']);
  assert.deepEqual(kinds('auth:user=bob from 10.0.0.1'), ['ip:10.0.0.1', 'user:bob']);
  assert.deepEqual(kinds('x:port=22 a:b:dport=23'), ['port:22', 'port:23']);
  // a URL needs a word boundary before its scheme, as before
  assert.deepEqual(kinds('a_https://evil.example.com/x').filter((k) => k.startsWith('url:')), []);
});

test('scan: a terminal colour code (ANSI CSI) is a separator, and the extractors read the text without it', () => {
  assert.deepEqual(kinds('INFO:     \x1b[32m172.17.0.1:50912\x1b[0m - "GET / HTTP/1.1" 200'), ['ip:172.17.0.1', 'port:50912']);
  assert.deepEqual(kinds('conn from \x1b[1mevil.example.com\x1b[0m user=\x1b[33malice\x1b[0m'), ['domain:evil.example.com', 'user:alice']);
  assert.deepEqual(kinds('\x1b[1;31mERROR\x1b[0m listening on port \x1b[1m22\x1b[0m'), ['port:22']);
  // a lone ESC, or an unfinished sequence, is a separator like any control character
  assert.deepEqual(kinds('lone \x1b 10.0.0.1 \x1b[12;'), ['ip:10.0.0.1']);
  assert.deepEqual(kinds('\x1b[' + '1'.repeat(1 << 16) + ' 10.0.0.2'), ['ip:10.0.0.2']);
  // codes that removing codes joins (`\x1b\x1b[1m[2m`) go too, in linear time however deep a hostile line nests them
  assert.deepEqual(kinds('\x1b'.repeat(1 << 16) + '[1m'.repeat(1 << 16) + ' 10.0.0.3'), ['ip:10.0.0.3']);
});

test('scan: an IPv6 address that ends in `::` keeps it (`2001:db8:abcd::`, `[2001:db8::]:179`, `fe80::`)', () => {
  assert.deepEqual(kinds('delegated prefix 2001:db8:abcd:: to client'), ['ip:2001:db8:abcd::']);
  assert.deepEqual(kinds('peer [2001:db8::]:179 up'), ['ip:2001:db8::', 'port:179']);
  assert.deepEqual(kinds('src=fe80:: dst=ff02::2'), ['ip:fe80::', 'ip:ff02::2']);
  assert.deepEqual(kinds('prefix 2001:db8::. done'), ['ip:2001:db8::']);
  // a word before `::` (a namespace) is still no address, nor is a single trailing colon part of one
  assert.deepEqual(kinds('in Foo:: and add:: and abc::'), []);
  assert.deepEqual(kinds('address 2001:db8::1: up'), ['ip:2001:db8::1']);
});

test('scan: an address after a label (`host:17.1.1.1`, Zookeeper\'s `Factory:0.0.0.0/…`) or before the `@` of a non-address (`/10.0.0.3:4444:Leader@576`) is an address, with its port', () => {
  const of = (text: string) => extractEntities(text).map((e) => `${e.kind}:${e.value}`);
  assert.deepEqual(of('conn from x:11.1.1.1 and host:17.1.1.1:22 ok'), ['ip:11.1.1.1', 'ip:17.1.1.1', 'port:22']);
  assert.deepEqual(of('INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxnFactory@197] - Accepted socket connection from /10.10.34.11:59728'), ['ip:0.0.0.0', 'port:2181', 'ip:10.10.34.11', 'port:59728']);
  assert.deepEqual(of('INFO  [LearnerHandler-/10.10.34.13:42241:Leader@576] - Follower sid'), ['ip:10.10.34.13', 'port:42241']);
  // an e-mail address and a user at a host stay what they were
  assert.deepEqual(of('from svc.backup@corp.example to root@pam via user@10.0.0.5'), ['email:svc.backup@corp.example', 'domain:corp.example', 'ip:10.0.0.5']);
});

/** The host a line's source gives it, where its header names none: parse, index terms, read-time fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from './index.js';
import { eventTerms, typedTerm } from '../store/index.js';
import { enrichHit } from '../enrich.js';
import { peerHost, sourceHostProblem } from '../core/index.js';

const rec = (line: string, host?: string) => ({ line, receivedAt: Date.UTC(2026, 11, 7, 12), source: 'file:/var/log/nginx/access.log', ...(host === undefined ? {} : { host }) });

test('a line without a header takes its source host, and is indexed under host: as a header host is', () => {
  const ev = parseLine(rec('10.0.0.9 - - [07/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12', 'web-01'));
  assert.equal(ev.host, 'web-01');
  assert.equal(ev.parsed, false, 'still a raw line');
  assert.equal(ev.format, 'raw');
  assert.ok(eventTerms(ev).split(' ').includes(typedTerm('host', 'web-01')), eventTerms(ev));
  assert.equal(parseLine(rec('10.0.0.9 - - "GET /"')).host, null, 'no source host: none, as before');
});

test("a header's own host wins; a header without one (PRI only, RFC 5424's '-', Cisco's) takes the source's", () => {
  assert.equal(parseLine(rec('<13>Dec  7 10:00:02 db-02 sshd[1]: hello', 'web-01')).host, 'db-02');
  assert.equal(parseLine(rec('<165>1 2026-12-07T10:00:00Z mail-03 app 1 - - hi', 'web-01')).host, 'mail-03');
  assert.equal(parseLine(rec('<14>a bare message from a device', '10.0.0.5')).host, '10.0.0.5');
  assert.equal(parseLine(rec('<165>1 2026-12-07T10:00:00Z - app 1 - - hi', '10.0.0.5')).host, '10.0.0.5');
  assert.equal(parseLine(rec('<189>*Mar  1 00:00:01.123: %SYS-5-CONFIG_I: Configured from console', '10.0.0.6')).host, '10.0.0.6');
});

test('read time: a hit with a source host shows it in its Host field, as when it was indexed', () => {
  const hit = { rowid: 1, time: 1, receivedAt: 1, source: 'udp:10.0.0.5:514', raw: '<14>link down', shard: 's.db' };
  assert.equal(enrichHit({ ...hit, sourceHost: '10.0.0.5' }).host, '10.0.0.5');
  assert.equal(enrichHit(hit).host, null, 'a line stored before hosts were kept reads as before');
});

test('a named host: an IP address or a DNS-ish name, no spaces or control characters, at most 253 characters', () => {
  for (const ok of ['web-01', 'web-01.example.com', 'WEB_01', '10.0.0.5', '2001:db8::1', 'fqdn.example.', 'a'.repeat(63)]) assert.equal(sourceHostProblem(ok), null, ok);
  for (const [bad, why] of [
    ['', /empty/],
    ['web 01', /space or a control/],
    ['web\u000001', /space or a control/],
    ['web\n01', /space or a control/],
    ['x'.repeat(254), /254 characters long/],
    ['web/01', /neither an IP address nor a host name/],
    ['-web', /neither/],
    ['a..b', /neither/],
    ['a'.repeat(64), /neither/],
  ] as const) assert.match(sourceHostProblem(bad) ?? '', why, JSON.stringify(bad));
  assert.equal(sourceHostProblem(5), 'not text');
  assert.equal(peerHost('::ffff:10.0.0.1'), '10.0.0.1', 'an IPv4 sender through a dual-stack socket is its IPv4 address, as its source name writes it');
  assert.equal(peerHost('2001:db8::1'), '2001:db8::1');
  assert.equal(peerHost(undefined), undefined);
});

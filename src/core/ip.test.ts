import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIp, parseCidr, ipTerm } from './ip.js';

test('ipv4 canonical text and hex term', () => {
  const ip = parseIp('10.0.0.5')!;
  assert.equal(ip.text, '10.0.0.5');
  assert.equal(ipTerm(ip), 'ip4_0a000005');
  assert.equal(parseIp('10.0.0.256'), null);
  assert.equal(parseIp('010.0.0.5'), null);
});

test('ipv6 forms normalize to rfc 5952', () => {
  assert.equal(parseIp('2001:0DB8:0000:0000:0000:0000:0000:0001')!.text, '2001:db8::1');
  assert.equal(parseIp('::1')!.text, '::1');
  assert.equal(parseIp('::')!.text, '::');
  assert.equal(parseIp('fe80::1%eth0')!.text, 'fe80::1');
  assert.equal(parseIp('::ffff:192.0.2.1')!.text, '::ffff:192.0.2.1');
  assert.equal(parseIp('::FFFF:C000:0201')!.text, '::ffff:192.0.2.1');
  assert.equal(parseIp('1:2:3:4:5:6:7:8')!.text, '1:2:3:4:5:6:7:8');
  assert.equal(parseIp('1:2:3:4:5:6:7:8:9'), null);
  assert.equal(parseIp('1::2::3'), null);
  assert.equal(parseIp('12:30'), null);
  assert.equal(parseIp('1:2:3:4:5:6:1.2.3.4')!.text, '1:2:3:4:5:6:102:304');
});

test('cidr to term prefixes', () => {
  assert.deepEqual(parseCidr('10.1.0.0/16')!.termPrefixes, ['ip4_0a01']);
  assert.deepEqual(parseCidr('10.1.2.3/16')!.network, '10.1.0.0');
  assert.deepEqual(parseCidr('10.1.0.0/18')!.termPrefixes, ['ip4_0a010', 'ip4_0a011', 'ip4_0a012', 'ip4_0a013']);
  assert.deepEqual(parseCidr('0.0.0.0/0')!.termPrefixes, ['ip4_']);
  assert.deepEqual(parseCidr('192.168.1.7/32')!.termPrefixes, ['ip4_c0a80107']);
  assert.deepEqual(parseCidr('2001:db8::/32')!.termPrefixes, ['ip6_20010db8']);
  assert.equal(parseCidr('10.0.0.0/33'), null);
  assert.equal(parseCidr('10.0.0.0'), null);
});

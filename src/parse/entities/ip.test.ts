import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mappedIPv4, parseIp } from '../../core/index.js';
import { extractEntities } from './index.js';

const ips = (line: string): string[] => extractEntities(line).filter((e) => e.kind === 'ip').map((e) => e.value);

test('an IPv4-mapped address in any spelling is also indexed as the IPv4 address (search ip:10.0.0.5 finds it)', () => {
  for (const spelling of ['::ffff:10.0.0.5', '::FFFF:10.0.0.5', '0:0:0:0:0:ffff:a00:5', '::ffff:a00:5', '0:0:0:0:0:FFFF:0A00:0005', '[::ffff:10.0.0.5]:443']) {
    assert.deepEqual(ips(`conn from ${spelling} ok`), ['::ffff:10.0.0.5', '10.0.0.5'], spelling);
  }
  // other IPv6 addresses are not IPv4 ones, even with zeros and ffff in them
  assert.deepEqual(ips('conn from ::ffff:0:a00:5 ok'), ['::ffff:0:a00:5']);
  assert.deepEqual(ips('conn from ffff::a00:5 ok'), ['ffff::a00:5']);
  assert.deepEqual(ips('conn from 2001:db8::1 ok'), ['2001:db8::1']);
});

test('mappedIPv4 reads the address bits, not the text', () => {
  assert.equal(mappedIPv4(parseIp('0:0:0:0:0:ffff:c0a8:101')!), '192.168.1.1');
  assert.equal(mappedIPv4(parseIp('::ffff:255.255.255.255')!), '255.255.255.255');
  assert.equal(mappedIPv4(parseIp('::ffff:0.0.0.0')!), '0.0.0.0');
  for (const other of ['10.0.0.5', '::1', '::a00:5', '64:ff9b::10.0.0.5', '::ffff:1:0:0']) assert.equal(mappedIPv4(parseIp(other)!), null, other);
});

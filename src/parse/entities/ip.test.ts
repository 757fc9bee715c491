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

test("a browser's version written as a dotted quad (Chromium's reduced user agent: Chrome/124.0.0.0) is no address; an address after another word and `/` is", () => {
  const nginx =
    '10.0.1.28 - - [03/Dec/2026:15:45:47 +0000] "GET /login HTTP/1.1" 200 512 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"';
  assert.deepEqual(ips(nginx), ['10.0.1.28']);
  assert.deepEqual(ips('ua="OPR/110.0.0.0" src=203.0.113.9'), ['203.0.113.9']);
  assert.deepEqual(ips('agent="Mozilla/5.0 (X11) HeadlessChrome/120.0.0.0"'), []);
  // an address in a path, after another word (squid's hierarchy code), a bare slash or a URL's `//` stays an address
  assert.deepEqual(ips('1704189601.123 245 10.0.2.57 TCP_MISS/200 1234 GET http://a.example/ - HIER_DIRECT/203.0.113.80 text/html'), ['10.0.2.57', '203.0.113.80']);
  assert.deepEqual(ips('GET /api/detect/syn/hosts/152.193.46.16 200'), ['152.193.46.16']);
  assert.deepEqual(ips('peer ip/10.0.0.5 Host/10.0.0.6 nexthop/10.0.0.7'), ['10.0.0.5', '10.0.0.6', '10.0.0.7']);
  assert.deepEqual(ips('route /10.0.0.0 via http://192.0.2.1/x'), ['10.0.0.0', '192.0.2.1']);
  assert.deepEqual(ips('net 10.1.0.0/16 1/10.2.3.4'), ['10.1.0.0', '10.2.3.4']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIp, parseCidr, parseIPv6, ipTerm, ipOrderKey } from './ip.js';

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

test('ipv6 edge forms: zones, dotted tails, colons out of place, case', () => {
  const text = (s: string) => parseIp(s)?.text ?? null;
  assert.equal(text('::'), '::');
  assert.equal(text('::1.2.3.4'), '::102:304');
  assert.equal(text('1::1.2.3.4'), '1::102:304');
  assert.equal(text('::FFFF:1.2.3.4%eth0'), '::ffff:1.2.3.4');
  assert.equal(text('fe80::1%'), 'fe80::1');
  assert.equal(text('FE80::A:B%ETH0:1'), 'fe80::a:b');
  assert.equal(text('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(text('1:0:0:2:0:0:0:3'), '1:0:0:2::3');
  assert.equal(text('0:0:0:0:0:0:0:0'), '::');
  assert.equal(text('0001:0002:0003:0004:0005:0006:0007:0008'), '1:2:3:4:5:6:7:8');
  // `::` for one group is read (RFC 4291) though never written (RFC 5952 §4.2.2)
  assert.equal(text('1:2:3:4:5:6:7::'), '1:2:3:4:5:6:7:0');
  assert.equal(text('::1:2:3:4:5:6:7'), '0:1:2:3:4:5:6:7');
  for (const bad of [':', ':::', '::::', '1:::1', ':1::', '::1:', '1::2::3', ':1.2.3.4', '1:1.2.3.4', ':::1.2.3.4', '::1.2.3', '::01.2.3.4',
    '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', '1:2:3:4:5:6::1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '00000::', '1.2::3', 'g::1', ' ::1', '::1 ',
    '1.2.3.4%:', '%::1', '\u212a::1', '1:'.repeat(22) + '1']) {
    assert.equal(parseIp(bad), null, bad);
  }
});

/** The regex-and-split parser this file had until session 25, kept as the oracle of the one-pass reader. */
function referenceIPv6(input: string): number[] | null {
  const v4 = (t: string) => {
    const m = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.exec(t);
    return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  };
  let s = input.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.length < 2 || s.length > 45 || !/^[0-9a-f:.]+$/.test(s)) return null;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    const q = v4(s.slice(lastColon + 1));
    if (q === null) return null;
    tail = [(q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!];
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  if (head === null) return null;
  if (halves.length === 1) return head.length + tail.length === 8 ? [...head, ...tail] : null;
  const rest = groupsOf(halves[1]!);
  if (rest === null || head.length + rest.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - rest.length - tail.length).fill(0), ...rest, ...tail];
}

test('fuzz: parseIPv6 reads what the regex-and-split parser it replaced read, valid or not', () => {
  const group = fc.oneof(fc.constant('0'), fc.constant(''), fc.constant('00000'), fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16)), fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16).padStart(4, '0').toUpperCase()));
  const quad = fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('01', '', 'a')), { minLength: 3, maxLength: 5 }).map((o) => o.join('.'));
  const address = fc
    .tuple(fc.array(group, { minLength: 1, maxLength: 9 }), fc.nat(9), fc.option(quad), fc.constantFrom('', '%eth0', '%', '%:1'))
    .map(([gs, at, q, zone]) => {
      let s = gs.join(':');
      if (at < gs.length) s = s.split(':').map((g, i) => (i === at ? g + ':' : g)).join(':');
      return s + (q === null ? '' : ':' + q) + zone;
    });
  const noise = fc.string({ unit: fc.constantFrom(':', '.', '0', '1', '9', 'a', 'F', 'g', '%', ' '), maxLength: 48 });
  fc.assert(
    fc.property(fc.oneof(address, noise, fc.string({ maxLength: 48 })), (s) => {
      assert.deepEqual(parseIPv6(s), referenceIPv6(s), s);
    }),
    { numRuns: 20000 },
  );
});

test('parseIp uses no regular expression, split, map, join or lowercasing: it runs on every address of every line', () => {
  const addresses = ['2001:DB8::1%eth0', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8', '10.0.0.1', 'fe80::1:2:3:4', '1::2::3', '999.1.1.1', '1:2:3:4:5:6:1.2.3.4'];
  const patched: [object, string][] = [[RegExp.prototype, 'exec'], [String.prototype, 'split'], [String.prototype, 'toLowerCase'], [Array.prototype, 'map'], [Array.prototype, 'join']];
  const calls: string[] = [];
  const saved = patched.map(([proto, name]) => Object.getOwnPropertyDescriptor(proto, name)!);
  patched.forEach(([proto, name], i) => {
    const original = saved[i]!.value as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, { ...saved[i], value(this: unknown, ...args: unknown[]) { calls.push(name); return original.apply(this, args); } });
  });
  try {
    for (const a of addresses) parseIp(a);
  } finally {
    patched.forEach(([proto, name], i) => Object.defineProperty(proto, name, saved[i]!));
  }
  assert.deepEqual(calls, []);
});

test('ipOrderKey: IPv4 by value (an IPv4-mapped address beside its IPv4 form), then IPv6 by value, then what is no address', () => {
  const ips = ['2001:db8::10', 'fe80::1', '10.0.0.10', '::1', '2001:db8:0:1::', '10.0.0.9', 'not-an-ip', '2001:db8::9', '9.255.255.255', '::ffff:1.2.3.4', '2001:db8::1'];
  const sorted = [...ips].sort((a, b) => (ipOrderKey(a) < ipOrderKey(b) ? -1 : 1));
  // an IPv4-mapped address is that IPv4 host: just after its IPv4 form, among the IPv4 ones
  assert.deepEqual(sorted, ['::ffff:1.2.3.4', '9.255.255.255', '10.0.0.9', '10.0.0.10', '::1', '2001:db8::1', '2001:db8::9', '2001:db8::10', '2001:db8:0:1::', 'fe80::1', 'not-an-ip']);
  const mapped = ['::ffff:10.0.0.9', '10.0.0.10', '10.0.0.9'].sort((a, b) => (ipOrderKey(a) < ipOrderKey(b) ? -1 : 1));
  assert.deepEqual(mapped, ['10.0.0.9', '::ffff:10.0.0.9', '10.0.0.10']);
  // one address, however spelled, has one place
  assert.equal(ipOrderKey('2001:DB8::A'), ipOrderKey('2001:db8:0:0:0:0:0:a'));
});

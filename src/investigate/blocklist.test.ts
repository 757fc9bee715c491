import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Blocklist } from './blocklist.js';
import { Blocklists, loadBlocklistDir } from './blocklists.js';
import { loadBlocklistFile } from './blocklist-load.js';
import { PrefixTrie, parsePrefix, addressBytes } from './prefix-trie.js';
import { investigateFixtures, sharedDatasets } from './testing.js';

const FIXTURES = join(investigateFixtures(), 'blocklists');
const DATASETS = sharedDatasets();

test('the prefix trie finds the longest listed network, for IPv4 and IPv6', () => {
  const t = new PrefixTrie();
  const add = (cidr: string, v: number): void => {
    const p = parsePrefix(cidr)!;
    t.insert(p.bytes, p.bits, v);
  };
  add('10.0.0.0/8', 1);
  add('10.1.0.0/16', 2);
  add('2001:db8::/32', 3);
  add('0.0.0.0/0', 4);
  assert.deepEqual(t.match(addressBytes('10.1.2.3')!), { value: 2, bits: 96 + 16 });
  assert.deepEqual(t.match(addressBytes('10.2.2.3')!), { value: 1, bits: 96 + 8 });
  assert.deepEqual(t.match(addressBytes('8.8.8.8')!), { value: 4, bits: 96 });
  assert.deepEqual(t.match(addressBytes('2001:db8::1')!), { value: 3, bits: 32 });
  assert.equal(t.match(addressBytes('2001:db9::1')!), null);
  assert.equal(parsePrefix('10.0.0.0/33'), null);
  assert.equal(parsePrefix('nope/8'), null);
});

test('fuzz: a network matches exactly the addresses a bit-by-bit comparison says it holds', () => {
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
  fc.assert(
    fc.property(v4, fc.integer({ min: 0, max: 32 }), v4, (net, bits, probe) => {
      const bl = new Blocklist();
      bl.addNetwork(`${net}/${bits}`, 'l');
      const toInt = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      const inside = bits === 0 || Math.floor(toInt(net) / 2 ** (32 - bits)) === Math.floor(toInt(probe) / 2 ** (32 - bits));
      assert.equal(bl.lookupIp(probe).length > 0, inside);
    }),
    { numRuns: 500 },
  );
});

test('plain, IPsum, Maltrail CSV and trail files load; lookups name the list and what matched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-'));
  try {
    cpSync(FIXTURES, dir, { recursive: true });
    writeFileSync(join(dir, 'emotet-gz.txt.gz'), gzipSync(readFileSync(join(FIXTURES, 'emotet.txt'))));
    const { value: bl, details } = await loadBlocklistDir(dir);
    const byFile = Object.fromEntries(details.map((d) => [d.file, d]));
    assert.deepEqual(Object.keys(byFile).sort(), ['corp-deny.txt', 'emotet-gz.txt.gz', 'emotet.txt', 'ipsum.txt', 'maltrail-sample.csv']);
    assert.equal(byFile['ipsum.txt']!.format, 'ipsum');
    assert.equal(byFile['maltrail-sample.csv']!.format, 'maltrail-csv');
    assert.deepEqual([byFile['corp-deny.txt']!.entries, byFile['corp-deny.txt']!.skipped], [6, 2]);
    assert.deepEqual([byFile['maltrail-sample.csv']!.entries, byFile['maltrail-sample.csv']!.skipped], [3, 2]);
    assert.equal(byFile['emotet-gz.txt.gz']!.entries, 2);
    assert.deepEqual(bl.lookupIp('198.51.100.66'), [{ indicator: '198.51.100.66', list: 'corp-deny' }]);
    assert.deepEqual(bl.lookupIp('203.0.113.9'), [{ indicator: '203.0.113.0/24', list: 'corp-deny' }]);
    assert.deepEqual(bl.lookupIp('2001:db8:bad::1'), [{ indicator: '2001:db8:bad::/48', list: 'corp-deny' }]);
    assert.deepEqual(bl.lookupIp('77.90.185.20'), [{ indicator: '77.90.185.20', list: 'ipsum: on 10 lists' }]);
    assert.deepEqual(bl.lookupIp('192.0.2.200'), [{ indicator: '192.0.2.200', list: 'ipsum: on 1 list' }]);
    assert.deepEqual(bl.lookupIp('51.210.1.239'), [{ indicator: '51.210.1.239', list: 'maltrail malicious/365stealer_phishtool' }]);
    assert.deepEqual(bl.lookupIp('5.63.151.7'), [{ indicator: '5.63.151.0/24', list: 'maltrail mass_scanner_cidr/mass_scanner_cidr' }]);
    assert.equal(bl.lookupIp('192.0.2.77')[0]!.indicator, '192.0.2.77');
    assert.deepEqual(bl.lookupDomain('x.emotet-loader.example'), [{ indicator: 'emotet-loader.example', list: 'maltrail malware/emotet' }]);
    assert.deepEqual(bl.lookup('domain:a.b.tracker.example'), [{ indicator: 'tracker.example', list: 'corp-deny' }]);
    assert.equal(bl.lookup('domain:ads.example').length, 1);
    assert.equal(bl.lookup('domain:phish.example').length, 0, 'URLs are not listed as domains');
    assert.equal(bl.lookupIp('10.9.9.9').length, 0, 'sub-folders are not read');
    assert.equal(bl.lookup('user:alice').length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reload swaps in the new lists; a file that cannot be read is reported and the rest loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-'));
  try {
    writeFileSync(join(dir, 'a.txt'), '198.51.100.1\n');
    const lists = new Blocklists(dir);
    await lists.reload();
    assert.equal(lists.value.lookupIp('198.51.100.1').length, 1);
    writeFileSync(join(dir, 'a.txt'), '198.51.100.2\n');
    writeFileSync(join(dir, 'broken.txt.gz'), 'not gzip');
    await lists.reload();
    assert.equal(lists.value.lookupIp('198.51.100.1').length, 0);
    assert.equal(lists.value.lookupIp('198.51.100.2').length, 1);
    const status = lists.describe();
    assert.match(status.files.find((f) => f.file === 'broken.txt.gz')!.error ?? '', /header|gzip|incorrect/i);
    assert.equal(status.counts.ips, 1);
    lists.close();
    const missing = new Blocklists(join(dir, 'nope'));
    await missing.reload();
    assert.equal(missing.describe().counts.ips, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const IPSUM = join(DATASETS, 'ip-blocklist-ipsum', 'ipsum.txt.gz');
test('the shared IPsum feed loads whole', { skip: existsSync(IPSUM) ? false : 'needs ../shared/datasets/ip-blocklist-ipsum' }, async () => {
  const bl = new Blocklist();
  const status = await loadBlocklistFile(IPSUM, bl);
  assert.equal(status.format, 'ipsum');
  assert.equal(status.entries, 120_430);
  assert.deepEqual(bl.lookupIp('77.90.185.20'), [{ indicator: '77.90.185.20', list: 'ipsum: on 10 lists' }]);
});

test('IPv4 is matched by IPv4 entries only (not by an IPv6 bogon like ::/8), and ::ffff:a.b.c.d is that IPv4', () => {
  const bl = new Blocklist();
  for (const ind of ['::/8', '10.0.0.0/8', '1.2.3.4', '::ffff:5.6.7.8', '::ffff:0:0/96']) assert.ok(bl.addNetwork(ind, `l ${ind}`), ind);
  const only = new Blocklist();
  only.addNetwork('::/8', 'bogons');
  only.addNetwork('1.2.3.4', 'c2');
  assert.deepEqual(only.lookup('ip:8.8.8.8'), [], 'the IPv4 internet is not in ::/8');
  assert.deepEqual(only.lookup('ip:::1').map((h) => h.indicator), ['::/8'], 'IPv6 addresses still are');
  assert.deepEqual(only.lookup('ip:::ffff:1.2.3.4').map((h) => h.indicator), ['1.2.3.4'], 'an IPv4-mapped address is its IPv4');
  assert.deepEqual(bl.lookup('ip:5.6.7.8').map((h) => h.list), ['l ::ffff:5.6.7.8', 'l ::ffff:0:0/96'], 'a mapped entry is listed as its IPv4; the mapped block holds IPv4');
});

test('names of hex digits that start with a digit are domains, and a hosts file header blocks nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-hex-'));
  try {
    writeFileSync(join(dir, 'trails.txt'), '883217.cc\n3900f936.de\n01435.cc\n1.2.3.4\n2001:db8::/32\n');
    writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost\n127.0.0.1 localhost.localdomain\n255.255.255.255 broadcasthost\n::1 localhost ip6-localhost\nfe80::1%lo0 localhost\n0.0.0.0 0.0.0.0\n0.0.0.0 ads.example\n');
    const bl = new Blocklist();
    const trails = await loadBlocklistFile(join(dir, 'trails.txt'), bl);
    assert.deepEqual([trails.entries, trails.skipped], [5, 0]);
    for (const d of ['883217.cc', 'www.3900f936.de', '01435.cc']) assert.equal(bl.lookup(`domain:${d}`).length, 1, d);
    const hosts = await loadBlocklistFile(join(dir, 'hosts'), bl);
    assert.deepEqual([hosts.entries, hosts.skipped], [1, 6]);
    assert.equal(bl.lookup('domain:ads.example').length, 1);
    for (const k of ['domain:localhost.localdomain', 'ip:255.255.255.255', 'ip:0.0.0.0']) assert.deepEqual(bl.lookup(k), [], k);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

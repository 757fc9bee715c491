import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Blocklist } from './blocklist.js';
import { Blocklists, loadBlocklistDir } from './blocklists.js';
import { detectFormat, loadBlocklistFile } from './blocklist-load.js';
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

test('a truncated or vanished .gz is reported in its status, not thrown past it (plain and Maltrail CSV)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-gz-'));
  try {
    let csv = 'indicator,indicator_kind,class,family_or_list,comment\n';
    let plain = '';
    for (let i = 0; i < 50_000; i++) {
      csv += `bad${i}.example,domain,malware,x,c\n`;
      plain += `p${i}.example\n`;
    }
    const gzCsv = gzipSync(csv);
    const gzPlain = gzipSync(plain);
    writeFileSync(join(dir, 'trunc.csv.gz'), gzCsv.subarray(0, gzCsv.length >> 1));
    writeFileSync(join(dir, 'trunc.txt.gz'), gzPlain.subarray(0, gzPlain.length >> 1));
    // before the fix the CSV's gunzip error was uncaught: it ended the process (node:test reports it as a failure)
    for (const f of ['trunc.csv.gz', 'trunc.txt.gz']) {
      const st = await loadBlocklistFile(join(dir, f), new Blocklist());
      assert.match(st.error ?? '', /unexpected end of file/, f);
    }
    const csvStatus = await loadBlocklistFile(join(dir, 'trunc.csv.gz'), new Blocklist());
    assert.equal(csvStatus.format, 'maltrail-csv');
    // listed, then deleted before it is opened (a reload racing a feed update)
    for (const f of ['gone.txt.gz', 'gone.csv.gz', 'gone.txt']) {
      const st = await loadBlocklistFile(join(dir, f), new Blocklist());
      assert.match(st.error ?? '', /ENOENT/, f);
      assert.equal(st.entries, 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('detecting a .gz file format closes the file (a descriptor leaked per .gz per reload)', { skip: existsSync('/proc/self/fd') ? false : 'needs /proc' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-fd-'));
  try {
    let body = 'indicator,indicator_kind,class,family_or_list,comment\n';
    for (let i = 0; i < 20_000; i++) body += `bad${i}.example,domain,malware,x,c\n`;
    writeFileSync(join(dir, 'big.csv.gz'), gzipSync(body));
    writeFileSync(join(dir, 'big.txt'), body);
    const fds = (): number => readdirSync('/proc/self/fd').length;
    await detectFormat(join(dir, 'big.csv.gz'));
    await new Promise((r) => setTimeout(r, 50));
    const before = fds();
    for (let i = 0; i < 40; i++) {
      assert.equal(await detectFormat(join(dir, 'big.csv.gz')), 'maltrail-csv');
      assert.equal(await detectFormat(join(dir, 'big.txt')), 'maltrail-csv');
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(fds() - before < 5, `open descriptors went from ${before} to ${fds()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a hosts-file line with several names lists each of them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-hosts-'));
  try {
    writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost ip6-localhost\n0.0.0.0 ads.example tracker.example # two\n0.0.0.0 x.example\n0.0.0.0\tlocalhost\tthird.example\n');
    const bl = new Blocklist();
    const st = await loadBlocklistFile(join(dir, 'hosts'), bl);
    assert.deepEqual([st.entries, st.skipped], [4, 1]);
    for (const d of ['ads.example', 'tracker.example', 'x.example', 'third.example']) assert.deepEqual(bl.lookup(`domain:${d}`), [{ indicator: d, list: 'hosts' }], d);
    assert.deepEqual(bl.lookup('domain:localhost'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an indicator on several lists is a hit of each, and every listed network holding an address is one', () => {
  const bl = new Blocklist();
  bl.addNetwork('5.5.5.5', 'first');
  bl.addNetwork('5.5.5.5', 'second');
  bl.addNetwork('5.5.5.5', 'first');
  bl.addNetwork('10.0.0.0/8', 'listA');
  bl.addNetwork('10.1.0.0/16', 'listB');
  bl.addNetwork('10.1.0.0/16', 'listC');
  bl.addNetwork('2001:db8::/32', 'v6a');
  bl.addNetwork('2001:db8:bad::/48', 'v6b');
  bl.addDomain('evil.example', 'd1');
  bl.addDomain('evil.example', 'd2');
  bl.addDomain('a.evil.example', 'd3');
  assert.deepEqual(bl.lookup('ip:5.5.5.5'), [
    { indicator: '5.5.5.5', list: 'first' },
    { indicator: '5.5.5.5', list: 'second' },
  ]);
  assert.deepEqual(bl.lookup('ip:10.1.2.3'), [
    { indicator: '10.1.0.0/16', list: 'listB' },
    { indicator: '10.1.0.0/16', list: 'listC' },
    { indicator: '10.0.0.0/8', list: 'listA' },
  ]);
  assert.deepEqual(bl.lookup('ip:::ffff:10.1.2.3').length, 3, 'an IPv4-mapped address is its IPv4');
  assert.deepEqual(bl.lookup('ip:10.2.0.1'), [{ indicator: '10.0.0.0/8', list: 'listA' }]);
  assert.deepEqual(bl.lookup('ip:2001:db8:bad::1').map((h) => h.indicator), ['2001:db8:bad::/48', '2001:db8::/32']);
  assert.deepEqual(bl.lookup('domain:x.a.evil.example'), [
    { indicator: 'a.evil.example', list: 'd3' },
    { indicator: 'evil.example', list: 'd1' },
    { indicator: 'evil.example', list: 'd2' },
  ]);
  assert.deepEqual(bl.counts(), { ips: 1, networks: 4, domains: 2 });
});

test('a blocklist folder removed since the last load lists nothing after a reload, and says it is missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-gone-'));
  const lists = new Blocklists(join(dir, 'lists'));
  try {
    await lists.reload();
    assert.equal(lists.describe().missing, true, 'never there');
    mkdirSync(join(dir, 'lists'));
    writeFileSync(join(dir, 'lists', 'a.txt'), '198.51.100.1\nevil.example\n');
    await lists.reload();
    assert.equal(lists.value.lookupIp('198.51.100.1').length, 1);
    assert.equal(lists.describe().missing, false);
    rmSync(join(dir, 'lists'), { recursive: true });
    await lists.reload();
    const status = lists.describe();
    assert.deepEqual(lists.value.lookupIp('198.51.100.1'), []);
    assert.deepEqual(status.counts, { ips: 0, networks: 0, domains: 0 });
    assert.deepEqual(status.files, []);
    assert.equal(lists.details, null);
    assert.equal(status.missing, true);
    assert.equal(status.error, null);
  } finally {
    lists.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a built-in list (the demo feed) is there with no folder, beside the folder\'s files, and after a reload; its status says what it is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bl-built-in-'));
  const builtIn = { name: 'demo-threat-feed', about: 'built in: the demo', indicators: ['c2-relay.example', '203.0.113.7', 'not a domain'] };
  const lists = new Blocklists(join(dir, 'lists'), builtIn);
  try {
    await lists.reload();
    assert.deepEqual(lists.value.lookup('domain:c2-relay.example').map((h) => h.list), ['demo-threat-feed'], 'no folder');
    assert.equal(lists.value.lookupIp('203.0.113.7').length, 1);
    assert.deepEqual(lists.describe().files, [{ file: 'built in: the demo', format: 'plain', entries: 2, skipped: 1 }]);
    assert.equal(lists.describe().missing, true);
    mkdirSync(join(dir, 'lists'));
    writeFileSync(join(dir, 'lists', 'a.txt'), 'c2-relay.example\n198.51.100.1\n');
    await lists.reload();
    assert.deepEqual(lists.value.lookup('domain:c2-relay.example').map((h) => h.list).sort(), ['a', 'demo-threat-feed']);
    assert.equal(lists.value.lookupIp('198.51.100.1').length, 1);
    assert.deepEqual(lists.describe().files.map((f) => f.file), ['a.txt', 'built in: the demo']);
    assert.deepEqual(lists.describe().counts, { ips: 2, networks: 0, domains: 1 });
    rmSync(join(dir, 'lists'), { recursive: true });
    await lists.reload();
    assert.equal(lists.value.lookup('domain:c2-relay.example').length, 1, 'the folder gone, the built-in list stays');
    assert.equal(lists.value.lookupIp('198.51.100.1').length, 0);
  } finally {
    lists.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

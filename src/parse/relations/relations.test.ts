/**
 * Golden fixtures of relation extraction: each test/fixtures/investigate/relations/<name>.log is parsed
 * line by line and its edges compared with <name>.expected.json. After an intended change rewrite them
 * with `UPDATE_GOLDEN=1 node --import tsx --test src/parse/relations/relations.test.ts` and read the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { extractRelations, parseLine, RELATION_KINDS, RELATION_ENTITY_TYPES } from '../index.js';
import { readLines, repoRoot } from '../test-support.js';

const DIR = join(repoRoot(), 'test', 'fixtures', 'investigate', 'relations');
const RECEIVED_AT = Date.UTC(2024, 0, 2, 12, 0, 0);
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.log'))
  .map((f) => f.slice(0, -4))
  .sort();

const edgesOf = (line: string) => extractRelations(parseLine({ line, receivedAt: RECEIVED_AT, source: 'file:fixture' }));

test('relation fixtures exist for every source family', () => {
  for (const n of ['auth', 'bind', 'dhcp', 'dnsmasq', 'eve', 'flows', 'proxy', 'unbound', 'zeek']) assert.ok(names.includes(n), n);
});

for (const name of names) {
  test(`relations golden: ${name}`, () => {
    const got = readLines(join(DIR, `${name}.log`)).map((line) => ({ line: line.slice(0, 80), relations: edgesOf(line) }));
    const file = join(DIR, `${name}.expected.json`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
    assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
  });
}

/** `line` as a terminal colours it (journald, coloured daemons): each space-separated word wrapped in a colour code. */
const coloured = (line: string, i: number) => line.split(' ').map((w, k) => (w === '' ? w : `\x1b[${30 + ((i + k) % 8)};1m${w}\x1b[0m`)).join(' ');

test('relations golden: every fixture line coloured word by word yields the same edges, no end holding a code', () => {
  for (const name of names) {
    readLines(join(DIR, `${name}.log`)).forEach((line, i) => {
      const got = edgesOf(coloured(line, i));
      assert.deepEqual(got, edgesOf(line), `${name}:${i + 1} ${line.slice(0, 80)}`);
      for (const r of got) assert.ok(!r.from.includes('\x1b') && !r.to.includes('\x1b'), JSON.stringify(r));
    });
  }
});

test('the seed example yields the edges a pivot needs', () => {
  const kinds = (line: string) => edgesOf(line).map((r) => `${r.kind} ${r.from} ${r.to}`);
  assert.deepEqual(kinds('<30>Jan  2 10:00:01 dns-02 dnsmasq[1]: query[A] evil.example.com from 10.0.2.91'), ['query ip:10.0.2.91 domain:evil.example.com']);
  assert.deepEqual(kinds('<30>Jan  2 10:00:01 dhcp-01 dhcpd[1]: DHCPACK on 10.0.2.91 to 00:11:22:33:44:55 via eth0'), ['lease ip:10.0.2.91 mac:00:11:22:33:44:55']);
  assert.deepEqual(kinds('<4>Jan  2 10:00:01 fw kernel: DROP IN=eth0 OUT= SRC=10.0.2.91 DST=198.51.100.66 PROTO=TCP SPT=1 DPT=443'), [
    'blocked ip:10.0.2.91 ip:198.51.100.66',
    'service ip:198.51.100.66 port:443',
  ]);
});

test('a URL\'s host as written in logs', async () => {
  const { urlHostEntity } = await import('./types.js');
  const cases: [string, string | null][] = [
    ['evil.example/gate.php?id=1', 'domain:evil.example'],
    ['HTTPS://User:pw@Evil.Example:8443/x', 'domain:evil.example'],
    ['evil.example:443', 'domain:evil.example'],
    ['evil.example?q=a/b', 'domain:evil.example'],
    ['evil.example\\x', 'domain:evil.example'],
    ['198.51.100.66/x', null],
    ['[2001:db8::1]:80/x', null],
    ['nodot/x', null],
    ['', null],
    ['-', null],
    ['error:invalid-request', null],
    // a scheme in the query string is the query's, not the URL's
    ['a.io/?r=ftp://evil.example/', 'domain:a.io'],
    ['t.co/?http://evil.example', 'domain:t.co'],
    ['evil.example:443x/a', null],
  ];
  for (const [url, want] of cases) assert.equal(urlHostEntity(url), want, url);
});

const PIECES = [
  ' SRC=', ' DST=', 'DPT=', '10.0.0.1', '::1', 'aa:bb:cc:dd:ee:ff', '00-11-22-33-44-55', ',TRAFFIC,', ',THREAT,', ',', '"', '\t',
  '{"', '"event_type":', '"alert"', '"dns"', '"flow"', '"src_ip":', '"dest_ip":', '}', '{', '[', ']', 'query[A] ', ' from ', 'reply ',
  ' is ', 'DHCPACK on ', ' to ', 'DHCPACK(eth0) ', 'DHCP4_LEASE_ALLOC [hwtype=1 ', 'lease ', ' has been allocated', 'Accepted password for ',
  'Failed password for ', 'Invalid user ', ' port ', 'Login OK: [', 'Login incorrect: [', '] (from client ', ' cli ', 'Calling-Station-ID=',
  'UserName=', '4624', '4625', 'Account Name: ', 'Source Network Address: ', 'TargetUserName', 'IpAddress', 'client ', '#53 ', 'query: ',
  ' IN ', 'info: ', 'example.com', 'example.com.', '1521911720.5\t', 'udp', 'tcp', 'SF', 'REJ', 'NOERROR', '-', '(empty)', '\u0000', '😀',
  '\\', '1704189601.123    245 ', ' TCP_MISS/200 1234 ', 'GET ', 'CONNECT ', 'http://', 'a.example:443', '@', '[::1]', '/x ', 'squid[1]: ',
  '"http"', '"tls"', '"hostname":', '"sni":', '"method":', '"host":', '"server_name":', '"id.orig_h":', 'TLSv12', '\t1\tGET\t', 'sshd[1]: ', 'named[1]: ', 'dnsmasq[1]: ', 'dhcpd[1]: ', 'kernel: ', 'suricata[1]: ', 'radiusd[1]: ', 'hostapd: ', '<13>Jan  2 10:00:00 h ',
  '\x1b[32m', '\x1b[0m', '\x1b', '\x1b[',
];
const line = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 50 }).map((p) => p.join('')));
const TYPES: readonly string[] = RELATION_ENTITY_TYPES;
const KINDS: readonly string[] = RELATION_KINDS;

test('fuzz: relation extraction never throws and yields well-formed edges', () => {
  fc.assert(
    fc.property(line, (l) => {
      for (const r of edgesOf(l)) {
        assert.ok(KINDS.includes(r.kind));
        for (const end of [r.from, r.to]) {
          const colon = end.indexOf(':');
          assert.ok(colon > 0 && TYPES.includes(end.slice(0, colon)) && end.length > colon + 1, end);
          assert.ok(!/\x1b\[[0-9;]*[A-Za-z]/.test(end), `a colour code in ${JSON.stringify(end)}`);
        }
        assert.notEqual(r.from, r.to);
      }
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: the CSV splitter agrees with csv-parse on well-formed records', async () => {
  const { parse } = await import('csv-parse/sync');
  const { splitCsv } = await import('./csv.js');
  const cell = fc.oneof(fc.stringMatching(/^[^",\n\r]{0,8}$/), fc.stringMatching(/^[^"\n\r]{0,8}$/).map((s) => `"${s}"`), fc.constant('"a ""q"" b"'));
  fc.assert(
    fc.property(fc.array(cell, { minLength: 1, maxLength: 40 }), (cells) => {
      const line = cells.join(',');
      const expected = (parse(line, { relax_column_count: true }) as string[][])[0] ?? [''];
      assert.deepEqual(splitCsv(line, 1000), expected);
      assert.deepEqual(splitCsv(line, 5), expected.slice(0, 5).length < 5 ? expected : splitCsv(line, 1000).slice(0, 5));
    }),
    { numRuns: 500 },
  );
});

/**
 * The live tail's filter agrees with search: the same lines, parsed and indexed as the writer lanes
 * do, are stored in a real shard and searched, and matched one by one with LineMatcher.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseLine } from '../../parse/index.js';
import { Catalog, indexText, ShardSet, type StoredLine } from '../../store/index.js';
import { compileQuery, LineMatcher, LineTerms, Searcher } from '../../search/index.js';
import { tailParser } from './parse.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const HOSTS = ['gw-01', 'web-02', 'db.example.com', 'Mail_3'];
const APPS = ['sshd', 'cron', 'nginx', 'postfix/smtpd'];
const MSGS = [
  'Failed password for invalid user mallory from 203.0.113.77 port 41234 ssh2',
  'Accepted publickey for bob from 198.51.100.23 port 22 ssh2',
  'GET /index.html?q=a%20b HTTP/1.1 200 from 2001:db8::1 ref https://www.example.com/x',
  'connect from unknown[192.0.2.1] to mx.example.org user=alice@example.com',
  'disk /dev/sda1 is 97% full; Disk full soon',
  'job web-01 started (pid 42) mac 00:1a:2b:3c:4d:5e',
  'ÜNÏCÖDE wörds and 日本語 text',
  'weird \x01host_gw_h01 forged mark',
];
const lines: string[] = [];
for (let i = 0; i < 160; i++) {
  const sev = i % 8;
  const host = HOSTS[i % HOSTS.length]!;
  const app = APPS[(i >> 2) % APPS.length]!;
  const msg = MSGS[(i * 7) % MSGS.length]!;
  lines.push(i % 11 === 0 ? `raw line without header ${msg}` : `<${8 + sev}>Nov 28 12:00:${String(i % 60).padStart(2, '0')} ${host} ${app}[${i}]: ${msg}`);
}

const dir = mkdtempSync(join(tmpdir(), 'nml-tailmatch-'));
const stored: StoredLine[] = lines.map((raw, i) => {
  const ev = parseLine({ line: raw, receivedAt: T0 + i, source: 't' });
  return { time: T0 + i, receivedAt: T0 + i, source: 't', raw, text: indexText(ev) };
});
const set = new ShardSet({ dir: join(dir, 'shards'), lane: 0, slotMs: 3600_000, sealIdleMs: 0, maxOpenShards: 2, optimizeOnSeal: false });
set.append(stored);
set.closeAll(T0 + 86_400_000);
const catalog = new Catalog(dir, 3600_000);
const searcher = new Searcher(catalog, 1);
after(async () => {
  await searcher.close();
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const parse = tailParser();
async function agree(q: string): Promise<void> {
  const page = await searcher.page(q, { from: null, to: null }, 10_000);
  const want = new Set(page.hits.map((h) => h.raw));
  const matcher = new LineMatcher(compileQuery(q));
  let parsed = 0;
  let entities = 0;
  const got = new Set(
    lines.filter((raw, i) =>
      matcher.matches(
        new LineTerms(raw, (withEntities) => {
          parsed++;
          if (withEntities) entities++;
          return parse({ line: raw, receivedAt: T0 + i, source: 't' }, withEntities).terms;
        }),
      ),
    ),
  );
  assert.deepEqual([...got].sort(), [...want].sort(), `query ${q}`);
  if (!matcher.needsTerms) assert.equal(parsed, 0, `${q}: no parsing for plain words`);
  if (/^(host|app|severity|sev|facility|format):\S+$/.test(q)) assert.equal(entities, 0, `${q}: the header is enough`);
}

const QUERIES = [
  '', 'sshd', 'SSHD', 'fail*', 'host:gw-01', 'host:web*', 'app:sshd', 'app:postfix*', 'severity:<=3', 'sev:>info', 'facility:1',
  '203.0.113.77', '203.0.113.0/24', 'ip:2001:db8::1', 'example.com', 'domain:example.org', 'user:alice', 'email:alice@example.com',
  'mac:00:1a:2b:3c:4d:5e', 'port:22', 'format:raw', '"failed password"', '"password failed"', 'web-01', 'web-0*', 'sub:"disk full"',
  'sub:97%', 'sshd -mallory', '-sshd', 'NOT (sshd OR cron)', 'sshd OR nginx host:gw-01', '"invalid user" OR sub:"publickey"',
  '-"failed password" sev:<=5', 'wörds', '日本語', 'host_gw_h01', 'forged', 'postfix/smtpd', '/dev/sda1', 'index.html',
];

test('the tail filter matches exactly the lines search finds', async () => {
  for (const q of QUERIES) await agree(q);
});

test('random combinations of terms agree with search', async () => {
  const atom = fc.constantFrom('sshd', 'cron', 'host:gw-01', 'app:nginx', 'severity:<=4', '203.0.113.77', '"for invalid"', 'sub:"from 19"', 'example.com', 'ssh*', 'user:bob', 'format:raw');
  const query: fc.Arbitrary<string> = fc.letrec<{ q: string }>((tie) => ({
    q: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a} ${b})`),
      fc.tuple(tie('q'), tie('q')).map(([a, b]) => `(${a} OR ${b})`),
      tie('q').map((a) => `-(${a})`),
    ),
  })).q;
  await fc.assert(fc.asyncProperty(query, agree), { numRuns: 60, seed: 42 });
});

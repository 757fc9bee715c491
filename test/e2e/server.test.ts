/**
 * The real server on loopback: syslog over UDP and TCP in, searches and counts out through the HTTP
 * API, NDJSON ingest acknowledged only when committed, a TCP flood slowed by backpressure, no line lost.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { once } from 'node:events';
import { pino } from 'pino';
import { startNode, type RunningNode } from '../../src/node.js';
import { api, eventually, tempDir, testConfig, tokenOf } from './helpers.js';

const tmp = tempDir('nml-e2e-');
let node: RunningNode;
let base: string;
let token: string;
let udpPort: number;
let tcpPort: number;

before(async () => {
  // a small high-water mark so that the flood below has to be slowed down
  node = await startNode(testConfig(tmp.dir, { store: { highWaterLines: 20_000 } }), pino({ level: 'silent' }));
  base = node.httpUrl!;
  token = tokenOf(tmp.dir);
  const addr = (name: string): number => (node.sources.find((s) => s.name.startsWith(name)) as unknown as { address(): { port: number } }).address().port;
  udpPort = addr('udp');
  tcpPort = addr('tcp');
});
after(async () => {
  await node.stop();
  tmp.cleanup();
});

const count = async (q: string): Promise<number> =>
  (await api<{ count: number }>(base, token, `/api/count?q=${encodeURIComponent(q)}`)).body.count;

test('health is open, everything else needs the token', async () => {
  assert.equal((await fetch(base + '/health')).status, 200);
  assert.equal((await fetch(base + '/api/count?q=x')).status, 401);
  assert.equal((await fetch(base + '/api/count?q=x', { headers: { authorization: 'Bearer wrong' } })).status, 401);
});

test('a syslog message over UDP is searchable with its fields and entities', async () => {
  const sock = createSocket('udp4');
  const line = '<38>Nov 28 10:00:01 gw-01 sshd[4242]: Failed password for invalid user mallory from 203.0.113.77 port 41234 ssh2';
  sock.send(line, udpPort, '127.0.0.1');
  await eventually(async () => (await count('203.0.113.77')) === 1, 10_000, 'udp line searchable');
  sock.close();
  const r = await api<{ hits: { raw: string; host: string; app: string; entities: { kind: string; value: string }[] }[] }>(
    base,
    token,
    '/api/search?q=user:mallory&fields=1',
  );
  assert.equal(r.status, 200);
  assert.equal(r.body.hits.length, 1);
  assert.equal(r.body.hits[0]!.raw, line);
  assert.equal(r.body.hits[0]!.host, 'gw-01');
  assert.equal(r.body.hits[0]!.app, 'sshd');
  assert.ok(r.body.hits[0]!.entities.some((e) => e.kind === 'ip' && e.value === '203.0.113.77'));
  assert.equal(await count('203.0.113.0/24 host:gw-01'), 1);
  assert.equal(await count('203.0.113'), 0, 'an IP is one term, not a phrase of pieces');
  assert.equal(await count('sub:"203.0.113"'), 1, 'the substring option finds part of an address');
});

test("a bare message over UDP or TCP (no header, or one without a host) gets its sender's address as host, searchable and in the Host field", async () => {
  const sock = createSocket('udp4');
  sock.send('link down on port 7 marker-bare-udp', udpPort, '127.0.0.1');
  sock.send('<14>Nov 28 10:00:02 gw-09 kernel: a header host wins marker-bare-udp', udpPort, '127.0.0.1');
  const tcp = connect({ host: '127.0.0.1', port: tcpPort });
  await once(tcp, 'connect');
  tcp.end('<14>fan failure marker-bare-tcp\n');
  await eventually(async () => (await count('marker-bare-udp OR marker-bare-tcp')) === 3, 10_000, 'bare lines searchable');
  sock.close();
  assert.equal(await count('host:127.0.0.1 marker-bare-udp'), 1);
  assert.equal(await count('host:127.0.0.1 marker-bare-tcp'), 1);
  assert.equal(await count('host:gw-09 marker-bare-udp'), 1);
  const r = await api<{ hits: { raw: string; host: string; sourceHost: string; source: string }[] }>(base, token, '/api/search?q=marker-bare-tcp&fields=1');
  assert.deepEqual(r.body.hits.map((h) => [h.host, h.sourceHost]), [['127.0.0.1', '127.0.0.1']]);
  assert.match(r.body.hits[0]!.source, /^tcp:127\.0\.0\.1:\d+$/);
  const facets = await api<{ values: { value: string | null; count: number }[] }>(base, token, '/api/facets?q=marker-bare-udp&field=host');
  assert.equal(facets.status, 200, JSON.stringify(facets.body));
  assert.deepEqual(facets.body.values.map((v) => [v.value, v.count]).sort(), [['127.0.0.1', 1], ['gw-09', 1]], 'the Host facet counts the sender');
});

test('POST /api/ingest?host=web-07: the headerless lines are host:web-07', async () => {
  const ok = await api<{ accepted: number }>(base, token, '/api/ingest?host=web-07', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'GET /a 200 marker-qhost\nGET /b 404 marker-qhost\n' });
  assert.equal(ok.status, 200);
  assert.equal(await count('host:web-07 marker-qhost'), 2);
  // an export carries it as a search does
  const res = await fetch(`${base}/api/search?q=marker-qhost&fields=1&format=ndjson`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const rows = (await res.text()).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { host: string; sourceHost: string });
  assert.deepEqual(rows.map((r) => [r.host, r.sourceHost]), [['web-07', 'web-07'], ['web-07', 'web-07']]);
});

test('a TCP flood at full speed is slowed by backpressure and every line arrives', async () => {
  const n = 60_000;
  const sock = connect({ host: '127.0.0.1', port: tcpPort });
  await once(sock, 'connect');
  let blocked = 0;
  for (let i = 0; i < n; i++) {
    const msg = `<14>Nov 28 10:01:00 flood-01 gen[1]: flood line ${i} marker-tcpflood`;
    // mix both framings of RFC 6587
    const ok = i % 2 === 0 ? sock.write(msg + '\n') : sock.write(`${Buffer.byteLength(msg)} ${msg}`);
    if (!ok) {
      blocked++;
      await once(sock, 'drain');
    }
  }
  sock.end();
  await eventually(async () => (await count('marker-tcpflood')) === n, 30_000, 'all flood lines searchable');
  assert.ok(blocked > 0, 'the sender saw backpressure');
  assert.equal(await count('host:flood-01'), n);
});

test('NDJSON ingest answers after commit; a bad line rejects the whole request', async () => {
  const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ line: `ndjson ingest ${i} marker-ndjson`, source: 'e2e' }));
  const ok = await api<{ accepted: number }>(base, token, '/api/ingest', {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: lines.join('\n'),
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.accepted, 500);
  assert.equal(await count('marker-ndjson'), 500, 'searchable as soon as acknowledged');
  const bad = await api<{ error: { code: string; details: { line: number } } }>(base, token, '/api/ingest', {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: '{"line":"marker-bad one"}\n{"nope":1}\n',
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'INGEST_BAD_NDJSON');
  assert.equal(bad.body.error.details.line, 2);
  assert.equal(await count('marker-bad'), 0);
});

test('search pages newest first with a cursor, and a bad query names the column', async () => {
  // all flood lines carry the same header second: within a writer lane they come in arrival order,
  // between the two lanes (equal times) in no particular order, so only the last batches qualify
  const first = await api<{ hits: { raw: string }[]; cursor: string }>(base, token, '/api/search?q=marker-tcpflood&limit=3');
  assert.equal(first.body.hits.length, 3);
  const second = await api<{ hits: { raw: string }[] }>(base, token, `/api/search?q=marker-tcpflood&limit=3&cursor=${first.body.cursor}`);
  const numbers = [...first.body.hits, ...second.body.hits].map((h) => Number(/flood line (\d+) /.exec(h.raw)![1]));
  assert.equal(new Set(numbers).size, 6, 'pages do not overlap');
  assert.ok(numbers.every((n) => n >= 40_000), `newest lines first: ${numbers.join(',')}`);
  const bad = await api<{ error: { code: string; details: { column: number } } }>(base, token, '/api/search?q=' + encodeURIComponent('a (b'));
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'QUERY_SYNTAX');
  assert.equal(typeof bad.body.error.details.column, 'number');
});

test('stats and metrics report what was stored', async () => {
  const s = await api<{ store: { rows: number; shards: number } }>(base, token, '/api/stats');
  assert.ok(s.body.store.rows >= 60_501);
  assert.ok(s.body.store.shards >= 1);
  const m = await fetch(base + '/metrics', { headers: { authorization: `Bearer ${token}` } });
  assert.match(await m.text(), /^nml_store_rows \d+$/m);
});

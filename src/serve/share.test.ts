/**
 * `GET /api/share/export`: admins and the token only; the key from share.keyFile (400 saying how to set it
 * without); findings, lines, the manifest last, as NDJSON; nothing original of the lines in it; a failure
 * part-way ends in an error line and no manifest; a client that stops reading holds the search back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FindingsStore } from '../detect/index.js';
import type { Hit } from '../search/index.js';
import type { ShareManifest, ShareRecord } from '../share/index.js';
import type { ApiShareManifest, ApiShareRecord } from './api.js';
import { buildApp } from './app.js';
import { AUTH, fakeDeps, FakeSearcher } from './testing.js';
import { login, webApp } from './web-testing.js';

// the shapes a client reads (api-share.ts) are what the export writes: a drift fails to compile
export const shapesAgree = (r: ShareRecord, m: ShareManifest): [ApiShareRecord, ApiShareManifest] => [r, m];

const T0 = Date.parse('2026-12-01T10:00:00Z');

function hit(i: number, raw: string, source = 'udp:10.0.0.5:514'): Hit {
  return { rowid: 10_000 - i, time: T0 - i * 1000, receivedAt: T0 - i * 1000, source, raw, shard: '2026/12/01/10/00.db' };
}

const HITS: Hit[] = [
  hit(0, '<34>1 2026-12-01T10:00:00Z web-01.corp.local sshd 42 - - Failed password for alice from 10.0.0.5 port 22 ssh2'),
  hit(1, '<14>1 2026-12-01T09:59:59Z proxy-1 squid - - - 10.0.0.7 TCP_MISS/200 GET http://evil.example.rest/gate.php?id=7 - HIER_DIRECT/198.51.100.4', 'file:/home/alice/logs/squid.log'),
  hit(2, '<14>1 2026-12-01T09:59:58Z ip-10-0-0-9 app - - - wrote C:\\Users\\alice\\AppData\\x.tmp'),
];

function keyFile(dir: string): string {
  const path = join(dir, 'share.key');
  writeFileSync(path, `${'5a'.repeat(32)}\n`, { mode: 0o600 });
  return path;
}

function parse(body: string): Array<Record<string, unknown>> {
  return body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('GET /api/share/export: an admin or the token gets findings, lines and the manifest last; an analyst or viewer 403, no credentials 401', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-share-route-'));
  const findings = new FindingsStore(':memory:');
  findings.record([{ detector: 'url', entity: 'url:evil.example.rest/gate.php?id=7', score: 0.99, threshold: 0.9, modelVersion: 'm', time: T0 - 1000, explanation: { summary: 'seen from 10.0.0.7', detail: null }, evidence: { query: 'x', from: 0, to: 1 } }]);
  findings.triage(findings.list().findings[0]!.id, 'resolved', 'blocked, ask Dave', 'night-shift');
  const { app, users, close } = await webApp({ searcher: new FakeSearcher(HITS) as never, findings, shareKeyFile: keyFile(dir) });
  try {
    await users.add('ada', 'ada-password-1', 'admin');
    await users.add('vic', 'vic-password-1', 'viewer');
    const url = '/api/share/export?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z';
    assert.equal((await app.inject({ method: 'GET', url })).statusCode, 401);
    for (const who of [undefined, { username: 'vic', password: 'vic-password-1' }]) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: await login(app, who) } });
      assert.equal(res.statusCode, 403, res.body);
      assert.match(res.json().error.message, /needs the admin role/);
    }
    const admin = await app.inject({ method: 'GET', url, headers: { cookie: await login(app, { username: 'ada', password: 'ada-password-1' }) } });
    const token = await app.inject({ method: 'GET', url, headers: AUTH });
    for (const res of [admin, token]) {
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /^application\/x-ndjson/);
      const records = parse(res.body);
      assert.deepEqual(records.map((r) => Object.keys(r)[0]), ['finding', 'line', 'line', 'line', 'manifest'], 'findings, lines, the manifest last');
      const [f, ...rest] = records;
      assert.equal((f!['finding'] as { label: string }).label, 'malicious');
      const manifest = rest.at(-1)!['manifest'] as { files: Record<string, { records: number }>; anonymization: { keyFingerprint: string } };
      assert.deepEqual(manifest.files, { 'lines.ndjson': { records: 3 }, 'findings.ndjson': { records: 1 } });
      const lines = rest.slice(0, -1).map((r) => r['line'] as { line: string; source: string; labels: unknown[] });
      assert.deepEqual(lines[1]!.labels, [{ finding: (f!['finding'] as { id: number }).id, label: 'malicious' }]);
      assert.match(lines[1]!.source, /^file:dir-[0-9a-f]{10}\/squid\.log$/);
      for (const secret of ['alice', '10.0.0.5', '10.0.0.7', '10-0-0-9', 'web-01', 'proxy-1', 'Dave', 'night-shift', '5a5a5a']) assert.ok(!res.body.includes(secret), `${secret} in the export`);
    }
    assert.equal(parse(admin.body).at(-1)!['manifest'] !== undefined, true);
    // the same key, the same mapping: the two exports are alike but for the time they were made
    assert.deepEqual(parse(admin.body).slice(0, -1), parse(token.body).slice(0, -1));
  } finally {
    await close();
    findings.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET /api/share/export: no key set, no key file, no from, a bad query: a 400 that says what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-share-route-'));
  try {
    const none = await buildApp(fakeDeps({ logger: false }));
    const res = await none.inject({ method: 'GET', url: '/api/share/export?from=-1d', headers: AUTH });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'SHARE_KEY_MISSING');
    assert.match(res.json().error.message, /set share\.keyFile in the configuration file.*nml share key --out FILE/);
    await none.close();

    const gone = await buildApp(fakeDeps({ logger: false, shareKeyFile: join(dir, 'nope.key') }));
    const r2 = await gone.inject({ method: 'GET', url: '/api/share/export?from=-1d', headers: AUTH });
    assert.equal(r2.json().error.code, 'SHARE_KEY_MISSING');
    assert.match(r2.json().error.message, /share\.keyFile .*nope\.key: there is no file/);
    await gone.close();

    writeFileSync(join(dir, 'short.key'), 'abcd');
    const short = await buildApp(fakeDeps({ logger: false, shareKeyFile: join(dir, 'short.key') }));
    assert.equal((await short.inject({ method: 'GET', url: '/api/share/export?from=-1d', headers: AUTH })).json().error.code, 'SHARE_KEY_INVALID');
    await short.close();

    const app = await buildApp(fakeDeps({ logger: false, shareKeyFile: keyFile(dir) }));
    const noFrom = await app.inject({ method: 'GET', url: '/api/share/export', headers: AUTH });
    assert.equal(noFrom.json().error.code, 'SHARE_RANGE_MISSING');
    const badQuery = await app.inject({ method: 'GET', url: '/api/share/export?from=-1d&q=)', headers: AUTH });
    assert.equal(badQuery.statusCode, 400);
    assert.equal(badQuery.json().error.code, 'QUERY_SYNTAX');
    const badDomain = await app.inject({ method: 'GET', url: '/api/share/export?from=-1d&internalDomain=a%20b', headers: AUTH });
    assert.equal(badDomain.statusCode, 400);
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET /api/share/export: internalDomain makes a domain the site\'s own; a failure part-way ends in an error line, no manifest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-share-route-'));
  try {
    const deps = fakeDeps({ logger: false, shareKeyFile: keyFile(dir) });
    deps.searcher.hits.splice(0, deps.searcher.hits.length, ...Array.from({ length: 2500 }, (_, i) => hit(i, `<13>web app: GET https://wiki.acme.com/p?id=${i}`)));
    const app = await buildApp(deps);
    const own = await app.inject({ method: 'GET', url: '/api/share/export?from=2000-01-01T00:00:00Z&internalDomain=acme.com&internalDomain=acme.net', headers: AUTH });
    assert.ok(!own.body.includes('acme.com/'), 'the site\'s own domain is a pseudonym');
    assert.deepEqual((parse(own.body).at(-1)!['manifest'] as { anonymization: { internalDomains: string[] } }).anonymization.internalDomains, ['acme.com', 'acme.net']);
    // the next export's first page is answered, its second fails
    deps.searcher.failAfterPages = deps.searcher.calls.filter((c) => c.kind === 'page').length + 1;
    const broken = await app.inject({ method: 'GET', url: '/api/share/export?from=2000-01-01T00:00:00Z', headers: AUTH });
    const records = parse(broken.body);
    assert.equal(records.filter((r) => 'line' in r).length, 1000);
    assert.deepEqual(Object.keys(records.at(-1)!), ['error']);
    assert.ok(!records.some((r) => 'manifest' in r), 'no manifest: the export is not whole');
    assert.ok(!broken.body.includes('secret detail'));
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET /api/share/export: pages are fetched only as fast as the client reads, and none after it leaves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-share-route-'));
  try {
    const deps = fakeDeps({ logger: false, shareKeyFile: keyFile(dir) });
    deps.searcher.hits.push(...Array.from({ length: 50_000 }, (_, i) => ({ ...deps.searcher.hits[0]!, rowid: -i })));
    const app = await buildApp(deps);
    const res = await app.inject({ method: 'GET', url: '/api/share/export?from=2000-01-01T00:00:00Z', headers: AUTH, payloadAsStream: true });
    assert.equal(res.statusCode, 200);
    const stream = res.stream();
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    assert.match(first.toString(), /^\{"line":/);
    stream.pause();
    // until the pipeline has filled and stopped asking: on a loaded machine a page asked for before the
    // pause may still be on its way after 200 ms, and was then counted as one asked for after the client left
    const settled = async (): Promise<number> => {
      for (let last = -1, same = 0; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
        const n = deps.searcher.calls.length;
        same = n === last ? same + 1 : 0;
        last = n;
        if (same === 3) return n;
      }
    };
    const fetched = await settled();
    assert.ok(fetched <= 4, `a paused client holds the search back (fetched ${fetched} of 53 pages)`);
    stream.destroy();
    assert.equal(await settled(), fetched, 'no pages after the client left');
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET /api/share/export: limit=N is a preview (every finding, N lines, a manifest marked partial when more matched, no page past the first); download=1 names the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-share-route-'));
  try {
    const deps = fakeDeps({ logger: false, shareKeyFile: keyFile(dir) });
    deps.searcher.hits.splice(0, deps.searcher.hits.length, ...HITS);
    const app = await buildApp(deps);
    const url = '/api/share/export?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z';

    const preview = await app.inject({ method: 'GET', url: `${url}&limit=2`, headers: AUTH });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.equal(preview.headers['content-disposition'], undefined, 'shown, not saved');
    const records = parse(preview.body);
    assert.deepEqual(records.map((r) => Object.keys(r)[0]), ['line', 'line', 'manifest']);
    const m = records.at(-1)!['manifest'] as { partial?: { lineLimit: number }; note?: string; files: Record<string, { records: number }> };
    assert.deepEqual(m.partial, { lineLimit: 2 });
    assert.match(m.note!, /a preview, not the dataset: stopped after the first 2 lines/);
    assert.equal(m.files['lines.ndjson']!.records, 2);
    // the preview's lines are the whole export's first lines
    const whole = parse((await app.inject({ method: 'GET', url, headers: AUTH })).body);
    assert.deepEqual(records.slice(0, 2), whole.slice(0, 2));
    assert.equal((whole.at(-1)!['manifest'] as { partial?: unknown }).partial, undefined);

    // a limit the lines do not reach is the whole export: no partial
    for (const limit of [3, 1000]) {
      const all = parse((await app.inject({ method: 'GET', url: `${url}&limit=${limit}`, headers: AUTH })).body);
      const last = all.at(-1)!['manifest'] as { partial?: unknown; note?: string; files: Record<string, { records: number }> };
      assert.equal(last.partial, undefined, `limit=${limit}`);
      assert.equal(last.note, undefined);
      assert.equal(last.files['lines.ndjson']!.records, 3);
    }
    for (const bad of ['0', '1001', 'x']) {
      const res = await app.inject({ method: 'GET', url: `${url}&limit=${bad}`, headers: AUTH });
      assert.equal(res.statusCode, 400, `limit=${bad}`);
      assert.match(res.json().error.message, /limit/);
    }

    // a preview of a long range reads one search page, however many lines match
    deps.searcher.hits.splice(0, deps.searcher.hits.length, ...Array.from({ length: 50_000 }, (_, i) => hit(i % 3000, `<13>web app: GET /x?id=${i} from 10.0.0.${i % 250}`)));
    const before = deps.searcher.calls.length;
    const big = parse((await app.inject({ method: 'GET', url: '/api/share/export?from=2000-01-01T00:00:00Z&limit=20', headers: AUTH })).body);
    assert.equal(big.filter((r) => 'line' in r).length, 20);
    assert.deepEqual((big.at(-1)!['manifest'] as { partial?: unknown }).partial, { lineLimit: 20 });
    assert.equal(deps.searcher.calls.length - before, 1, 'one page, then the search closed');

    const saved = await app.inject({ method: 'GET', url: `${url}&download=1`, headers: AUTH });
    assert.equal(saved.statusCode, 200);
    assert.equal(saved.headers['content-disposition'], 'attachment; filename="nml-share-20261201T0000Z-20261202T0000Z.ndjson"');
    const open = await app.inject({ method: 'GET', url: '/api/share/export?from=2026-12-01T00:00:00Z&download=1&limit=1', headers: AUTH });
    assert.match(open.headers['content-disposition'] as string, /^attachment; filename="nml-share-20261201T0000Z-\d{8}T\d{4}Z\.ndjson"$/, 'an open end: the time of the export');
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET /api/share/export: at most share.maxExports whole exports at once, one more 503 SHARE_BUSY with retry-after; previews are not counted; a closed export frees its slot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-share-route-'));
  try {
    const deps = fakeDeps({ logger: false, shareKeyFile: keyFile(dir), shareMaxExports: 2 });
    deps.searcher.hits.push(...Array.from({ length: 50_000 }, (_, i) => ({ ...deps.searcher.hits[0]!, rowid: -i })));
    const app = await buildApp(deps);
    const url = '/api/share/export?from=2000-01-01T00:00:00Z';
    await app.listen({ port: 0, host: '127.0.0.1' });
    const opened: ClientRequest[] = [];
    const port = (app.server.address() as AddressInfo).port;
    // an export over a real socket, its client reading one chunk and then no more: it is running
    const open = async (): Promise<ClientRequest> => {
      const req = httpGet({ host: '127.0.0.1', port, path: url, headers: AUTH });
      opened.push(req);
      const res = await new Promise<IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject));
      assert.equal(res.statusCode, 200);
      await new Promise((resolve) => res.once('data', resolve));
      res.pause();
      return req;
    };
    try {
      const one = await open();
      await open();
      const pages = deps.searcher.calls.length;
      const busy = await app.inject({ method: 'GET', url, headers: AUTH });
      assert.equal(busy.statusCode, 503, busy.body);
      assert.equal(busy.headers['retry-after'], '30');
      const err = busy.json().error;
      assert.equal(err.code, 'SHARE_BUSY');
      assert.match(err.message, /2 whole exports are running already, the most share\.maxExports \(2\) allows/);
      assert.deepEqual({ running: err.details.running, limit: err.details.limit }, { running: 2, limit: 2 });
      assert.equal(deps.searcher.calls.length, pages, 'a refused export searched nothing');
      // a preview still answers
      const preview = await app.inject({ method: 'GET', url: `${url}&limit=5`, headers: AUTH });
      assert.equal(preview.statusCode, 200, preview.body);
      // a client that goes away frees its slot; an export that fails before streaming (a bad query) gives its slot back at once
      one.destroy();
      await until(async () => (await app.inject({ method: 'GET', url: `${url}&q=)`, headers: AUTH })).statusCode === 400, 'the slot of the client that left is free');
      assert.equal((await app.inject({ method: 'GET', url: `${url}&q=)`, headers: AUTH })).statusCode, 400, 'a failed export held no slot');
      await open();
      assert.equal((await app.inject({ method: 'GET', url, headers: AUTH })).statusCode, 503, 'two running again');
    } finally {
      // a failure above must not leave the exports' sockets holding the server open
      for (const r of opened) r.destroy();
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** polls `ok` (every 20 ms, at most 5 s) until it holds */
async function until(ok: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`never: ${what}`);
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { isAppError } from '../core/index.js';
import { streamPages, type SearchPage } from '../search/index.js';
import { buildApp } from './app.js';
import type { AppDeps } from './deps.js';
import { AUTH, fakeDeps, fakeEnrich, makeHits } from './testing.js';

const get = (url: string, headers: Record<string, string> = {}) => ({ method: 'GET' as const, url, headers: { ...AUTH, ...headers } });

test('search: a page of hits with a cursor, the next page from it', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const first = await app.inject(get('/api/search?q=sshd&limit=2'));
  assert.equal(first.statusCode, 200, first.body);
  const body = first.json();
  assert.deepEqual(body.hits, deps.searcher.hits.slice(0, 2));
  assert.equal(body.cursor, '2');
  assert.equal(body.shardsSearched, 3);
  assert.equal(typeof body.tookMs, 'number');
  assert.equal('count' in body, false);
  const second = (await app.inject(get(`/api/search?q=sshd&limit=2&cursor=${body.cursor}`))).json();
  assert.deepEqual(second.hits, deps.searcher.hits.slice(2, 4));
  assert.deepEqual(deps.searcher.calls.map((c) => [c.query, c.limit, c.cursor]), [['sshd', 2, null], ['sshd', 2, '2']]);
  await app.close();
});

test('search: default limit 100, range from/to, count=1, fields=1', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const res = await app.inject(get('/api/search?from=-15m&to=now&count=1&fields=1'));
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.hits.length, 100);
  assert.equal(body.count, 2500);
  assert.equal(body.hits[0].host, 'host');
  assert.deepEqual(body.hits[0], fakeEnrich(deps.searcher.hits[0]!), 'every enriched field survives serialization');
  assert.equal(body.hits[0].raw, deps.searcher.hits[0]!.raw);
  const page = deps.searcher.calls.find((c) => c.kind === 'page')!;
  assert.deepEqual(page.range, { from: deps.clock.t - 15 * 60_000, to: deps.clock.t });
  assert.equal(page.query, '');
  await app.close();
});

test('search: a Hayabusa span as from covers exactly that span', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  await app.inject(get('/api/count?from=2017/10/17/15/*'));
  assert.deepEqual(deps.searcher.calls[0]!.range, { from: Date.UTC(2017, 9, 17, 15), to: Date.UTC(2017, 9, 17, 16) });
  await app.close();
});

test('search: bad parameters are 400s that name the parameter', async () => {
  const app = await buildApp(fakeDeps());
  const cases: [string, string, string][] = [
    ['/api/search?limit=20000', 'SEARCH_LIMIT_TOO_LARGE', 'limit'],
    ['/api/search?limit=0', 'HTTP_BAD_REQUEST', 'limit'],
    ['/api/search?limit=ten', 'HTTP_BAD_REQUEST', 'limit'],
    ['/api/search?fields=yes', 'HTTP_BAD_REQUEST', 'fields'],
    ['/api/search?frm=-1h', 'HTTP_BAD_REQUEST', 'frm'],
    ['/api/search?from=yesterday', 'TIME_SYNTAX', 'from'],
    ['/api/search?from=-1h&to=1999-99-01', 'TIME_SYNTAX', 'to'],
    ['/api/count?from=-1h&to=-2h', 'TIME_SYNTAX', 'from,to'],
  ];
  for (const [url, code, param] of cases) {
    const res = await app.inject(get(url));
    assert.equal(res.statusCode, 400, url);
    const { error } = res.json();
    assert.equal(error.code, code, url);
    assert.equal(error.kind, 'bad_request');
    assert.equal(error.details.param, param, url);
    assert.ok(error.message.includes(param.split(',')[0]!), `${url}: ${error.message}`);
  }
  // a reversed range reads as the CLI's and the web UI's do: both ends, and what to do
  const reversed = (await app.inject(get('/api/count?from=2026-12-06T10:00Z&to=2026-12-05T00:00Z'))).json().error;
  assert.equal(reversed.message, 'request: query parameters from and to: time: from 2026-12-06T10:00Z is after to 2026-12-05T00:00Z; swap them');
  assert.equal(reversed.details.reversed, true);
  await app.close();
});

test('search and count: a query syntax error is a 400 with its column', async () => {
  const app = await buildApp(fakeDeps());
  for (const url of ['/api/search?q=)x', '/api/count?q=)x', '/api/search?q=)x&format=ndjson']) {
    const res = await app.inject(get(url));
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const { error } = res.json();
    assert.equal(error.code, 'QUERY_SYNTAX');
    assert.equal(error.details.column, 1);
  }
  await app.close();
});

test('count: count, tookMs, shardsSearched', async () => {
  const app = await buildApp(fakeDeps());
  const res = await app.inject(get('/api/count?q=sshd'));
  assert.deepEqual(res.json(), { count: 2500, tookMs: 1.5, shardsSearched: 3, skipped: [] });
  await app.close();
});

test('search, count and export say which damaged shards they left out', async () => {
  const deps = fakeDeps();
  const shard = { file: 'shards/2026/11/30/10/0000-w0-0.db', from: Date.UTC(2026, 10, 30, 10), to: Date.UTC(2026, 10, 30, 10, 59, 59, 999) };
  deps.searcher.skipped = [shard];
  const app = await buildApp(deps);
  const page = (await app.inject(get('/api/search?q=sshd&limit=2&count=1'))).json();
  assert.deepEqual(page.skipped, [shard]);
  assert.equal(page.hits.length, 2);
  assert.deepEqual((await app.inject(get('/api/count?q=sshd'))).json().skipped, [shard]);
  // an export's hits, then one warning line naming the shard
  const lines = parseNdjson((await app.inject(get('/api/search?q=a&format=ndjson&limit=1500'))).body) as Record<string, unknown>[];
  assert.equal(lines.length, 1501);
  const warning = lines[1500] as { warning: { code: string; message: string; details: { skipped: unknown } } };
  assert.equal(warning.warning.code, 'SEARCH_SHARDS_SKIPPED');
  assert.deepEqual(warning.warning.details.skipped, [shard]);
  assert.match(warning.warning.message, /a damaged or missing shard left out: shards\/2026\/11\/30\/10\/0000-w0-0\.db \(2026-11-30T10:00:00\.000Z to 2026-11-30T10:59:59\.999Z\); matches from that time may be missing/);
  // none left out: no warning line
  deps.searcher.skipped = [];
  assert.equal(parseNdjson((await app.inject(get('/api/search?q=a&format=ndjson&limit=5'))).body).length, 5);
  await app.close();
});

function parseNdjson(body: string): unknown[] {
  assert.ok(body.endsWith('\n'));
  return body.trimEnd().split('\n').map((l) => JSON.parse(l));
}

test('export: format=ndjson (or Accept) streams every hit across pages, with no limit unless given', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const res = await app.inject(get('/api/search?q=a&format=ndjson'));
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/x-ndjson; charset=utf-8');
  assert.deepEqual(parseNdjson(res.body), deps.searcher.hits);
  assert.equal(deps.searcher.calls.length, 3, '2500 hits in pages of 1000');

  const accept = await app.inject(get('/api/search?q=a&limit=1500&fields=1', { accept: 'application/x-ndjson' }));
  const lines = parseNdjson(accept.body) as { raw: string; host: string }[];
  assert.equal(lines.length, 1500);
  assert.equal(lines[1499]!.raw, deps.searcher.hits[1499]!.raw);
  assert.equal(lines[0]!.host, 'host');
  await app.close();
});

test('export: a failure after the first page ends the stream with one error line', async () => {
  const deps = fakeDeps();
  deps.searcher.failAfterPages = 1;
  const app = await buildApp(deps);
  const res = await app.inject(get('/api/search?format=ndjson'));
  assert.equal(res.statusCode, 200);
  const lines = parseNdjson(res.body);
  assert.equal(lines.length, 1001);
  assert.deepEqual(lines[1000], { error: { code: 'INTERNAL', kind: 'internal', message: 'internal error: the server could not answer this request; its log has the cause' } });
  assert.ok(!res.body.includes('secret detail'));
  await app.close();
});

test('export: pages are fetched only as fast as the client reads, and stop when it leaves', async () => {
  const deps = fakeDeps();
  deps.searcher.hits.push(...Array.from({ length: 50_000 }, (_, i) => ({ ...deps.searcher.hits[0]!, rowid: -i })));
  const app = await buildApp(deps);
  const res = await app.inject({ ...get('/api/search?format=ndjson'), payloadAsStream: true });
  const stream = res.stream();
  const first = await new Promise<unknown>((resolve) => stream.once('data', resolve));
  assert.ok(first !== undefined);
  stream.pause();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const fetched = deps.searcher.calls.length;
  assert.ok(fetched <= 4, `a paused client holds the searcher back (fetched ${fetched} of 53 pages)`);
  stream.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(deps.searcher.calls.length, fetched, 'no pages after the client left');
  await app.close();
});

/**
 * A searcher like the real one for a rare term: each page scans for a while and finds one hit, so the
 * export yields nothing for many pages. `passSignal`: whether its stream hands the signal on (the
 * real Searcher does; a searcher that does not must still be stopped by the route).
 */
function rareTermSearcher(passSignal: boolean) {
  const hits = makeHits(5000);
  const s = {
    calls: 0,
    signals: [] as (AbortSignal | undefined)[],
    async count() {
      return { count: 0, shardsSearched: 0, tookMs: 0 };
    },
    async page(_q: string, _r: unknown, _limit: number, cursor: string | null, signal?: AbortSignal): Promise<SearchPage> {
      s.calls++;
      s.signals.push(signal);
      await new Promise((r) => setTimeout(r, 10));
      const from = cursor === null ? 0 : Number(cursor);
      return { hits: hits.slice(from, from + 1), cursor: from + 1 < hits.length ? String(from + 1) : null, shardsSearched: 1, skipped: [], tookMs: 10 };
    },
    stream(q: string, r: unknown, max = Infinity, pageSize = 1000, signal?: AbortSignal) {
      return passSignal ? streamPages((l, c, sig) => s.page(q, r, l, c, sig), max, pageSize, signal) : streamPages((l, c) => s.page(q, r, l, c), max, pageSize);
    },
  };
  return s;
}

for (const passSignal of [true, false]) {
  test(`export: once the client leaves, no more pages are fetched (the searcher's stream ${passSignal ? 'takes' : 'ignores'} the signal)`, async () => {
    const searcher = rareTermSearcher(passSignal);
    const app = await buildApp(fakeDeps({ searcher: searcher as unknown as AppDeps['searcher'], logger: false }));
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const req = http.get(`${base}/api/search?q=rare&format=ndjson`, { headers: AUTH });
      req.on('error', () => undefined);
      req.on('response', (res) => res.resume());
      while (searcher.calls < 5) await new Promise((r) => setTimeout(r, 10));
      req.destroy();
      await new Promise((r) => setTimeout(r, 50));
      const atGone = searcher.calls;
      await new Promise((r) => setTimeout(r, 300)); // ~30 pages' time
      assert.ok(searcher.calls <= atGone + 1, `${searcher.calls - atGone} pages after the client left`);
      if (passSignal) {
        assert.ok(searcher.signals.every((sig) => sig !== undefined), 'every page got the signal');
        assert.equal(searcher.signals.at(-1)!.aborted, true);
      }
    } finally {
      await app.close();
    }
  });
}

test('export: a client gone before the first page gets no search at all', async () => {
  const searcher = rareTermSearcher(true);
  const app = await buildApp(fakeDeps({ searcher: searcher as unknown as AppDeps['searcher'], logger: false }));
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    // the first page takes long; the client leaves during it
    const slowFirst = searcher.page.bind(searcher);
    let started = (): void => undefined;
    const firstAsked = new Promise<void>((r) => (started = r));
    searcher.page = async (...args: Parameters<typeof slowFirst>) => {
      started();
      await new Promise((r) => setTimeout(r, 100));
      return slowFirst(...args);
    };
    const req = http.get(`${base}/api/search?q=rare&format=ndjson`, { headers: AUTH });
    req.on('error', () => undefined);
    // it leaves once the first page is under way (a fixed wait missed the request on a loaded machine: no page at all)
    await firstAsked;
    req.destroy();
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(searcher.calls, 1, 'only the page under way when it left');
  } finally {
    await app.close();
  }
});

test('streamPages: an aborted signal asks for no page and rejects with SEARCH_CANCELLED', async () => {
  let calls = 0;
  const page = async (): Promise<SearchPage> => {
    calls++;
    return { hits: makeHits(1), cursor: 'next', shardsSearched: 1, skipped: [], tookMs: 0 };
  };
  const ac = new AbortController();
  const it = streamPages(page, Infinity, 1000, ac.signal);
  assert.equal((await it.next()).done, false);
  ac.abort();
  await assert.rejects(it.next(), (e: unknown) => isAppError(e) && e.code === 'SEARCH_CANCELLED');
  assert.equal(calls, 1);
});

test('export: format=lines is each hit\'s raw line as text; an export not whole ends with a "# nml:" line saying why', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const res = await app.inject(get('/api/search?q=a&format=lines&limit=1500'));
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.headers['content-disposition'], undefined, 'shown, not saved, without download=1');
  assert.equal(res.body, deps.searcher.hits.slice(0, 1500).map((h) => h.raw + '\n').join(''));
  const shard = { file: 'shards/2026/11/30/10/0000-w0-0.db', from: Date.UTC(2026, 10, 30, 10), to: Date.UTC(2026, 10, 30, 10, 59, 59, 999) };
  deps.searcher.skipped = [shard];
  const partial = (await app.inject(get('/api/search?q=a&format=lines&limit=3'))).body.split('\n');
  assert.equal(partial.length, 5);
  assert.match(partial[3]!, /^# nml: warning: search: a damaged or missing shard left out: shards\/2026\/11\/30\/10\/0000-w0-0\.db /);
  await app.close();
  const broken = fakeDeps();
  broken.searcher.failAfterPages = 1;
  const app2 = await buildApp(broken);
  const failed = (await app2.inject(get('/api/search?format=lines'))).body.split('\n');
  assert.equal(failed.length, 1002);
  assert.equal(failed[1000], '# nml: error: INTERNAL: internal error: the server could not answer this request; its log has the cause');
  await app2.close();
});

test('export: download=1 sends the export as a file named for the range; download without an export is refused', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const lines = await app.inject(get('/api/search?q=a&format=lines&download=1&from=2026-12-06T10:59:00Z&to=2026-12-07T10:59:00Z&limit=2'));
  assert.equal(lines.statusCode, 200);
  assert.equal(lines.headers['content-disposition'], 'attachment; filename="nml-search-20261206T1059Z-20261207T1059Z.log"');
  assert.equal(lines.body.split('\n').length, 3);
  // an open range: from the start of the data to the time of the export
  const open = await app.inject(get('/api/search?format=ndjson&download=1&limit=1'));
  assert.equal(open.statusCode, 200, open.body);
  assert.equal(open.headers['content-disposition'], `attachment; filename="nml-search-start-${new Date(deps.clock.t).toISOString().slice(0, 16).replace(/[-:]/g, '')}Z.ndjson"`);
  const page = await app.inject(get('/api/search?q=a&download=1'));
  assert.equal(page.statusCode, 400);
  assert.equal(page.json().error.code, 'HTTP_BAD_REQUEST');
  assert.equal(page.json().error.message, 'request: query parameter download applies to an export; add format=ndjson or format=lines');
  await app.close();
});

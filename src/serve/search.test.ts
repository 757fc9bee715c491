import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { AUTH, fakeDeps, fakeEnrich } from './testing.js';

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
  assert.deepEqual(res.json(), { count: 2500, tookMs: 1.5, shardsSearched: 3 });
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

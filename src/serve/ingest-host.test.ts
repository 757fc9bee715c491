/** `POST /api/ingest?host=`: the host of lines whose header names none, checked, part of what an Idempotency-Key covers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { AUTH, fakeDeps } from './testing.js';

const TEXT = { ...AUTH, 'content-type': 'text/plain; charset=utf-8' };
const NDJSON = { ...AUTH, 'content-type': 'application/x-ndjson' };

test('?host= gives every line of the request that host (text and ndjson); an ndjson record\'s own host wins; without it, none', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  try {
    const res = await app.inject({ method: 'POST', url: '/api/ingest?host=web-01', headers: TEXT, payload: 'GET / 200\nGET /x 404\n' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(deps.ingest.records.map((r) => [r.line, r.source, r.host]), [
      ['GET / 200', 'http:127.0.0.1', 'web-01'],
      ['GET /x 404', 'http:127.0.0.1', 'web-01'],
    ]);
    const nd = await app.inject({ method: 'POST', url: '/api/ingest?host=10.0.0.5', headers: NDJSON, payload: '{"line":"a"}\n{"line":"b","host":"db-02"}\n' });
    assert.equal(nd.statusCode, 200, nd.body);
    assert.deepEqual(deps.ingest.records.slice(2).map((r) => r.host), ['10.0.0.5', 'db-02']);
    const plain = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'no host\n' });
    assert.equal(plain.statusCode, 200, plain.body);
    assert.equal('host' in deps.ingest.records[4]!, false);
  } finally {
    await app.close();
  }
});

test('a bad ?host= (or ndjson host) is a 400 saying what is wrong, and nothing is stored', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  try {
    for (const [q, why] of [
      ['host=web%2001', /\?host= "web 01" is holding a space or a control character/],
      ['host=', /\?host= "" is empty/],
      ['host=web%2F01', /neither an IP address nor a host name/],
      [`host=${'a'.repeat(300)}`, /300 characters long, over the 253/],
      ['host=a&host=b', /\?host= "a,b" is not text/],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: `/api/ingest?${q}`, headers: TEXT, payload: 'line\n' });
      assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
      const body = res.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'INGEST_HOST_INVALID', q);
      assert.match(body.error.message, why);
      assert.match(body.error.message, /nothing was stored/);
    }
    const nd = await app.inject({ method: 'POST', url: '/api/ingest', headers: NDJSON, payload: '{"line":"a"}\n{"line":"b","host":"x y"}\n' });
    assert.equal(nd.statusCode, 400, nd.body);
    assert.match((nd.json() as { error: { message: string } }).error.message, /ndjson line 2 has a 'host' .*"x y" that is holding a space/);
    const nul = await app.inject({ method: 'POST', url: '/api/ingest', headers: NDJSON, payload: '{"line":"a","source":"app\\u0000web-01"}\n' });
    assert.equal(nul.statusCode, 400, 'a source cannot smuggle a host in: the store keeps the host after a NUL');
    assert.equal(deps.ingest.records.length, 0);
  } finally {
    await app.close();
  }
});

test('Idempotency-Key covers the host: the same body for another host is IDEMPOTENCY_KEY_REUSED; the same host replays', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  try {
    const send = (url: string) => app.inject({ method: 'POST', url, headers: { ...TEXT, 'idempotency-key': 'k-1' }, payload: 'one\ntwo\n' });
    assert.equal((await send('/api/ingest?host=web-01')).statusCode, 200);
    const again = await send('/api/ingest?host=web-01');
    assert.equal(again.statusCode, 200);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const other = await send('/api/ingest?host=web-02');
    assert.equal(other.statusCode, 400, other.body);
    assert.equal((other.json() as { error: { code: string } }).error.code, 'IDEMPOTENCY_KEY_REUSED');
    const none = await send('/api/ingest');
    assert.equal(none.statusCode, 400, 'no host is another request too');
    assert.equal(deps.ingest.records.length, 2, 'stored once');
  } finally {
    await app.close();
  }
});

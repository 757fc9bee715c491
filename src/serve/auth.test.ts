import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { SERVE_LOG_REDACT } from './log-options.js';
import { bearerToken } from './auth.js';
import { AUTH, fakeDeps, TEST_TOKEN } from './testing.js';

const PROTECTED = [
  { method: 'GET', url: '/api/search?q=x' },
  { method: 'GET', url: '/api/count' },
  { method: 'GET', url: '/api/search/pin?asOf=1' },
  { method: 'GET', url: '/api/stats' },
  { method: 'GET', url: '/metrics' },
  { method: 'POST', url: '/api/ingest' },
] as const;

test('every API route answers 401 with a Bearer challenge without a token, or with a wrong one', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  for (const route of PROTECTED) {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${TEST_TOKEN}` }]) {
      const res = await app.inject({ ...route, headers: { ...headers, 'content-type': 'text/plain' }, payload: route.method === 'POST' ? 'x\n' : undefined });
      assert.equal(res.statusCode, 401, `${route.method} ${route.url} ${JSON.stringify(headers)}`);
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="nml"');
      const body = res.json();
      assert.equal(body.error.code, 'AUTH_REQUIRED');
      assert.equal(body.error.kind, 'unauthorized');
      assert.ok(!res.body.includes('wrong-token'), 'the reply never echoes the token');
    }
  }
  assert.equal(deps.ingest.writes.length, 0, 'nothing is written without auth');
  await app.close();
});

test('the right token opens every API route', async () => {
  const app = await buildApp(fakeDeps());
  for (const route of PROTECTED) {
    const res = await app.inject({ ...route, headers: { ...AUTH, 'content-type': 'text/plain' }, payload: route.method === 'POST' ? 'x\n' : undefined });
    assert.equal(res.statusCode, 200, `${route.method} ${route.url}: ${res.body}`);
  }
  await app.close();
});

test('/health is open; the OpenAPI document is not', async () => {
  const app = await buildApp(fakeDeps());
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok', version: '9.9.9-test' });
  assert.equal((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode, 401);
  await app.close();
});

test('bearer header parsing', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer   abc '), 'abc');
  assert.equal(bearerToken('Bearer'), null);
  assert.equal(bearerToken('Bearer a b'), null);
  assert.equal(bearerToken(undefined), null);
});

test('tokens never reach the log, even at trace level', async () => {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  const logger = pino({ level: 'trace', redact: SERVE_LOG_REDACT }, sink);
  const app = await buildApp(fakeDeps({ logger }));
  await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH });
  await app.inject({ method: 'GET', url: '/api/stats', headers: { authorization: 'Bearer guessed-secret' } });
  logger.info({ req: { headers: { authorization: 'Bearer direct-secret' } } }, 'someone logs a request by hand');
  await app.close();
  assert.ok(out.includes('incoming request'), 'requests were logged');
  for (const secret of [TEST_TOKEN, 'guessed-secret', 'direct-secret']) assert.ok(!out.includes(secret), `log holds ${secret}`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { pino } from 'pino';
import { AppError, ERROR_KINDS } from '../core/index.js';
import { buildApp, REQUEST_TIMEOUT_MS } from './app.js';
import Fastify from 'fastify';
import { installErrorHandling, STATUS_BY_KIND } from './http-errors.js';
import { AUTH, fakeDeps } from './testing.js';

test('every error kind has a status: 4xx for client faults, 5xx for the server', () => {
  for (const kind of ERROR_KINDS) assert.ok(STATUS_BY_KIND[kind] >= 400, kind);
  assert.deepEqual(
    { ...STATUS_BY_KIND },
    { bad_request: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, too_many_requests: 429, timeout: 504, unavailable: 503, internal: 500 },
  );
});

test('AppErrors map by kind; internal and unknown errors are logged and answered generically', async () => {
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const deps = fakeDeps({ logger });
  const app = await buildApp(deps);
  const cases: [unknown, number, string][] = [
    [new AppError('SEARCH_TIMEOUT', 'timeout', 'search: took longer than 30 s'), 504, 'SEARCH_TIMEOUT'],
    [new AppError('SEARCH_BUSY', 'too_many_requests', 'search: too many searches running'), 429, 'SEARCH_BUSY'],
    [new AppError('STORE_BROKEN', 'internal', 'store: invariant failed at /secret/a'), 500, 'STORE_BROKEN'],
    [new TypeError('cannot read properties of undefined (/secret/b)'), 500, 'INTERNAL'],
  ];
  for (const [err, status, code] of cases) {
    deps.searcher.count = async () => {
      throw err;
    };
    const res = await app.inject({ method: 'GET', url: '/api/count', headers: AUTH });
    assert.equal(res.statusCode, status);
    assert.equal(res.json().error.code, code);
    assert.ok(!res.body.includes('/secret/') && !res.body.includes('at '), `no internals in ${res.body}`);
  }
  assert.ok(log.includes('/secret/b'), 'the cause is in the log');
  await app.close();
});

test('a search cancelled because its client went away is logged as info, without a stack, not as an error', async () => {
  const lines: { level: number; msg: string; err?: unknown }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { for (const l of String(c).trim().split('\n')) lines.push(JSON.parse(l)); done(); } }));
  const deps = fakeDeps({ logger });
  const app = await buildApp(deps);
  deps.searcher.count = async () => {
    throw new AppError('SEARCH_CANCELLED', 'unavailable', 'search cancelled: the client that asked for it went away');
  };
  const res = await app.inject({ method: 'GET', url: '/api/count', headers: AUTH });
  assert.equal(res.statusCode, 503);
  const said = lines.filter((l) => l.msg.includes('cancelled'));
  assert.equal(said.length, 1, JSON.stringify(lines));
  assert.equal(said[0]!.level, 30, 'info');
  assert.equal(said[0]!.err, undefined, 'no stack');
  assert.ok(lines.every((l) => l.level < 50), 'nothing at error level');
  await app.close();
});

test('a known unavailable condition (a data directory nml may not read) is one error line with its message and code, no stack; an internal error keeps its stack', async () => {
  const lines: { level: number; msg: string; code?: string; err?: { stack?: string } }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { for (const l of String(c).trim().split('\n')) lines.push(JSON.parse(l)); done(); } }));
  const deps = fakeDeps({ logger });
  const app = await buildApp(deps);
  deps.searcher.count = async () => {
    throw new AppError('STORE_DATA_DIR', 'unavailable', 'store: the data directory /data cannot be read (EACCES); give nml read access');
  };
  assert.equal((await app.inject({ method: 'GET', url: '/api/count', headers: AUTH })).statusCode, 503);
  const said = lines.filter((l) => l.msg.includes('cannot be read'));
  assert.equal(said.length, 1, JSON.stringify(lines));
  assert.equal(said[0]!.level, 50, 'error');
  assert.equal(said[0]!.code, 'STORE_DATA_DIR');
  assert.equal(said[0]!.err, undefined, 'no stack');
  deps.searcher.count = async () => {
    throw new TypeError('a bug');
  };
  assert.equal((await app.inject({ method: 'GET', url: '/api/count', headers: AUTH })).statusCode, 500);
  const bug = lines.find((l) => l.level === 50 && l.err !== undefined);
  assert.ok(bug?.err?.stack?.includes('a bug') === true, JSON.stringify(lines.slice(-1)));
  await app.close();
});

test('an unknown route is a JSON 404; under /api/ only with credentials, so routes cannot be probed', async () => {
  const app = await buildApp(fakeDeps());
  const res = await app.inject({ method: 'GET', url: '/api/nope', headers: AUTH });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'HTTP_NOT_FOUND');
  const probe = await app.inject({ method: 'GET', url: '/api/nope' });
  assert.equal(probe.statusCode, 401);
  assert.equal(probe.json().error.code, 'AUTH_REQUIRED');
  const outside = await app.inject({ method: 'GET', url: '/nope' });
  assert.equal(outside.statusCode, 404, 'outside /api/ there is nothing to hide');
  await app.close();
});

test('a path that is not valid percent-encoded UTF-8 is the usual JSON 400, with or without a token', async () => {
  const app = await buildApp(fakeDeps());
  for (const headers of [AUTH, {}]) {
    const res = await app.inject({ method: 'GET', url: '/api/findings/%FF', headers });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'HTTP_BAD_REQUEST');
    assert.match(res.json().error.message, /not valid percent-encoded UTF-8/);
  }
  await app.close();
});

test('API answers, errors included, are neither cached nor sniffed', async () => {
  const app = await buildApp(fakeDeps());
  for (const [url, headers, status] of [['/api/search?q=x', AUTH, 200], ['/api/search?q=x', {}, 401], ['/api/search?q=x&limit=-1', AUTH, 400]] as const) {
    const res = await app.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, status, url);
    assert.equal(res.headers['cache-control'], 'no-store', url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
  }
  await app.close();
});

test("a refused media type says what the route accepts: its schema's consumes, else the parsers its context has", async () => {
  const app = await buildApp(fakeDeps({ logger: false }));
  const none = await app.inject({ method: 'POST', url: '/api/ingest', headers: AUTH, payload: 'x\n' });
  assert.equal(none.statusCode, 400);
  assert.deepEqual(none.json().error, {
    code: 'HTTP_UNSUPPORTED_MEDIA_TYPE',
    kind: 'bad_request',
    message: "request: no content type was sent; POST /api/ingest accepts text/plain or application/x-ndjson; send 'Content-Type: text/plain'",
    details: { contentType: '(none)', accepted: ['text/plain', 'application/x-ndjson'] },
  });
  const json = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{}' });
  assert.equal(json.json().error.message, "request: content type 'application/json' is not accepted; POST /api/ingest accepts text/plain or application/x-ndjson; send 'Content-Type: text/plain'");
  await app.close();

  // a route without `consumes`: the types its own context parses
  const bare = Fastify();
  installErrorHandling(bare);
  await bare.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/upload', async () => ({ ok: true }));
  });
  bare.post('/plain', async () => ({ ok: true }));
  const up = await bare.inject({ method: 'POST', url: '/upload', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
  assert.equal(up.json().error.message, "request: content type 'text/csv' is not accepted; POST /upload accepts application/octet-stream; send 'Content-Type: application/octet-stream'");
  const plain = await bare.inject({ method: 'POST', url: '/plain?x=1', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
  assert.deepEqual(plain.json().error.details.accepted, ['application/json', 'text/plain']);
  await bare.close();
});

test("a request must arrive whole within REQUEST_TIMEOUT_MS: Node's limit is on, which Fastify turns off by default", async () => {
  const app = await buildApp(fakeDeps());
  try {
    assert.equal(app.server.requestTimeout, REQUEST_TIMEOUT_MS);
    assert.ok(REQUEST_TIMEOUT_MS > 0 && REQUEST_TIMEOUT_MS <= 300_000);
  } finally {
    await app.close();
  }
});

test("headers over Node's limit are a 431 with an error code (HTTP_HEADERS_TOO_LARGE), not Fastify's bare body", async () => {
  const app = await buildApp(fakeDeps());
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`GET /api/search?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    let text = '';
    socket.on('data', (d: Buffer) => (text += String(d)));
    await once(socket, 'close');
    assert.match(text, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: { code: string; kind: string; message: string } };
    assert.equal(body.error.code, 'HTTP_HEADERS_TOO_LARGE');
    assert.equal(body.error.kind, 'bad_request', 'every error body has code, kind and message (docs/errors.md)');
    assert.match(body.error.message, /send a shorter URL/);
  } finally {
    await app.close();
  }
});

test('a request that arrives while the server stops is a 503 HTTP_STOPPING with an error body, not Fastify\'s bare one', async () => {
  const app = await buildApp(fakeDeps());
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  let started: () => void = () => undefined;
  const inSlow = new Promise<void>((r) => (started = r));
  app.get('/slow-test', async () => {
    started();
    await held;
    return { ok: true };
  });
  let answered: () => void = () => undefined;
  const second = new Promise<void>((r) => (answered = r));
  app.addHook('onSend', async (req) => {
    if (req.url === '/health') answered();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d) => (text += d.toString()));
  const ended = once(socket, 'close');
  // a kept-alive connection with a request in flight when the stop begins, and another sent on it then
  socket.write('GET /slow-test HTTP/1.1\r\nHost: x\r\n\r\n');
  await inSlow;
  const closing = app.close();
  socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  // its answer is ready (sent once the first's is)
  await second;
  release();
  await closing;
  await ended;
  const answers = text.split(/(?=HTTP\/1\.1 )/);
  assert.match(answers[0]!, /^HTTP\/1\.1 200/);
  assert.match(answers[1]!, /^HTTP\/1\.1 503/);
  const body = JSON.parse(answers[1]!.slice(answers[1]!.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'HTTP_STOPPING');
  assert.match(body.error.message, /nml is stopping; nothing from this request was done or stored/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { FindingsStore, SynLiveBoard } from '../detect/index.js';
import { tinyModel } from '../detect/syn/testing.js';
import { AUTH, fakeDeps } from './testing.js';
import { login, webApp } from './web-testing.js';
import { DOCS_LOGO_STYLE } from './openapi.js';
import { contentSecurityPolicy } from './routes/static.js';
import { fuzzInvestigator } from './api-fuzz-testing.js';

test('the OpenAPI document lists every route with its schemas, and bearer security', async () => {
  const app = await buildApp(fakeDeps());
  const res = await app.inject({ method: 'GET', url: '/docs/json', headers: AUTH });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.version, '9.9.9-test');
  const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  for (const r of ['GET /health', 'POST /api/ingest', 'GET /api/search', 'GET /api/count', 'GET /api/stats', 'GET /metrics']) {
    assert.ok(routes.includes(r), `${r} missing from ${routes.join(', ')}`);
  }
  assert.deepEqual(doc.security, [{ bearer: [] }]);
  assert.deepEqual(doc.paths['/health'].get.security, [], '/health needs no token');
  // every status a route sends is documented (the API fuzz checks what it reaches; these it does not)
  assert.ok(doc.paths['/health'].get.responses['503'], '/health answers 503 HTTP_STOPPING while the server stops');
  const params = (doc.paths['/api/search'].get.parameters as { name: string }[]).map((p) => p.name);
  assert.deepEqual(params.sort(), ['asOf', 'count', 'cursor', 'download', 'fields', 'format', 'from', 'limit', 'q', 'to']);
  // every request of a pinned search carries its asOf (the histogram's route is there when a histogram is: below)
  for (const path of ['/api/count', '/api/facets']) {
    assert.ok((doc.paths[path].get.parameters as { name: string }[]).some((p) => p.name === 'asOf'), `${path} takes asOf`);
  }
  assert.deepEqual(Object.keys(doc.paths['/api/ingest'].post.requestBody.content).sort(), ['application/x-ndjson', 'text/plain']);
  assert.ok(doc.paths['/api/search'].get.responses['400'], 'error replies are documented');
  // a page is JSON, an export NDJSON or raw lines; errors are JSON either way (the review found one schema for both and NDJSON errors)
  const search = doc.paths['/api/search'].get.responses;
  assert.deepEqual(Object.keys(search['200'].content).sort(), ['application/json', 'application/x-ndjson', 'text/plain']);
  assert.ok(search['200'].content['application/json'].schema.properties.hits);
  assert.equal(search['200'].content['application/x-ndjson'].schema.type, 'string');
  assert.deepEqual(Object.keys(search['400'].content), ['application/json']);
  // routes a viewer's session is refused on say so
  await app.close();
  const store = new FindingsStore(':memory:');
  const histogram = { histogram: () => Promise.reject(new Error('not asked')) };
  const withFindings = await buildApp(fakeDeps({ findings: store, histogram }));
  const paths = (await withFindings.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json().paths;
  assert.ok((paths['/api/histogram'].get.parameters as { name: string }[]).some((p) => p.name === 'asOf'), '/api/histogram takes asOf');
  for (const [path, method] of [['/api/findings/{id}', 'patch'], ['/api/findings', 'patch'], ['/api/findings/matching', 'patch']] as const) {
    assert.ok(paths[path]?.[method]?.responses['403'], `${method.toUpperCase()} ${path} documents 403`);
  }
  assert.equal(paths['/api/findings']?.get?.responses['403'], undefined, 'reading is not refused');
  // the assignee: in each finding, set by the three PATCH routes, a filter of the list, the counts and a change by filter; triagedSince of the counts and the change by filter too
  const names = (op: { parameters?: { name: string }[] }) => (op.parameters ?? []).map((p) => p.name);
  assert.ok(names(paths['/api/findings'].get).includes('assignee'));
  assert.ok(names(paths['/api/findings/counts'].get).includes('assignee') && names(paths['/api/findings/counts'].get).includes('triagedSince'));
  const body = (path: string, method: string) => paths[path][method].requestBody.content['application/json'].schema;
  for (const [path, method] of [['/api/findings/{id}', 'patch'], ['/api/findings', 'patch'], ['/api/findings/matching', 'patch']] as const) {
    assert.deepEqual(body(path, method).properties.assignee.type, ['string', 'null'], `${path} takes an assignee`);
    assert.ok(!(body(path, method).required ?? []).includes('status'), `${path}: a status is no longer required (an assignee alone will do)`);
  }
  assert.ok(body('/api/findings/matching', 'patch').properties.match.properties.assignee && body('/api/findings/matching', 'patch').properties.match.properties.triagedSince);
  assert.ok(paths['/api/findings/{id}'].get.responses['200'].content['application/json'].schema.properties.triage.properties.assignee);
  await withFindings.close();
  store.close();
});

test('the docs UI is served at /docs from the package, without a CDN', async () => {
  const app = await buildApp(fakeDeps());
  const page = await app.inject({ method: 'GET', url: '/docs', headers: AUTH });
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-type'] as string, /text\/html/);
  assert.ok(!/https?:\/\//.test(page.body.replace(/<!--[\s\S]*?-->/g, '')), 'no remote resources');
  // the app's pages' headers, and a CSP that neither upgrades plain HTTP (nothing would load) nor allows framing
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['x-frame-options'], 'DENY');
  const csp = String(page.headers['content-security-policy'] ?? '');
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /upgrade-insecure-requests|validator\.swagger\.io/);
  // the logo's inline style, by its hash (Chromium named it in the violation it logged), and no other inline style
  assert.match(csp, /style-src 'self' https: 'sha256-RL3ie0nH\+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const preset = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-standalone-preset.js', headers: AUTH });
  assert.ok(preset.body.includes(JSON.stringify(DOCS_LOGO_STYLE)), 'the hashed style is the one the preset renders (a new plugin version may change it: hash its new text)');
  assert.doesNotMatch(contentSecurityPolicy('127.0.0.1:8080'), /sha256/, 'the app\'s pages allow no inline style');
  const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js', headers: AUTH });
  assert.equal(bundle.statusCode, 200);
  assert.ok(bundle.body.length > 100_000);
  await app.close();
});

test('the docs need credentials as the API does: a token, or the session cookie of a user logged in to the UI', async () => {
  const { app, close } = await webApp();
  try {
    for (const url of ['/docs', '/docs/json', '/docs/yaml', '/docs/static/swagger-ui-bundle.js', '/docs/static/index.html']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 401, `${url} without credentials: ${r.statusCode}`);
      assert.equal(r.json().error.code, 'AUTH_REQUIRED');
    }
    // a browser opening the docs before logging in is told where to log in, not shown a JSON error about tokens
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const url of ['/docs', '/docs/static/index.html']) {
      const page = await app.inject({ method: 'GET', url, headers: browser });
      assert.equal(page.statusCode, 401);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /<a href="\/">Log in to the web UI<\/a>, then open <a href="\/docs">\/docs<\/a> again/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
    }
    const script = await app.inject({ method: 'GET', url: '/docs/json', headers: { accept: 'application/json' } });
    assert.equal(script.json().error.code, 'AUTH_REQUIRED', 'a script still reads the JSON error');
    const cookie = await login(app);
    assert.equal((await app.inject({ method: 'GET', url: '/docs', headers: { cookie, ...browser } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/docs/json', headers: { cookie } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the health check stays open');
  } finally {
    await close();
  }
});

test("every operation documents Node's 408 and 431; the routes that take no body say so, and refuse one", async () => {
  const { app, users, close } = await webApp();
  const withPivot = await buildApp(fakeDeps({ investigator: fuzzInvestigator() }));
  try {
    await users.add('root', 'root-password-1', 'admin');
    await users.add('bob', 'bob-password-1', 'viewer');
    const doc = (await app.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json();
    const pivotDoc = (await withPivot.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json();
    type Op = { requestBody?: { required?: boolean; content: Record<string, { schema: { maxProperties?: number } }> }; responses: Record<string, { description: string; content?: Record<string, { schema: { required?: string[] } }> }> };
    const ops = [doc, pivotDoc].flatMap((d) => Object.entries(d.paths as Record<string, Record<string, Op>>).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([m, op]) => [`${m.toUpperCase()} ${path}`, op] as const)));
    assert.ok(ops.length > 20, `${ops.length} operations`);
    for (const [name, op] of ops) {
      for (const [status, code] of [['408', 'HTTP_REQUEST_TIMEOUT'], ['431', 'HTTP_HEADERS_TOO_LARGE']] as const) {
        const r = op.responses[status];
        assert.ok(r !== undefined, `${name} documents ${status}`);
        assert.match(r.description, new RegExp(`^${code}: request: `), name);
        assert.deepEqual(r.content?.['application/json']?.schema.required, ['error'], `${name} ${status}: the error shape`);
      }
    }
    const noBody = ops.filter(([, op]) => op.requestBody?.required === false).map(([name]) => name).sort();
    assert.deepEqual(noBody, ['DELETE /api/users/{name}', 'POST /api/auth/logout', 'POST /api/pivot/reload']);
    for (const [name, op] of ops) if (noBody.includes(name)) assert.equal(op.requestBody!.content['application/json']!.schema.maxProperties, 0, name);
    for (const [name, op] of ops) if (op.requestBody !== undefined && !noBody.includes(name)) assert.equal(op.requestBody.required, true, `${name}: a body it needs stays required`);

    // what the document says is what the routes do: nothing or {} is taken, more is refused with what to send
    const json = { ...AUTH, 'content-type': 'application/json' };
    const extra = await withPivot.inject({ method: 'POST', url: '/api/pivot/reload', headers: json, payload: { force: true } });
    assert.equal(extra.statusCode, 400, extra.body);
    assert.equal(extra.json().error.code, 'HTTP_BAD_REQUEST');
    assert.equal(extra.json().error.message, 'request: this route takes no body; send none, or {} as application/json');
    assert.equal((await withPivot.inject({ method: 'POST', url: '/api/pivot/reload', headers: json, payload: {} })).statusCode, 200);
    assert.equal((await withPivot.inject({ method: 'POST', url: '/api/pivot/reload', headers: AUTH })).statusCode, 200);
    const root = await login(app, { username: 'root', password: 'root-password-1' });
    const cookie = { cookie: root, 'content-type': 'application/json' };
    const del = await app.inject({ method: 'DELETE', url: '/api/users/bob', headers: cookie, payload: { really: true } });
    assert.equal(del.statusCode, 400, del.body);
    assert.match(del.json().error.message, /takes no body/);
    assert.notEqual(users.get('bob'), null, 'refused: bob stays');
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/users/bob', headers: cookie, payload: {} })).statusCode, 204, 'the web UI sends {}');
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: cookie, payload: { all: true } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: cookie, payload: '' })).statusCode, 204, 'logout takes an empty JSON body');
  } finally {
    await withPivot.close();
    await close();
  }
});

test("the SYN board's host documents what the host sent SYNs to (targets), with the bound of its counts", async () => {
  const app = await buildApp(fakeDeps({ synBoard: new SynLiveBoard({ model: tinyModel() }) }));
  try {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json();
    const ok = doc.paths['/api/detect/syn/hosts/{ip}'].get.responses['200'].content['application/json'].schema;
    assert.ok(ok.required.includes('targets'));
    const t = ok.properties.targets;
    assert.deepEqual(t.required, ['ports', 'morePorts', 'portRuns', 'morePortRuns', 'dsts', 'moreDsts', 'dstsExact']);
    assert.deepEqual(t.properties.ports.items.required, ['port', 'syns', 'over']);
    assert.deepEqual(t.properties.dsts.items.required, ['ip', 'syns', 'over']);
    assert.match(t.description, /32 counters per host/);
  } finally {
    await app.close();
  }
});

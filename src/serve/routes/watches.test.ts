/**
 * `/api/watches`: every role lists; an analyst and the token make, change and remove, a viewer is 403 and
 * changes nothing; a bad query is the search's own 400; a name taken (any case) 409; an unknown id 404;
 * each change is an audit entry and wakes the evaluator; `POST /api/watches/test` counts without saving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';
import { tempUserStore } from '../users/testing.js';
import { AuditLog } from '../users/audit.js';
import { login } from '../web-testing.js';
import { WatchStore } from '../watches/index.js';

const ALICE = { username: 'alice', password: 'alice-password-1' };
const VIC = { username: 'vic', password: 'vic-password-1' };
const JSON_CT = { 'content-type': 'application/json' };

test('watches: analysts and the token change them, viewers read only, every change is audited, and a test counts without saving', async () => {
  const u = tempUserStore();
  await u.store.add(ALICE.username, ALICE.password, 'analyst');
  await u.store.add(VIC.username, VIC.password, 'viewer');
  const audit = new AuditLog(join(u.dir, 'users.db'));
  const store = new WatchStore(':memory:', { max: 3 });
  let wakes = 0;
  const deps = fakeDeps({ users: u.store, audit, watches: { store, evaluating: true, wake: () => void wakes++ } });
  const app = await buildApp(deps);
  try {
    const alice = { cookie: await login(app, ALICE), ...JSON_CT };
    const vic = { cookie: await login(app, VIC), ...JSON_CT };

    const made = await app.inject({ method: 'POST', url: '/api/watches', headers: alice, payload: { name: 'Failed logins', query: '"failed password"', threshold: 50 } });
    assert.equal(made.statusCode, 201, made.body);
    const w = made.json().watch;
    assert.deepEqual({ name: w.name, window: w.window, every: w.every, threshold: w.threshold, enabled: w.enabled, createdBy: w.createdBy, last: w.last }, { name: 'Failed logins', window: '5m', every: '1m', threshold: 50, enabled: true, createdBy: 'alice', last: null });
    assert.equal(wakes, 1, 'a new watch is counted at once');

    const bad = await app.inject({ method: 'POST', url: '/api/watches', headers: AUTH, payload: { name: 'b', query: 'a OR (b', threshold: 1 } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'QUERY_SYNTAX');
    assert.match(bad.json().error.message, /column/);
    const window = await app.inject({ method: 'POST', url: '/api/watches', headers: AUTH, payload: { name: 'b', query: 'x', threshold: 1, window: '9d' } });
    assert.equal(window.statusCode, 400);
    assert.equal(window.json().error.code, 'WATCH_INVALID');
    assert.match(window.json().error.message, /window is 9d; it must be from 1m to 7d/);
    const taken = await app.inject({ method: 'POST', url: '/api/watches', headers: AUTH, payload: { name: 'FAILED LOGINS', query: 'x', threshold: 1 } });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.code, 'WATCH_EXISTS');

    // a viewer reads, and is refused every change before anything is done
    const list = await app.inject({ method: 'GET', url: '/api/watches', headers: { cookie: vic.cookie } });
    assert.equal(list.statusCode, 200);
    assert.deepEqual({ n: list.json().watches.length, evaluating: list.json().evaluating, max: list.json().max }, { n: 1, evaluating: true, max: 3 });
    for (const r of [
      { method: 'POST', url: '/api/watches', payload: { name: 'v', query: 'x', threshold: 1 } },
      { method: 'PATCH', url: `/api/watches/${w.id}`, payload: { enabled: false } },
      { method: 'DELETE', url: `/api/watches/${w.id}`, payload: {} },
    ] as const) {
      const res = await app.inject({ method: r.method, url: r.url, headers: vic, payload: r.payload });
      assert.equal(res.statusCode, 403, `${r.method} ${r.url}: ${res.body}`);
      assert.equal(res.json().error.code, 'AUTH_FORBIDDEN');
    }
    assert.equal(store.list().length, 1);
    assert.equal(store.get(w.id)!.enabled, true);

    const changed = await app.inject({ method: 'PATCH', url: `/api/watches/${w.id}`, headers: AUTH, payload: { name: 'ssh failures', threshold: 20, window: '15m' } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual({ name: changed.json().watch.name, threshold: changed.json().watch.threshold, window: changed.json().watch.window }, { name: 'ssh failures', threshold: 20, window: '15m' });
    assert.equal(wakes, 2);
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/watches/999', headers: AUTH, payload: { enabled: false } })).json().error.code, 'WATCH_NOT_FOUND');
    assert.equal((await app.inject({ method: 'PATCH', url: `/api/watches/${w.id}`, headers: AUTH, payload: {} })).statusCode, 400, 'a change of nothing');

    const tested = await app.inject({ method: 'POST', url: '/api/watches/test', headers: { cookie: vic.cookie, ...JSON_CT }, payload: { query: 'sshd', window: '1h', threshold: 2000 } });
    assert.equal(tested.statusCode, 200, tested.body);
    const t = tested.json();
    assert.deepEqual({ count: t.count, fired: t.fired, counted: t.counted, span: t.to - t.from }, { count: 2500, fired: true, counted: '(sshd) -app:nml-detect', span: 3_600_000 });
    assert.equal(deps.searcher.calls.at(-1)!.query, '(sshd) -app:nml-detect');
    assert.equal(store.list().length, 1, 'a test saves nothing');
    assert.equal((await app.inject({ method: 'POST', url: '/api/watches/test', headers: AUTH, payload: { query: 'a OR (b' } })).json().error.code, 'QUERY_SYNTAX');

    const removed = await app.inject({ method: 'DELETE', url: `/api/watches/${w.id}`, headers: alice, payload: {} });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal(store.list().length, 0);
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/watches/${w.id}`, headers: alice, payload: {} })).statusCode, 404);

    const actions = audit
      .list({ limit: 50 })
      .entries.filter((e) => e.action.startsWith('watch.'))
      .map((e) => `${e.action} ${e.outcome} ${e.actor} ${e.target ?? e.reason}`)
      .reverse();
    // the refusals of an audited route are recorded with their code (routes/audit.ts), a viewer's too
    assert.deepEqual(actions, [
      'watch.create ok alice Failed logins',
      'watch.create refused api-token QUERY_SYNTAX',
      'watch.create refused api-token WATCH_INVALID',
      'watch.create refused api-token WATCH_EXISTS',
      'watch.create refused vic AUTH_FORBIDDEN',
      'watch.update refused vic AUTH_FORBIDDEN',
      'watch.delete refused vic AUTH_FORBIDDEN',
      'watch.update ok api-token ssh failures',
      'watch.update refused api-token WATCH_NOT_FOUND',
      'watch.delete ok alice ssh failures',
      'watch.delete refused alice WATCH_NOT_FOUND',
    ]);
    const update = audit.list({ action: 'watch.update', outcome: 'ok' }).entries[0]!;
    assert.deepEqual(update.details.changed, ['name', 'threshold', 'window']);
    assert.equal(update.details.from, 'Failed logins');
  } finally {
    await app.close();
    audit.close();
    store.close();
    u.cleanup();
  }
});

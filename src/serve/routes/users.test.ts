import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AUTH } from '../testing.js';
import { ALICE, login, webApp } from '../web-testing.js';

const JSON_CT = { 'content-type': 'application/json' };
const BOSS = { username: 'boss', password: 'boss-password-1' };

test('a user changes their own password: the current one first; other sessions end, this one stays', async () => {
  const { app, close } = await webApp();
  try {
    const here = await login(app);
    const elsewhere = await login(app);
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: here, ...JSON_CT }, payload: { current: 'not-it-at-all', password: 'a-new-password-2' } });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.code, 'AUTH_PASSWORD_WRONG');
    // the page shows the message as it is: a plain sentence after the area, as every message has it (docs/errors.md)
    assert.equal(wrong.json().error.message, 'auth: the current password is wrong; your password was not changed');
    const short = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: here, ...JSON_CT }, payload: { current: ALICE.password, password: 'short' } });
    assert.equal(short.json().error.code, 'USER_PASSWORD_INVALID');
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: ALICE })).statusCode, 200, 'refused changes changed nothing');

    const ok = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: here, ...JSON_CT }, payload: { current: ALICE.password, password: 'a-new-password-2' } });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: here } })).statusCode, 200, 'the session that changed it goes on');
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: elsewhere } })).statusCode, 401, 'another session ended');
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: ALICE })).statusCode, 401, 'the old password is gone');
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'a-new-password-2' } })).statusCode, 200);

    const token = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { ...AUTH, ...JSON_CT }, payload: { current: 'x', password: 'y-long-enough' } });
    assert.equal(token.json().error.code, 'AUTH_NO_PASSWORD', 'the API token has no password of its own');
  } finally {
    await close();
  }
});

test('wrong current passwords are limited per user as failed logins are', async () => {
  const { app, close } = await webApp({ web: { webRoot: null, loginLimits: { max: 3, windowMs: 60_000 } } });
  try {
    const cookie = await login(app);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie, ...JSON_CT }, payload: { current: `guess-${i}-guess`, password: 'a-new-password-2' } });
      codes.push(r.json().error.code);
    }
    assert.deepEqual(codes, ['AUTH_PASSWORD_WRONG', 'AUTH_PASSWORD_WRONG', 'AUTH_PASSWORD_WRONG', 'AUTH_RATE_LIMITED', 'AUTH_RATE_LIMITED']);
  } finally {
    await close();
  }
});

test('an analyst gets 403 on every user-management route, and nothing changes', async () => {
  const { app, users, close } = await webApp();
  try {
    const cookie = await login(app);
    const calls = [
      { method: 'GET', url: '/api/users' },
      { method: 'POST', url: '/api/users', payload: { name: 'eve', role: 'admin', password: 'eve-password-1' } },
      { method: 'PATCH', url: '/api/users/alice', payload: { role: 'admin' } },
      { method: 'DELETE', url: '/api/users/alice' },
    ] as const;
    for (const c of calls) {
      const r = await app.inject({ ...c, headers: { cookie, ...JSON_CT } });
      assert.equal(r.statusCode, 403, `${c.method} ${c.url}: ${r.body}`);
      assert.equal(r.json().error.code, 'AUTH_FORBIDDEN');
      assert.match(r.json().error.message, /needs the admin role; 'alice' has the analyst role/);
    }
    assert.deepEqual(users.list().map((u) => [u.name, u.role]), [['alice', 'analyst']]);
    assert.equal((await app.inject({ method: 'GET', url: '/api/users' })).statusCode, 401, 'no credentials: 401 before the role');
    // a long path parameter is no tell: Fastify's own length check answered 400 before authentication
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/users/${'x'.repeat(300)}` })).statusCode, 401);
  } finally {
    await close();
  }
});

test('an admin adds, lists, changes and removes users; each change is logged without a password', async () => {
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const { app, users, close } = await webApp({ logger });
  try {
    await users.add(BOSS.username, BOSS.password, 'admin');
    const cookie = await login(app, BOSS);
    const h = { cookie, ...JSON_CT };
    const added = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { name: 'bob', role: 'analyst', password: 'bob-password-1' } });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().user.name, 'bob');
    assert.equal((await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { name: 'bob', role: 'analyst', password: 'bob-password-1' } })).json().error.code, 'USER_EXISTS');
    assert.equal((await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { name: 'Bob Smith', role: 'analyst', password: 'bob-password-1' } })).json().error.code, 'USER_NAME_INVALID');
    assert.equal((await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { name: 'carol', role: 'root', password: 'carol-password-1' } })).statusCode, 400, 'an unknown role');

    const list = await app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    assert.deepEqual(list.json().users.map((u: { name: string; role: string }) => `${u.name}:${u.role}`), ['alice:analyst', 'bob:analyst', 'boss:admin']);
    assert.ok(list.json().users.every((u: Record<string, unknown>) => !('hash' in u)), 'no hashes leave the server');

    const bobCookie = await login(app, { username: 'bob', password: 'bob-password-1' });
    const promoted = await app.inject({ method: 'PATCH', url: '/api/users/bob', headers: h, payload: { role: 'admin' } });
    assert.equal(promoted.json().user.role, 'admin');
    assert.equal((await app.inject({ method: 'GET', url: '/api/users', headers: { cookie: bobCookie } })).statusCode, 200, 'a new role takes effect at once');
    const reset = await app.inject({ method: 'PATCH', url: '/api/users/bob', headers: h, payload: { password: 'bob-password-2' } });
    assert.equal(reset.statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: bobCookie } })).statusCode, 401, "a reset ends the user's sessions");
    const both = await app.inject({ method: 'PATCH', url: '/api/users/bob', headers: h, payload: { role: 'analyst', password: 'short' } });
    assert.equal(both.json().error.code, 'USER_PASSWORD_INVALID');
    assert.equal(users.get('bob')!.role, 'admin', 'a refused change changes nothing, not even the half that was valid');
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/bob', headers: h, payload: {} })).statusCode, 400, 'nothing to change');
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/nobody', headers: h, payload: { role: 'admin' } })).json().error.code, 'USER_NOT_FOUND');

    const gone = await app.inject({ method: 'DELETE', url: '/api/users/bob', headers: h });
    assert.equal(gone.statusCode, 204, gone.body);
    assert.equal(users.get('bob'), null);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/users/bob', headers: h })).statusCode, 404);

    assert.match(log, /"user":"boss","target":"bob","role":"analyst","msg":"user added"/);
    assert.match(log, /"target":"bob","passwordSet":true,"msg":"user changed"/);
    assert.match(log, /"target":"bob","unassigned":0,"msg":"user removed"/);
    assert.ok(!log.includes('bob-password'), 'no password reaches the log');
  } finally {
    await close();
  }
});

test('the last admin can be neither demoted nor removed; with a second admin both work', async () => {
  const { app, users, close } = await webApp();
  try {
    await users.add(BOSS.username, BOSS.password, 'admin');
    const h = { cookie: await login(app, BOSS), ...JSON_CT };
    const demote = await app.inject({ method: 'PATCH', url: '/api/users/boss', headers: h, payload: { role: 'analyst' } });
    assert.equal(demote.statusCode, 409);
    assert.equal(demote.json().error.code, 'USER_LAST_ADMIN');
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/users/boss', headers: h })).json().error.code, 'USER_LAST_ADMIN');
    assert.equal(users.get('boss')!.role, 'admin');
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/alice', headers: h, payload: { role: 'admin' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/boss', headers: h, payload: { role: 'analyst' } })).statusCode, 200);
    const self = await login(app);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/users/alice', headers: { cookie: self, ...JSON_CT } })).statusCode, 409, 'alice is now the last admin');
  } finally {
    await close();
  }
});

test('the API token cannot manage users: a leaked one must not plant an admin that outlives its rotation', async () => {
  const { app, users, close } = await webApp();
  try {
    const h = { ...AUTH, ...JSON_CT };
    for (const c of [
      { method: 'GET', url: '/api/users' },
      { method: 'POST', url: '/api/users', payload: { name: 'mallory', role: 'admin', password: 'mallory-password-1' } },
      { method: 'PATCH', url: '/api/users/alice', payload: { role: 'admin' } },
    ] as const) {
      const r = await app.inject({ ...c, headers: h });
      assert.equal(r.statusCode, 403, `${c.method} ${c.url}`);
      assert.match(r.json().error.message, /the API token cannot manage users/);
    }
    assert.deepEqual(users.list().map((u) => `${u.name}:${u.role}`), ['alice:analyst']);
  } finally {
    await close();
  }
});

test("a stolen session's wrong guesses do not use up the owner's tries; a name is never echoed into the log, and api-token is reserved", async () => {
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const { app, users, close } = await webApp({ logger, web: { webRoot: null, loginLimits: { max: 3, windowMs: 60_000 } } });
  try {
    const thief = await login(app);
    const owner = await login(app);
    for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: thief, ...JSON_CT }, payload: { current: `guess-${i}-guess`, password: 'thief-password-1' } });
    const mine = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: owner, ...JSON_CT }, payload: { current: ALICE.password, password: 'owner-password-2' } });
    assert.equal(mine.statusCode, 204, mine.body);
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: thief } })).statusCode, 401, "the owner's change ended the stolen session");

    await users.add(BOSS.username, BOSS.password, 'admin');
    const h = { cookie: await login(app, BOSS), ...JSON_CT };
    const typed = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { name: 'Sup3r-Secret-Pw!', role: 'analyst', password: 'whatever-long' } });
    assert.equal(typed.json().error.code, 'USER_NAME_INVALID');
    assert.ok(!log.includes('Sup3r-Secret-Pw!') && !typed.body.includes('Sup3r-Secret-Pw!'), 'an invalid name (perhaps a password typed there) is not repeated');
    const reserved = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { name: 'api-token', role: 'admin', password: 'whatever-long' } });
    assert.match(reserved.json().error.message, /'api-token' is reserved/);
  } finally {
    await close();
  }
});

test("an own password change fails whole when the session ended while it hashed (an admin's reset wins)", async () => {
  const { app, users, close } = await webApp();
  try {
    const cookie = await login(app);
    const id = cookie.slice('nml_session='.length);
    const change = users.changeOwnPassword('alice', ALICE.password, 'late-password-9', id);
    users.endSession(id); // meanwhile: an admin's reset ends every session of the user
    await assert.rejects(change, (e: Error & { code?: string }) => e.code === 'USER_CHANGED_MEANWHILE');
    assert.deepEqual(await users.authenticate('alice', ALICE.password), { name: 'alice', role: 'analyst' }, 'nothing was changed');
  } finally {
    await close();
  }
});

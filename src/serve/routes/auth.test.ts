import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AUTH } from '../testing.js';
import { ALICE, login, webApp } from '../web-testing.js';
import { SERVE_LOG_REDACT } from '../log-options.js';
import { HSTS } from '../app.js';

test('login sets an HttpOnly, SameSite=Strict session cookie; me and logout use it', async () => {
  const { app, close } = await webApp();
  try {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: ALICE });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { user: { name: 'alice', role: 'analyst' } });
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /^nml_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    assert.doesNotMatch(setCookie, /Secure/, 'plain HTTP without secureCookies');
    const cookie = setCookie.split(';')[0]!;

    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json(), { user: { name: 'alice', role: 'analyst' } });
    assert.equal((await app.inject({ method: 'GET', url: '/api/search?q=x', headers: { cookie } })).statusCode, 200, 'the cookie opens the API');

    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'content-type': 'application/json' } });
    assert.equal(out.statusCode, 204, out.body);
    assert.match(String(out.headers['set-cookie']), /nml_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    assert.equal(after.statusCode, 401, 'the session ended on the server, not only in the browser');
    assert.equal(after.json().error.code, 'AUTH_REQUIRED');
  } finally {
    await close();
  }
});

test('unknown user and wrong password get the same 401; a malformed body is a 400', async () => {
  const { app, close } = await webApp();
  try {
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'nope-nope-nope' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'mallory', password: 'nope-nope-nope' } });
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
    assert.equal(wrong.json().error.code, 'AUTH_LOGIN_FAILED');
    assert.equal(wrong.headers['set-cookie'], undefined);
    const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice' } });
    assert.equal(bad.statusCode, 400);
    const form = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=alice&password=alice-password-1' });
    assert.equal(form.statusCode, 400, 'a cross-site form cannot log in');
  } finally {
    await close();
  }
});

test('login is rate-limited per user name and per address with the standard error body', async () => {
  const { app, close } = await webApp({ web: { webRoot: null, loginLimits: { max: 3, windowMs: 60_000 } } });
  try {
    // per user name, from different addresses
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.0.0.${i + 1}`, payload: { username: 'alice', password: 'wrong-wrong-1' } });
      codes.push(r.statusCode);
      if (r.statusCode === 429) {
        assert.equal(r.json().error.code, 'AUTH_RATE_LIMITED');
        assert.equal(r.json().error.kind, 'too_many_requests');
        assert.ok(Number(r.headers['retry-after']) > 0);
      }
    }
    assert.deepEqual(codes, [401, 401, 401, 429]);
    const right = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.99', payload: ALICE });
    assert.equal(right.statusCode, 429, 'even the right password waits out the window for that user, from a new address');
    // per address, different user names
    const fromOne: number[] = [];
    for (let i = 0; i < 4; i++) {
      fromOne.push((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '192.0.2.7', payload: { username: `user${i}`, password: 'wrong-wrong-1' } })).statusCode);
    }
    assert.deepEqual(fromOne, [401, 401, 401, 429]);
  } finally {
    await close();
  }
});

test("an address the user logged in from lately is not held to the user's limit: others cannot lock the user out", async () => {
  const { app, close } = await webApp({ web: { webRoot: null, loginLimits: { max: 3, windowMs: 60_000 } } });
  try {
    const home = '10.1.0.5';
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: home, payload: ALICE })).statusCode, 200);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.2.0.${i + 1}`, payload: { username: 'Alice', password: 'wrong-wrong-1' } })).statusCode);
    assert.deepEqual(codes, [401, 401, 429, 429], "the attackers' guesses stop at the user's limit");
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.3.0.1', payload: ALICE })).statusCode, 429, 'a new address waits');
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: home, payload: ALICE })).statusCode, 200, 'the known address gets in');
    const wrongHome: number[] = [];
    for (let i = 0; i < 3; i++) wrongHome.push((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: home, payload: { username: 'alice', password: 'wrong-wrong-1' } })).statusCode);
    assert.deepEqual(wrongHome, [401, 429, 429], 'the known address keeps its own limit');
  } finally {
    await close();
  }
});

test('at most a few password hashes run at once; past the waiting line a login gets 503 at once', async () => {
  const { app, users, close } = await webApp({ web: { webRoot: null, loginLimits: { max: 100, windowMs: 60_000, hashes: { concurrent: 1, waiting: 2 } } } });
  try {
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    users.login = async () => {
      most = Math.max(most, ++running);
      await new Promise<void>((r) => release.push(r));
      running--;
      return null;
    };
    const results: { statusCode: number; code?: string; retryAfter?: unknown }[] = [];
    const pending = [0, 1, 2, 3, 4].map((i) =>
      app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.4.0.${i}`, payload: { username: `u${i}`, password: 'wrong-wrong-1' } }).then((r) => {
        results.push({ statusCode: r.statusCode, code: r.json().error?.code, retryAfter: r.headers['retry-after'] });
      }),
    );
    const settle = async (n: number): Promise<void> => {
      for (let spins = 0; results.length < n && spins < 10_000; spins++) await new Promise((r) => setTimeout(r, 1));
    };
    // one hashes, two wait, and the other two are refused without waiting
    await settle(2);
    assert.deepEqual(results, [
      { statusCode: 503, code: 'AUTH_BUSY', retryAfter: '5' },
      { statusCode: 503, code: 'AUTH_BUSY', retryAfter: '5' },
    ]);
    for (let done = 0; done < 3; done++) {
      for (let spins = 0; release.length === 0 && spins < 10_000; spins++) await new Promise((r) => setTimeout(r, 1));
      assert.equal(running, 1);
      release.shift()!();
    }
    await Promise.all(pending);
    assert.deepEqual(results.slice(2).map((r) => r.statusCode), [401, 401, 401]);
    assert.equal(most, 1, 'never two hashes at once');
  } finally {
    await close();
  }
});

test('a login answer, taken or refused, is kept by no cache and sniffed into no other type', async () => {
  const { app, close } = await webApp();
  try {
    const answers = [
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: ALICE }),
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { ...ALICE, password: 'wrong password' } }),
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: {} }),
    ];
    assert.deepEqual(answers.map((r) => r.statusCode), [200, 401, 400]);
    assert.ok(answers[0]!.headers['set-cookie'] !== undefined, 'the login taken sets the session cookie');
    for (const r of answers) {
      assert.equal(r.headers['cache-control'], 'no-store', `${r.statusCode}`);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', `${r.statusCode}`);
    }
  } finally {
    await close();
  }
});

test('Secure cookies when configured', async () => {
  const { app, close } = await webApp({ web: { webRoot: null, secureCookies: true } });
  try {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: ALICE });
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /; Secure/);
    // __Host-: the browser keeps it only from HTTPS, for Path=/ and this host (no Domain)
    assert.match(setCookie, /^__Host-nml_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /; Path=\//);
    assert.doesNotMatch(setCookie, /Domain=/i);
    const id = res.cookies.find((c) => c.name === '__Host-nml_session')!.value;
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `__Host-nml_session=${id}` } })).statusCode, 200);
    // the plain name is not read when cookies are Secure: a sibling host or an HTTP answer could have set it
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `nml_session=${id}` } })).statusCode, 401);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `__Host-nml_session=${id}`, 'content-type': 'application/json' } });
    assert.equal(out.statusCode, 204, out.body);
    assert.match(String(out.headers['set-cookie']), /^__Host-nml_session=;.*Secure/, 'logout clears the cookie it set');
  } finally {
    await close();
  }
});

test('with Secure cookies (the UI opened over TLS) every answer says Strict-Transport-Security, the login, the API, errors and the open routes; without, none does', async () => {
  for (const secureCookies of [true, false]) {
    const { app, close } = await webApp({ web: { webRoot: null, secureCookies } });
    try {
      const cookie = await login(app);
      const answers = [
        await app.inject({ method: 'POST', url: '/api/auth/login', payload: ALICE }),
        await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } }),
        await app.inject({ method: 'GET', url: '/api/auth/me' }),
        await app.inject({ method: 'GET', url: '/health' }),
        await app.inject({ method: 'GET', url: '/' }),
        await app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: 'text/html' } }),
      ];
      assert.deepEqual(answers.map((r) => r.statusCode), [200, 200, 401, 200, 503, 404]);
      for (const r of answers) assert.equal(r.headers['strict-transport-security'], secureCookies ? HSTS : undefined, `${r.statusCode} ${r.body.slice(0, 60)}`);
    } finally {
      await close();
    }
  }
  assert.equal(HSTS, 'max-age=31536000', 'a year, this host only (no includeSubDomains: the rest of the domain is not ours to pin)');
});

test('CSRF guard: a cookie-authenticated change must be JSON; Bearer clients are not affected', async () => {
  const { app, deps, close } = await webApp();
  try {
    const cookie = await login(app);
    const form = await app.inject({ method: 'POST', url: '/api/ingest', headers: { cookie, 'content-type': 'text/plain' }, payload: 'x\n' });
    assert.equal(form.statusCode, 400);
    assert.equal(form.json().error.code, 'SESSION_CSRF');
    assert.equal(deps.ingest.writes.length, 0);
    const bearer = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'x\n' });
    assert.equal(bearer.statusCode, 200);
    const logout = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    assert.equal(logout.statusCode, 400, 'logout without JSON is refused too');
  } finally {
    await close();
  }
});

test('a wrong Bearer header is refused even with a good cookie; the token acts as admin; health is open', async () => {
  const { app, close } = await webApp();
  try {
    const cookie = await login(app);
    const both = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie, authorization: 'Bearer wrong' } });
    assert.equal(both.statusCode, 401);
    const token = await app.inject({ method: 'GET', url: '/api/auth/me', headers: AUTH });
    assert.deepEqual(token.json(), { user: { name: 'api-token', role: 'admin' } });
    assert.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
    const forged = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'nml_session=' + 'A'.repeat(43) } });
    assert.equal(forged.statusCode, 401);
  } finally {
    await close();
  }
});

test('passwords and session ids never reach the log', async () => {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  const logger = pino({ level: 'trace', redact: SERVE_LOG_REDACT }, sink);
  const { app, close } = await webApp({ logger });
  try {
    const cookie = await login(app);
    await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'a-wrong-secret-9' } });
    // a password typed into the name field: an unknown user's name is not logged
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'my-secret-in-the-name', password: 'x' } });
    assert.ok(out.includes('login'), 'logins are logged');
    assert.match(out, /"user":"alice".*"login failed"/, "a known user's failed login names the user");
    assert.match(out, /"unknownUser":true/);
    for (const secret of [ALICE.password, 'a-wrong-secret-9', 'my-secret-in-the-name', cookie.split('=')[1]!]) assert.ok(!out.includes(secret), `log holds ${secret}`);
  } finally {
    await close();
  }
});

test("no flood of made-up names resets a user's count, and an IPv6 client is its /64", async () => {
  // an hour's window: 5,100 logins took 83 s on a loaded 2-core machine, past a minute's window, and alice's count expired
  const { app, close } = await webApp({ web: { webRoot: null, loginLimits: { max: 3, windowMs: 3_600_000 } } });
  try {
    const guess = (remoteAddress: string, username = 'alice') => app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password: 'wrong-wrong-1' } });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await guess(`10.9.0.${i + 1}`)).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 429]);
    // the plugin's store keeps 5,000 keys: 5,100 other names (each address within its own limit) once pushed alice out
    for (let i = 0; i < 5100; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.${20 + (i >> 8)}.${i & 255}.1`, payload: { username: `made-up-${i}`, password: 'x' } });
      assert.notEqual(r.statusCode, 200);
    }
    assert.equal((await guess('10.9.1.1')).statusCode, 429, 'alice is still at her limit');
    // an unknown name is limited alike: a 429 does not tell which names exist
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) unknown.push((await guess(`10.8.0.${i + 1}`, 'nobody-here')).statusCode);
    assert.deepEqual(unknown, [401, 401, 401, 429]);
    // 2001:db8:1:2::/64 is one client however many addresses it picks; the next /64 is another
    const v6: number[] = [];
    for (let i = 1; i <= 4; i++) v6.push((await guess(`2001:db8:1:2::${i}`, `someone-${i}`)).statusCode);
    assert.deepEqual(v6, [401, 401, 401, 429]);
    assert.equal((await guess('2001:db8:1:3::1', 'someone-9')).statusCode, 401);
  } finally {
    await close();
  }
});

test('behind a proxy named in trustProxy the client is the forwarded address; without it, the proxy', async () => {
  for (const trusted of [true, false]) {
    const { app, close } = await webApp({ web: { webRoot: null, loginLimits: { max: 2, windowMs: 60_000 }, ...(trusted ? { trustProxy: ['127.0.0.1'] } : {}) } });
    try {
      const codes: number[] = [];
      for (let i = 1; i <= 3; i++) {
        const r = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': `198.51.100.${i}` }, payload: { username: `user-${i}`, password: 'wrong-wrong-1' } });
        codes.push(r.statusCode);
      }
      assert.deepEqual(codes, trusted ? [401, 401, 401] : [401, 401, 429], `trusted: ${trusted}`);
    } finally {
      await close();
    }
  }
});

test('a user name is matched without case (a phone capitalizes the first letter)', async () => {
  const { app, close } = await webApp();
  try {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { ...ALICE, username: 'Alice' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), { user: { name: 'alice', role: 'analyst' } });
  } finally {
    await close();
  }
});

test("the UI's own polling (x-nml-background: 1) is not counted as use of the session; the person's requests are", async () => {
  const { app, users, close } = await webApp();
  try {
    const cookie = await login(app);
    const touched: Array<boolean | undefined> = [];
    const check = users.session.bind(users);
    users.session = (id: string, touch?: boolean) => {
      touched.push(touch);
      return check(id, touch);
    };
    assert.equal((await app.inject({ method: 'GET', url: '/api/search?q=x', headers: { cookie, 'x-nml-background': '1' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/search?q=x', headers: { cookie } })).statusCode, 200);
    assert.deepEqual(touched, [false, true]);
  } finally {
    await close();
  }
});

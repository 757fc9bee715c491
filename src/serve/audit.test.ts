/**
 * The audit trail through the API: each recorded action appears with its actor, role, address and
 * outcome; `GET /api/audit` is for admins and the token only, filters and pages newest first; and after
 * a run of logins, password changes, resets and exports made with known secrets, not one of those
 * secrets is anywhere in users.db's audit table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { AUTH, fakeDeps, TEST_TOKEN } from './testing.js';
import { tempUserStore } from './users/testing.js';
import { AuditLog, type AuditEntry } from './users/audit.js';
import { login } from './web-testing.js';

const BOSS = { username: 'boss', password: 'boss-secret-password-77' };
const ALICE = { username: 'alice', password: 'alice-secret-password-42' };
const VIC = { username: 'vic', password: 'vic-secret-password-13' };
const SHARE_KEY = '7c'.repeat(32);
const JSON_HEADERS = { 'content-type': 'application/json' };

async function auditApp(loginLimits?: { max: number; windowMs: number }) {
  const u = tempUserStore();
  await u.store.add(BOSS.username, BOSS.password, 'admin');
  await u.store.add(ALICE.username, ALICE.password, 'analyst');
  await u.store.add(VIC.username, VIC.password, 'viewer');
  const audit = new AuditLog(join(u.dir, 'users.db'));
  const keyFile = join(u.dir, 'share.key');
  writeFileSync(keyFile, `${SHARE_KEY}\n`, { mode: 0o600 });
  const deps = fakeDeps({ users: u.store, audit, shareKeyFile: keyFile, ...(loginLimits === undefined ? {} : { web: { webRoot: null, loginLimits } }) });
  const app = await buildApp(deps);
  return {
    app,
    audit,
    dir: u.dir,
    close: async () => {
      await app.close();
      audit.close();
      u.cleanup();
    },
  };
}

/** The entries of `action`, newest first, read through the API as the token. */
async function entries(app: FastifyInstance, query = ''): Promise<AuditEntry[]> {
  const res = await app.inject({ method: 'GET', url: `/api/audit${query}`, headers: AUTH });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { entries: AuditEntry[] }).entries;
}

test('logins ok, failed (known and unknown name) and logout are recorded with actor, address and outcome; never the password', async () => {
  const { app, close } = await auditApp();
  try {
    const cookie = await login(app, BOSS);
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'wrong-password-xyz' } })).statusCode, 401);
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'mallory', password: 'wrong-password-xyz' } })).statusCode, 401);
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, ...JSON_HEADERS } })).statusCode, 204);

    const list = await entries(app);
    assert.deepEqual(
      list.map((e) => [e.action, e.actor, e.role, e.target, e.outcome, e.reason]),
      [
        ['logout', 'boss', 'admin', 'boss', 'ok', null],
        ['login', null, null, null, 'refused', 'AUTH_LOGIN_FAILED'],
        ['login', null, null, 'alice', 'refused', 'AUTH_LOGIN_FAILED'],
        ['login', 'boss', 'admin', 'boss', 'ok', null],
      ],
    );
    assert.ok(list.every((e) => e.address === '127.0.0.1'), 'the client address of each');
    assert.deepEqual(list[1]!.details, { unknownUser: true }, 'an unknown name is not stored: it may be a password typed in the wrong field');
    assert.ok(list.every((e) => !JSON.stringify(e).includes('wrong-password-xyz')));
  } finally {
    await close();
  }
});

test('a rate-limited flood of logins is one entry per address a minute, the next counting those left out', async () => {
  const { app, audit, close } = await auditApp({ max: 2, windowMs: 60_000 });
  try {
    for (let i = 0; i < 8; i++) await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'mallory', password: 'guess-guess-guess' } });
    const limited = audit.list({ action: 'login' }).entries.filter((e) => e.reason === 'AUTH_RATE_LIMITED');
    assert.equal(limited.length, 1, 'six 429s, one entry');
    assert.equal(audit.list({ action: 'login', outcome: 'refused' }).entries.length, 3, 'the two failed tries before the limit, and the limit');
  } finally {
    await close();
  }
});

test('user created, role changed, password reset, deleted; own password change: each with who and what, never a password', async () => {
  const { app, close } = await auditApp();
  try {
    const cookie = await login(app, BOSS);
    const h = { cookie, ...JSON_HEADERS };
    assert.equal((await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { name: 'carol', role: 'analyst', password: 'carol-first-password-1' } })).statusCode, 201);
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/carol', headers: h, payload: { role: 'viewer' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/carol', headers: h, payload: { password: 'carol-reset-password-2' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/users/carol', headers: h })).statusCode, 204);
    // the last admin cannot lose the role: refused, recorded with the code
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/users/boss', headers: h, payload: { role: 'analyst' } })).statusCode, 409);
    assert.equal((await app.inject({ method: 'POST', url: '/api/auth/password', headers: h, payload: { current: BOSS.password, password: 'boss-new-password-88' } })).statusCode, 204);

    const list = (await entries(app)).filter((e) => e.action !== 'login');
    assert.deepEqual(
      list.map((e) => [e.action, e.actor, e.target, e.outcome, e.reason]),
      [
        ['password.change', 'boss', 'boss', 'ok', null],
        ['user.role', 'boss', 'boss', 'refused', 'USER_LAST_ADMIN'],
        ['user.delete', 'boss', 'carol', 'ok', null],
        ['user.password', 'boss', 'carol', 'ok', null],
        ['user.role', 'boss', 'carol', 'ok', null],
        ['user.create', 'boss', 'carol', 'ok', null],
      ],
    );
    assert.deepEqual(list[4]!.details, { from: 'analyst', to: 'viewer' });
    assert.deepEqual(list[5]!.details, { role: 'analyst' });
    const all = JSON.stringify(list);
    for (const secret of ['carol-first-password-1', 'carol-reset-password-2', 'boss-new-password-88', BOSS.password]) assert.ok(!all.includes(secret), secret);
  } finally {
    await close();
  }
});

test('an analyst refused an admin action, and the token refused user management, are recorded as refusals (403)', async () => {
  const { app, close } = await auditApp();
  try {
    const cookie = await login(app, ALICE);
    assert.equal((await app.inject({ method: 'POST', url: '/api/users', headers: { cookie, ...JSON_HEADERS }, payload: { name: 'eve', role: 'admin', password: 'eve-password-123' } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/share/export?from=-1h', headers: { cookie } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/audit', headers: { cookie } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/users/alice', headers: AUTH })).statusCode, 403);
    const refused = await entries(app, '?outcome=refused');
    assert.deepEqual(
      refused.map((e) => [e.action, e.actor, e.role, e.target, e.reason]),
      [
        ['user.delete', 'api-token', 'admin', 'alice', 'AUTH_FORBIDDEN'],
        ['audit.read', 'alice', 'analyst', null, 'AUTH_FORBIDDEN'],
        ['share.export', 'alice', 'analyst', null, 'AUTH_FORBIDDEN'],
        ['user.create', 'alice', 'analyst', null, 'AUTH_FORBIDDEN'],
      ],
    );
  } finally {
    await close();
  }
});

test('a search export and a share export are recorded before any data leaves: range, query, key fingerprint, never the key', async () => {
  const { app, close } = await auditApp();
  try {
    const search = await app.inject({ method: 'GET', url: '/api/search?q=sshd&from=2023-11-14T00:00:00Z&to=2023-11-15T00:00:00Z&format=lines', headers: AUTH });
    assert.equal(search.statusCode, 200);
    const cookie = await login(app, BOSS);
    const share = await app.inject({ method: 'GET', url: '/api/share/export?from=-7d&q=failed&internalDomain=corp.local', headers: { cookie } });
    assert.equal(share.statusCode, 200, share.body);
    const manifest = JSON.parse(share.body.trim().split('\n').at(-1)!) as { manifest: { anonymization: { keyFingerprint: string } } };

    const [shareEntry] = await entries(app, '?action=share.export');
    assert.equal(shareEntry!.actor, 'boss');
    assert.equal(shareEntry!.details.q, 'failed');
    assert.deepEqual(shareEntry!.details.internalDomain, ['corp.local']);
    assert.equal(typeof shareEntry!.details.from, 'number');
    assert.equal(shareEntry!.details.keyFingerprint, manifest.manifest.anonymization.keyFingerprint, 'the fingerprint the export itself names');
    assert.equal(shareEntry!.details.preview, undefined, 'a whole export');
    // the web UI's preview (limit) is recorded too, and told apart from a whole export
    assert.equal((await app.inject({ method: 'GET', url: '/api/share/export?from=-7d&limit=20', headers: { cookie } })).statusCode, 200);
    const [previewEntry] = await entries(app, '?action=share.export');
    assert.equal(previewEntry!.details.preview, 20);
    const [searchEntry] = await entries(app, '?action=search.export');
    assert.equal(searchEntry!.actor, 'api-token');
    assert.deepEqual(searchEntry!.details, { q: 'sshd', from: Date.parse('2023-11-14T00:00:00Z'), to: Date.parse('2023-11-15T00:00:00Z'), format: 'lines', limit: null, fields: false });
  } finally {
    await close();
  }
});

test('an export whose query does not compile is a 400, never recorded as an export made: none took place', async () => {
  const { app, close } = await auditApp();
  try {
    const search = await app.inject({ method: 'GET', url: `/api/search?q=${encodeURIComponent('(sshd')}&format=lines`, headers: AUTH });
    assert.equal(search.statusCode, 400, search.body);
    assert.equal((search.json() as { error: { code: string } }).error.code, 'QUERY_SYNTAX');
    const cookie = await login(app, BOSS);
    const share = await app.inject({ method: 'GET', url: `/api/share/export?from=-7d&q=${encodeURIComponent('a OR')}`, headers: { cookie } });
    assert.equal(share.statusCode, 400, share.body);
    assert.deepEqual(await entries(app, '?action=search.export'), [], 'a search is audited only once it exports');
    // a share export's refusals are recorded (routes/audit.ts ROUTE_ACTIONS), as refused, never as done
    const shared = await entries(app, '?action=share.export');
    assert.deepEqual(shared.map((e) => [e.actor, e.outcome, e.reason]), [['boss', 'refused', 'QUERY_SYNTAX']]);
  } finally {
    await close();
  }
});

test('an export whose audit entry cannot be written is refused 503 AUDIT_UNAVAILABLE: no data leaves unrecorded', async () => {
  const { app, audit, close } = await auditApp();
  try {
    audit.record = () => {
      throw new Error('disk full');
    };
    const res = await app.inject({ method: 'GET', url: '/api/search?q=&format=ndjson', headers: AUTH });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, 'AUDIT_UNAVAILABLE');
  } finally {
    await close();
  }
});

test('GET /api/audit: admins and the token; analyst and viewer 403; nobody 401', async () => {
  const { app, close } = await auditApp();
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/api/audit' })).statusCode, 401);
    for (const who of [ALICE, VIC]) {
      const res = await app.inject({ method: 'GET', url: '/api/audit', headers: { cookie: await login(app, who) } });
      assert.equal(res.statusCode, 403, who.username);
      assert.equal(res.json().error.code, 'AUTH_FORBIDDEN');
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/audit', headers: { cookie: await login(app, BOSS) } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/audit', headers: AUTH })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/audit?outcome=maybe', headers: AUTH })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/api/audit?from=yesterdayish', headers: AUTH })).statusCode, 400);
  } finally {
    await close();
  }
});

test('GET /api/audit filters by actor, action, outcome and time, and pages newest first without gaps or repeats', async () => {
  const { app, audit, close } = await auditApp();
  try {
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    for (let i = 0; i < 25; i++) audit.record({ actor: i % 2 === 0 ? 'boss' : 'alice', action: i % 5 === 0 ? 'user.create' : 'login', outcome: i % 3 === 0 ? 'refused' : 'ok', at: t0 + i * 60_000 });
    const seen: number[] = [];
    let before: number | null = null;
    do {
      const res = await app.inject({ method: 'GET', url: `/api/audit?limit=10&from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z${before === null ? '' : `&before=${before}`}`, headers: AUTH });
      const page = res.json() as { entries: AuditEntry[]; next: number | null };
      seen.push(...page.entries.map((e) => e.at));
      before = page.next;
    } while (before !== null);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => t0 + (24 - i) * 60_000), 'all 25, newest first');
    const bossLogins = await entries(app, '?actor=boss&action=login&outcome=ok&from=2026-12-01T00:00:00Z&to=2026-12-01T00:10:00Z');
    assert.deepEqual(bossLogins.map((e) => (e.at - t0) / 60_000), [8, 4, 2]);
  } finally {
    await close();
  }
});

test('no secret reaches the audit table: passwords, the API token, session ids, the share key, after logins, resets and exports', async () => {
  const { app, dir, close } = await auditApp({ max: 8, windowMs: 60_000 });
  try {
    const secrets = [BOSS.password, ALICE.password, VIC.password, TEST_TOKEN, SHARE_KEY, 'typed-password-in-name-field', 'new-password-for-vic-1', 'alice-changed-password-2'];
    const sessions: string[] = [];
    for (const who of [BOSS, ALICE, VIC]) sessions.push((await login(app, who)).split('=')[1]!);
    // a password typed into the name field, a wrong password, a flood past the limit
    for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'typed-password-in-name-field', password: BOSS.password } });
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: VIC.password } });
    const boss = `nml_session=${sessions[0]}`;
    await app.inject({ method: 'PATCH', url: '/api/users/vic', headers: { cookie: boss, ...JSON_HEADERS }, payload: { password: 'new-password-for-vic-1' } });
    await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: `nml_session=${sessions[1]}`, ...JSON_HEADERS }, payload: { current: ALICE.password, password: 'alice-changed-password-2' } });
    await app.inject({ method: 'GET', url: '/api/share/export?from=-1d', headers: { cookie: boss } });
    await app.inject({ method: 'GET', url: '/api/search?q=&format=ndjson', headers: AUTH });
    await app.inject({ method: 'GET', url: `/api/search?q=${TEST_TOKEN.slice(0, 4)}x&format=lines`, headers: { cookie: boss } });
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: boss, ...JSON_HEADERS } });

    const db = new Database(join(dir, 'users.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM audit').all();
      assert.ok(rows.length >= 10, `a run of actions was recorded (${rows.length} entries)`);
      const stored = JSON.stringify(rows);
      for (const s of [...secrets, ...sessions]) assert.ok(!stored.includes(s), `a secret is in the audit table: ${s.slice(0, 6)}…`);
    } finally {
      db.close();
    }
  } finally {
    await close();
  }
});

test('the OpenAPI document lists GET /api/audit with its filters and its 403', async () => {
  const { app, close } = await auditApp();
  try {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json();
    const op = doc.paths['/api/audit'].get;
    assert.deepEqual((op.parameters as { name: string }[]).map((p) => p.name).sort(), ['action', 'actor', 'before', 'from', 'limit', 'outcome', 'to']);
    assert.ok(op.responses['403'] && op.responses['401'] && op.responses['200']);
  } finally {
    await close();
  }
});

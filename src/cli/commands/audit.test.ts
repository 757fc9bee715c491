/**
 * `nml audit`: reads the trail from users.db read-only (beside a server's writes), filters and pages it
 * newest first, as a table or one JSON entry a line; `nml user` changes are in it, as `cli:<account>`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runCliSync } from '../testing.js';
import { AuditLog, type AuditEntry } from '../../serve/index.js';

const nml = (args: string[], input = '') => runCliSync(args, { input });
const T0 = Date.parse('2026-12-01T10:00:00Z');

test('nml audit: nml user changes recorded as cli:<account>; entries a server wrote, filtered, paged, table and --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-auditcli-'));
  try {
    assert.equal(nml(['user', 'add', 'carol', '--role', 'admin', '--data', dir, '--password-stdin'], 'carol-password-1\n').code, 0);
    assert.equal(nml(['user', 'add', 'dave', '--data', dir, '--password-stdin'], 'dave-password-1\n').code, 0);
    assert.equal(nml(['user', 'role', 'dave', 'viewer', '--data', dir]).code, 0);
    const me = `cli:${userInfo().username}`;
    const cli = nml(['audit', '--json', '--data', dir]);
    assert.equal(cli.code, 0, cli.err);
    const byCli = cli.out.trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    assert.deepEqual(byCli.map((e) => [e.actor, e.action, e.target, e.details]), [
      [me, 'user.role', 'dave', { from: 'analyst', to: 'viewer' }],
      [me, 'user.create', 'dave', { role: 'analyst' }],
      [me, 'user.create', 'carol', { role: 'admin' }],
    ]);
    assert.ok(!cli.out.includes('password-1'), 'no password');

    // entries as the server writes them, its connection open while the command reads
    const log = new AuditLog(join(dir, 'users.db'));
    try {
      for (let i = 0; i < 12; i++) log.record({ actor: i % 2 === 0 ? 'carol' : null, role: i % 2 === 0 ? 'admin' : null, action: 'login', address: '192.0.2.7', outcome: i % 2 === 0 ? 'ok' : 'refused', reason: i % 2 === 0 ? null : 'AUTH_LOGIN_FAILED', at: T0 + i * 1000 });
      const table = nml(['audit', '--action', 'login', '--outcome', 'refused', '--limit', '4', '--data', dir]);
      assert.equal(table.code, 0, table.err);
      const rows = table.out.trim().split('\n');
      assert.equal(rows.length, 4);
      assert.match(rows[0]!, /^2026-12-01T10:00:11Z +- +login +- +192\.0\.2\.7 +refused AUTH_LOGIN_FAILED$/);
      const more = /--before (\d+)/.exec(table.err);
      assert.ok(more !== null, `stderr gives the next page: ${table.err}`);
      const next = nml(['audit', '--action', 'login', '--outcome', 'refused', '--limit', '4', '--before', more[1]!, '--json', '--data', dir]);
      assert.deepEqual(next.out.trim().split('\n').map((l) => (JSON.parse(l) as AuditEntry).at - T0), [3000, 1000]);
      const window = nml(['audit', '--actor', 'carol', '--from', '2026-12-01T10:00:04Z', '--to', '2026-12-01T10:00:08Z', '--json', '--data', dir]);
      assert.deepEqual(window.out.trim().split('\n').map((l) => (JSON.parse(l) as AuditEntry).at - T0), [6000, 4000]);
    } finally {
      log.close();
    }
    assert.equal(nml(['audit', '--outcome', 'maybe', '--data', dir]).code, 2, 'a wrong outcome is a wrong command line');
    assert.equal(nml(['audit', '--limit', '0', '--data', dir]).code, 2);
    const none = nml(['audit', '--actor', 'nobody', '--data', dir]);
    assert.deepEqual([none.code, none.out, none.err], [0, '', 'no audit entries match\n']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml audit on a data directory without users.db says so (exit 1), and a missing directory is a wrong path (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-auditcli-'));
  try {
    const r = nml(['audit', '--data', dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /has no users\.db yet/);
    assert.equal(nml(['audit', '--data', join(dir, 'nope')]).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

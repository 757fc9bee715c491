/**
 * The read commands on a data directory that may not be written (a disk remounted read-only after the
 * server stopped, or a folder of another user): they read; what would write says why it cannot, and
 * never that a sound file should be moved aside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync } from '../testing.js';
import { FindingsStore } from '../../detect/index.js';
import { readOnlyDir } from '../../store/testing/read-only-dir.js';

const probe = readOnlyDir();
probe?.close();

test('stats, count, search, findings list and user list read a data directory that may not be written; passwd and findings set say why they cannot write it', { skip: probe === null && 'no folder can be made read-only here (root without a tmpfs mount)' }, () => {
  const ro = readOnlyDir()!;
  try {
    const dir = join(ro.dir, 'data');
    mkdirSync(dir);
    const log = join(ro.dir, 'in.log');
    writeFileSync(log, ['2026-01-05T10:00:01Z web-01 sshd[1]: Failed password for root from 10.0.0.1', '2026-01-05T10:03:02Z web-01 sshd[1]: Accepted password for bob from 10.0.0.2', ''].join('\n'));
    const ingest = runCliSync(['ingest', log, '--data', dir]);
    assert.equal(ingest.code, 0, ingest.err);
    assert.equal(runCliSync(['user', 'add', 'carol', '--role', 'admin', '--data', dir, '--password-stdin'], { input: 'carol-password-1\n' }).code, 0);
    const findings = new FindingsStore(join(dir, 'findings.db'));
    findings.record([{ detector: 'syn', entity: 'ip:10.9.9.9', score: 0.99, threshold: 0.98, modelVersion: 't', time: Date.UTC(2026, 0, 5, 10), explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: 1 } }]);
    findings.close();
    ro.freeze();

    const stats = runCliSync(['stats', '--data', dir]);
    assert.equal(stats.code, 0, stats.err);
    assert.match(stats.out, /lines +2\b/);
    const count = runCliSync(['count', 'sshd', '--data', dir]);
    assert.equal(count.code, 0, count.err);
    assert.equal(count.out.trim(), '2');
    const search = runCliSync(['search', 'password', '--data', dir]);
    assert.equal(search.code, 0, search.err);
    assert.match(search.out, /Accepted password for bob[^\n]*\n[^\n]*Failed password for root/);
    const list = runCliSync(['findings', 'list', '--data', dir]);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /ip:10\.9\.9\.9/);
    const users = runCliSync(['user', 'list', '--data', dir]);
    assert.equal(users.code, 0, users.err);
    assert.match(users.out, /^carol +admin/);

    const why = ro.how === 'mount' ? /mounted read-only.*mount it read-write/ : /may not write.*chown, chmod/;
    const passwd = runCliSync(['user', 'passwd', 'carol', '--data', dir, '--password-stdin'], { input: 'carol-password-2\n' });
    assert.equal(passwd.code, 1);
    assert.match(passwd.err, new RegExp(`^nml: user: cannot write ${join(dir, 'users.db').replace(/[.\\]/g, '\\$&')}: `));
    assert.match(passwd.err, why);
    const set = runCliSync(['findings', 'set', '1', 'resolved', '--data', dir]);
    assert.equal(set.code, 1);
    assert.match(set.err, /^nml: findings: cannot write .*findings\.db: /);
    assert.match(set.err, why);
    for (const r of [passwd, set]) {
      assert.doesNotMatch(r.err, /internal error|move it aside|not a readable/, r.err);
      assert.match(r.err, /no sign of a damaged file/);
    }
  } finally {
    ro.close();
  }
});

test('user list on a users.db that is not a database still says to restore it or move it aside', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-users-bad-'));
  try {
    writeFileSync(join(dir, 'users.db'), Buffer.alloc(8192, 0x41));
    const r = runCliSync(['user', 'list', '--data', dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /users\.db is not a readable user database .*restore it from a backup, or move it aside/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync } from '../testing.js';
import { UserStore } from '../../serve/index.js';

/** Runs `nml <args>` with `input` on stdin (no terminal). */
const nml = (args: string[], input = '') => runCliSync(args, { input });

test('nml user: add with --password-stdin, list, passwd, role, del; refuses a password without a terminal or stdin flag', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-usercli-'));
  try {
    const add = nml(['user', 'add', 'carol', '--role', 'admin', '--data', dir, '--password-stdin'], 'carol-password-1\nignored second line\n');
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /user carol \(admin\) added/);
    const noTty = nml(['user', 'add', 'dave', '--data', dir]);
    assert.equal(noTty.code, 2);
    assert.match(noTty.err, /--password-stdin/);
    const list = nml(['user', 'list', '--json', '--data', dir]);
    assert.deepEqual((JSON.parse(list.out) as { name: string; role: string }[]).map((u) => [u.name, u.role]), [['carol', 'admin']]);
    assert.equal(nml(['user', 'passwd', 'carol', '--data', dir, '--password-stdin'], 'carol-password-2\n').code, 0);
    assert.equal(nml(['user', 'passwd', 'nobody', '--data', dir, '--password-stdin'], 'whatever-123\n').code, 1);
    assert.equal(nml(['user', 'del', 'carol', '--data', dir]).code, 1, 'the last admin stays');
    const demote = nml(['user', 'role', 'carol', 'analyst', '--data', dir]);
    assert.equal(demote.code, 1);
    assert.match(demote.err, /'carol' is the last admin; make another user an admin first/);
    assert.equal(nml(['user', 'add', 'erin', '--data', dir, '--password-stdin'], 'erin-password-1\n').code, 0);
    assert.equal(nml(['user', 'role', 'erin', 'root', '--data', dir]).code, 2, 'an unknown role is bad input');
    const promote = nml(['user', 'role', 'erin', 'admin', '--data', dir]);
    assert.equal(promote.code, 0, promote.err);
    assert.match(promote.out, /user erin is now an admin/);
    assert.equal(nml(['user', 'role', 'carol', 'analyst', '--data', dir]).code, 0, 'no longer the last admin');
    const users = new UserStore(join(dir, 'users.db'));
    try {
      assert.deepEqual(await users.authenticate('carol', 'carol-password-2'), { name: 'carol', role: 'analyst' });
    } finally {
      users.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readFirstLine: a character split between chunks stays whole; bytes that are not UTF-8 are refused', async () => {
  const { Readable } = await import('node:stream');
  const { readFirstLine } = await import('./user.js');
  const ö = Buffer.from('ö');
  const split = Readable.from([Buffer.concat([Buffer.from('passw'), ö.subarray(0, 1)]), Buffer.concat([ö.subarray(1), Buffer.from('rd12\r\nnext line')])]);
  assert.equal(await readFirstLine(split), 'passwörd12');
  const latin1 = Readable.from([Buffer.from('passw\xf6rd12\n', 'latin1')]);
  await assert.rejects(readFirstLine(latin1), (e: Error & { code?: string }) => e.code === 'USER_PASSWORD_INPUT' && /not valid UTF-8/.test(e.message));
});

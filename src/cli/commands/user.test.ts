import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    // a name that is no user: said plainly, with how to list them; exit 1 (not found), whatever the command
    for (const args of [['passwd', 'nobody', '--password-stdin'], ['del', 'nobody'], ['role', 'nobody', 'analyst']]) {
      const r = nml(['user', ...args, '--data', dir], 'whatever-123\n');
      assert.deepEqual([r.code, r.out, r.err], [1, '', "nml: user: there is no user 'nobody'; the users are listed by 'nml user list' and under Account › Users\n"], args.join(' '));
    }
    assert.equal(nml(['user', 'del', 'carol', '--data', dir]).code, 1, 'the last admin stays');
    const demote = nml(['user', 'role', 'carol', 'analyst', '--data', dir]);
    assert.equal(demote.code, 1);
    assert.match(demote.err, /'carol' is the last admin; make another user an admin first/);
    assert.equal(nml(['user', 'add', 'erin', '--data', dir, '--password-stdin'], 'erin-password-1\n').code, 0);
    assert.equal(nml(['user', 'role', 'erin', 'root', '--data', dir]).code, 2, 'an unknown role is bad input');
    assert.equal(nml(['user', 'role', 'nobody', 'root', '--data', dir]).code, 2, 'before the user is looked up');
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

test('hiddenPrompter: both passwords typed in one chunk answer both prompts; CR LF is one line end; echo stays off', async () => {
  const { EventEmitter } = await import('node:events');
  const { hiddenPrompter } = await import('./user.js');
  const raw: boolean[] = [];
  const tty = Object.assign(new EventEmitter(), { setRawMode: (on: boolean) => raw.push(on), setEncoding: () => undefined, resume: () => undefined, pause: () => undefined });
  let shown = '';
  const ask = hiddenPrompter(tty, { write: (s: string) => (shown += s) });
  const first = ask('new password for carol: ');
  tty.emit('data', 'secret-pw-1\rsecret-pw-1\r');
  assert.equal(await first, 'secret-pw-1');
  assert.equal(await ask('again: '), 'secret-pw-1', 'the second line was kept, not dropped');
  assert.equal(shown, 'new password for carol: \nagain: \n', 'no password echoed');
  assert.deepEqual(raw, [true, false, true, false]);

  const crlf = hiddenPrompter(tty, { write: () => undefined });
  const a = crlf('1: ');
  tty.emit('data', 'pw-one-xx\r');
  assert.equal(await a, 'pw-one-xx');
  const b = crlf('2: ');
  tty.emit('data', '\npw-two-x\x7fy\r\nignored');
  assert.equal(await b, 'pw-two-y', 'the LF of a CR LF split between chunks is not an empty line; backspace erases');
});

test('nml user add: a name taken is refused before any password is asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-usercli-'));
  try {
    assert.equal(nml(['user', 'add', 'frank', '--data', dir, '--password-stdin'], 'frank-password-1\n').code, 0);
    // no terminal and no --password-stdin: had the password been asked first, this would be that error
    const taken = nml(['user', 'add', 'frank', '--data', dir]);
    assert.equal(taken.code, 1, taken.err);
    assert.match(taken.err, /^nml: user: 'frank' exists already; choose another name/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml user add refuses a --data that does not exist (a typo), as token rotate does, unless --create-data; the other user commands refuse it too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-usercli-'));
  try {
    const typo = join(dir, 'nml-dta');
    const r = nml(['user', 'add', 'carol', '--password-stdin', '--data', typo], 'carol-password-1\n');
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err, `nml: user: ${typo} is not a data directory; give --data the folder nml serve uses, or add --create-data to make it\n`);
    assert.equal(existsSync(typo), false, 'no folder, no users.db the server never reads');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const f = nml(['user', 'add', 'carol', '--password-stdin', '--create-data', '--data', file], 'carol-password-1\n');
    assert.equal(f.code, 2, f.err);
    assert.match(f.err, /a-file is not a data directory; give --data the folder nml serve uses\n$/);
    // the other commands too: a --data that is not there is a wrong path (2); a folder without users yet is not (1)
    for (const args of [['list'], ['passwd', 'carol', '--password-stdin'], ['del', 'carol']]) {
      const gone = nml(['user', ...args, '--data', typo], 'carol-password-1\n');
      assert.equal(gone.code, 2, `${args[0]}: ${gone.err}`);
      assert.equal(gone.err, `nml: user: ${typo} is not a data directory; give --data the folder nml serve uses\n`);
    }
    const noUsers = nml(['user', 'list', '--data', dir]);
    assert.equal(noUsers.code, 1, noUsers.err);
    assert.match(noUsers.err, /has no users\.db yet; 'nml user add' or 'nml serve' creates it/);
    const made = nml(['user', 'add', 'carol', '--password-stdin', '--create-data', '--data', typo], 'carol-password-1\n');
    assert.equal(made.code, 0, made.err);
    assert.equal(existsSync(join(typo, 'users.db')), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

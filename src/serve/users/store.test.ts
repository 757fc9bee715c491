import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reservedNamesWarning, UserStore, usersWithReservedNames } from './store.js';
import { readFirstPassword } from './first-password.js';
import { hashPassword, verifyPassword } from './password.js';
import { FAST_SCRYPT } from './testing.js';
import { isAppError } from '../../core/index.js';
import { refusing } from '../../core/testing/refused-fs.js';
import { readOnlyDir } from '../../store/testing/read-only-dir.js';


function tempStore(now = { t: 1_700_000_000_000 }): { store: UserStore; dir: string; now: { t: number }; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-users-'));
  const store = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT, now: () => now.t, sessions: { idleMs: 3600_000, absoluteMs: 86_400_000 } });
  return { store, dir, now, done: () => (store.close(), rmSync(dir, { recursive: true, force: true })) };
}

test('password hashes are salted, record their parameters and verify only the right password', async () => {
  const a = await hashPassword('correct horse', FAST_SCRYPT);
  const b = await hashPassword('correct horse', FAST_SCRYPT);
  assert.notEqual(a, b, 'a new salt each time');
  assert.match(a, /^scrypt\$1024\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse', a), true);
  assert.equal(await verifyPassword('correct horsE', a), false);
  assert.equal(await verifyPassword('correct horse', 'garbage'), false);
});

test('users: add, authenticate, change password, remove; the file holds no password and is private', async () => {
  const { store, dir, done } = tempStore();
  try {
    assert.equal(store.count(), 0);
    await store.add('alice', 'alice-password-1', 'analyst');
    await assert.rejects(store.add('alice', 'another-password'), { code: 'USER_EXISTS' });
    await assert.rejects(store.add('Bad Name', 'another-password'), { code: 'USER_NAME_INVALID' });
    await assert.rejects(store.add('bob', 'short'), { code: 'USER_PASSWORD_INVALID' });
    assert.deepEqual(await store.authenticate('alice', 'alice-password-1'), { name: 'alice', role: 'analyst' });
    assert.equal(await store.authenticate('alice', 'wrong-password'), null);
    assert.equal(await store.authenticate('nobody', 'alice-password-1'), null);
    await store.setPassword('alice', 'new-password-2');
    assert.equal(await store.authenticate('alice', 'alice-password-1'), null);
    assert.ok(await store.authenticate('alice', 'new-password-2'));
    // said plainly, with where the users are listed: not a guess at why ("removed meanwhile?")
    await assert.rejects(store.setPassword('nobody', 'new-password-2'), { code: 'USER_NOT_FOUND', message: "user: there is no user 'nobody'; the users are listed by 'nml user list' and under Account › Users" });
    const file = join(dir, 'users.db');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!readFileSync(file).includes('new-password-2'));
    store.remove('alice');
    assert.equal(store.get('alice'), null);
  } finally {
    done();
  }
});

test('the first admin is created once with a random password; the last admin cannot be removed', async () => {
  const { store, done } = tempStore();
  try {
    const first = await store.ensureAdmin();
    assert.ok(first !== null && first.password.length >= 16);
    const pw = first.password;
    assert.equal(await store.ensureAdmin(), null, 'not again');
    assert.deepEqual(await store.authenticate('admin', pw), { name: 'admin', role: 'admin' });
    assert.throws(() => store.remove('admin'), { code: 'USER_LAST_ADMIN' });
    await store.add('root2', 'root2-password', 'admin');
    store.remove('admin');
    assert.deepEqual(store.list().map((u) => u.name), ['root2']);
  } finally {
    done();
  }
});

test('sessions: stored as digests, end when idle, at their absolute lifetime, on logout and on a new password', async () => {
  const { store, now, dir, done } = tempStore();
  try {
    await store.add('alice', 'alice-password-1');
    const s = store.createSession('alice');
    assert.equal(s.id.length, 43, '32 random bytes, base64url');
    assert.ok(!readFileSync(join(dir, 'users.db')).includes(s.id), 'only the digest is stored');
    assert.equal(store.session(s.id)?.user.name, 'alice');
    assert.equal(store.session(s.id + 'x'), null);
    assert.equal(store.session('short'), null);
    // used every 50 minutes: stays alive past the idle timeout of an hour, until the absolute lifetime
    for (let i = 0; i < 28; i++) {
      now.t += 50 * 60_000;
      assert.ok(store.session(s.id) !== null, `alive at step ${i}`);
    }
    now.t += 50 * 60_000;
    assert.equal(store.session(s.id), null, 'absolute lifetime of a day');

    const idle = store.createSession('alice');
    now.t += 3600_000;
    assert.equal(store.session(idle.id), null, 'idle an hour');

    // a page's own polling is checked without touching: it does not hold the session open
    const polled = store.createSession('alice');
    for (let i = 0; i < 5; i++) {
      now.t += 10 * 60_000;
      assert.ok(store.session(polled.id, false) !== null, `alive at poll ${i}`);
    }
    now.t += 10 * 60_000;
    assert.equal(store.session(polled.id, false), null, 'idle an hour, polled all along');

    const out = store.createSession('alice');
    store.endSession(out.id);
    assert.equal(store.session(out.id), null);

    const pw = store.createSession('alice');
    await store.setPassword('alice', 'new-password-2');
    assert.equal(store.session(pw.id), null, 'a new password ends sessions');
  } finally {
    done();
  }
});

test('a users.db that is not a database is USER_DB_UNAVAILABLE naming it and saying what to do, not an SQLite error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-users-bad-'));
  try {
    const path = join(dir, 'users.db');
    writeFileSync(path, 'garbage that is no sqlite database at all, '.repeat(8));
    assert.throws(
      () => new UserStore(path, { scrypt: FAST_SCRYPT }),
      (e: Error & { code?: string }) => e.code === 'USER_DB_UNAVAILABLE' && e.message.includes(path) && /move it aside/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a login whose password check outlasts a password reset or a removal makes no session', async () => {
  const { store, dir, done } = tempStore();
  // alice's hash is slow to check (a stronger scrypt than the store's): the reset lands while it runs
  const slow = new UserStore(join(dir, 'users.db'), { scrypt: { N: 2 ** 16, r: 8, p: 1, keyLen: 32 } });
  try {
    await slow.add('alice', 'alice-password-1', 'analyst');
    const racing = store.login('alice', 'alice-password-1');
    await store.setPassword('alice', 'new-password-2');
    assert.equal(await racing, null, 'the old password opens nothing after the reset');
    assert.equal(store.sessionCount(), 0);
    const ok = await store.login('ALICE', 'new-password-2');
    assert.ok(ok !== null && store.session(ok.session.id)?.user.name === 'alice', 'the new one logs in, the name without case');

    await slow.setPassword('alice', 'slow-password-3');
    const gone = store.login('alice', 'slow-password-3');
    store.remove('alice');
    assert.equal(await gone, null, 'a user removed meanwhile: no session, and no error');
  } finally {
    slow.close();
    done();
  }
});

test("the first admin's password waits in a file only its owner reads, and goes when it is changed", async () => {
  const { store, done } = tempStore();
  try {
    const first = (await store.ensureAdmin())!;
    assert.equal(first.file, store.firstPasswordFile);
    assert.equal(readFirstPassword(first.file), first.password, 'the file holds the password that logs in');
    assert.equal(statSync(first.file).mode & 0o777, 0o600);
    await store.add('bob', 'bob-password-1', 'analyst');
    await store.setPassword('bob', 'bob-password-2');
    assert.equal(readFirstPassword(first.file), first.password, "another user's change leaves it");
    await store.setPassword('admin', 'admin-password-2');
    assert.equal(existsSync(first.file), false, 'a reset of admin removes it');
  } finally {
    done();
  }
});

test("the first admin's own change, or its removal, removes the file too", async () => {
  const own = tempStore();
  try {
    const first = (await own.store.ensureAdmin())!;
    const login = (await own.store.login('admin', first.password))!;
    assert.equal(await own.store.changeOwnPassword('admin', 'not-it-at-all', 'admin-password-2', login.session.id), false);
    assert.ok(existsSync(first.file), 'a refused change keeps it');
    assert.equal(await own.store.changeOwnPassword('admin', first.password, 'admin-password-2', login.session.id), true);
    assert.equal(existsSync(first.file), false);
  } finally {
    own.done();
  }
  const removed = tempStore();
  try {
    const first = (await removed.store.ensureAdmin())!;
    await removed.store.add('root2', 'root2-password', 'admin');
    removed.store.remove('admin');
    assert.equal(existsSync(first.file), false);
  } finally {
    removed.done();
  }
});

const readOnly = readOnlyDir();
test('a users.db the server cannot write (a read-only mount, permissions) is said as such, never "move it aside", which would lose every account', { skip: readOnly === null && 'no folder can be made read-only here (root without a tmpfs mount)' }, async () => {
  const ro = readOnly!;
  try {
    const path = join(ro.dir, 'users.db');
    const store = new UserStore(path, { scrypt: FAST_SCRYPT });
    await store.add('alice', 'alice-password-1', 'admin');
    store.close();
    ro.freeze();
    assert.throws(
      () => new UserStore(path, { scrypt: FAST_SCRYPT }),
      (e) => isAppError(e) && e.code === 'USER_DB_UNAVAILABLE' && e.message.startsWith(`user: cannot open ${path}: `) && !/move it aside/.test(e.message),
    );
  } finally {
    ro.close();
  }
});

test('a user database in a folder that does not exist yet: the folder is made owner-only (0700)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-users-'));
  try {
    const store = new UserStore(join(dir, 'state', 'users.db'), { scrypt: FAST_SCRYPT });
    store.close();
    assert.equal(statSync(join(dir, 'state')).mode & 0o777, 0o700);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a users.db that cannot be opened or its folder made says why in words and what to do, not node\'s "EEXIST: file already exists, mkdir …" or SQLite\'s "unable to open database file"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-users-'));
  const said = (path: string): string => {
    try {
      new UserStore(path, { scrypt: FAST_SCRYPT }).close();
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'USER_DB_UNAVAILABLE' && e.kind === 'unavailable', String(e));
      assert.doesNotMatch(e.message, /EEXIST|ENOTDIR|EACCES|unable to open|mkdir '/, 'no errno and no node or SQLite words');
      return e.message;
    }
    assert.fail(`${path} opened`);
  };
  try {
    const folder = join(dir, 'users.db');
    mkdirSync(folder);
    assert.equal(said(folder), `user: cannot open ${folder}: it is a folder, and the user database is one SQLite file; move the folder aside: nml makes the file anew`);
    const file = join(dir, 'data');
    writeFileSync(file, '');
    assert.equal(said(join(file, 'users.db')), `user: cannot make the folder ${file} for ${join(file, 'users.db')}: a file is in its place; check the data directory (--data, NML_DATA or dataDir of the config)`);
    assert.equal(said(join(file, 'state', 'users.db')), `user: cannot make the folder ${join(file, 'state')} for ${join(file, 'state', 'users.db')}: a part of the path is a file, not a folder; check the data directory (--data, NML_DATA or dataDir of the config)`);
    const locked = join(dir, 'locked');
    assert.equal(
      refusing('mkdirSync', locked, 'EACCES', () => said(join(locked, 'users.db'))),
      `user: cannot make the folder ${locked} for ${join(locked, 'users.db')}: permission denied; run nml as the user that owns the data directory (the one nml serve runs as), or give this user the access (chown, chmod)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("users named 'me' or 'none' (made before those were reserved) are found, and the warning names the one with its role and the commands to rename it", () => {
  const u = (name: string, role: 'admin' | 'analyst' | 'viewer' = 'analyst') => ({ name, role, created: 0, updated: 0 });
  assert.deepEqual(usersWithReservedNames([u('admin', 'admin'), u('mel'), u('none', 'viewer'), u('nonexistent')]).map((x) => x.name), ['none']);
  assert.deepEqual(usersWithReservedNames([u('admin', 'admin'), u('carol')]), []);
  assert.equal(
    reservedNamesWarning([u('none', 'viewer')], '/var/lib/nml'),
    "users: 'none' (viewer; the findings filter assignee=none means findings assigned to nobody) has a name reserved since made. Nothing is renamed: logins and assigned findings stay, and the user lists their own findings with assignee=me (Alerts page, Assigned: me), but the filter reads the name as its reserved word, so nobody else can list them by that name. To rename: add a new user (nml user add NEW --role viewer --data /var/lib/nml), move the findings to it (Assigned: me, select all that match, assign), then remove the old one (nml user del none --data /var/lib/nml), which unassigns any left",
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError, writeWholeFileSync } from '../core/index.js';
import { moduleHref, underFileSizeLimit } from '../core/testing/file-size-limit.js';
import { refusing } from '../core/testing/refused-fs.js';
import { loadOrCreateTokenFile, rotateTokenFile, tokenVerifier, watchedTokenFile } from './tokens.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nml-tokens-'));
}

test('first use creates a 0600 file with a random 32-byte base64url token; later uses read it', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'sub', 'api-token');
    const first = loadOrCreateTokenFile(path);
    assert.equal(first.created, true);
    assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(first.token, 'base64url').length, 32);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700, 'the folder it made is the owner\'s only');
    assert.equal(readFileSync(path, 'utf8'), `${first.token}\n`);
    const again = loadOrCreateTokenFile(path);
    assert.equal(again.created, false);
    assert.equal(again.token, first.token);
    assert.equal(again.verify(first.token), true);
    assert.equal(again.verify(first.token.slice(1)), false);
    assert.equal(again.verify(''), false);
    assert.notEqual(loadOrCreateTokenFile(join(dir, 'other')).token, first.token);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that holds no token is refused with a message saying what to do', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'api-token');
    writeFileSync(path, 'not a token!\n');
    assert.throws(() => loadOrCreateTokenFile(path), (e) => isAppError(e) && e.code === 'TOKEN_FILE_INVALID' && /delete it/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a verifier accepts any of its tokens and nothing else', () => {
  const v = tokenVerifier(['a'.repeat(20), 'b'.repeat(30)]);
  assert.equal(v.verify('a'.repeat(20)), true);
  assert.equal(v.verify('b'.repeat(30)), true);
  assert.equal(v.verify('a'.repeat(21)), false);
  assert.equal(tokenVerifier([]).verify(''), false);
});

test('a watched token file: a rotation takes effect at the next look (the old token refused), a damaged or deleted file refuses every token until it holds one again', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'api-token');
    const first = loadOrCreateTokenFile(path);
    const clock = { t: 0 };
    const events: string[] = [];
    const v = watchedTokenFile(path, first, { now: () => clock.t, onRotated: () => events.push('rotated'), onInvalid: (e) => events.push(`invalid: ${e.message}`) });
    assert.equal(v.verify(first.token), true);
    const second = rotateTokenFile(path);
    assert.notEqual(second, first.token);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8'), `${second}\n`);
    assert.equal(v.verify(first.token), true, 'not looked at again within the second');
    clock.t += 1000;
    assert.equal(v.verify(first.token), false, 'the old token is refused');
    assert.equal(v.verify(second), true);
    writeFileSync(path, 'garbage!\n');
    clock.t += 1000;
    assert.equal(v.verify(second), false, 'a damaged file refuses every token');
    rmSync(path);
    clock.t += 1000;
    assert.equal(v.verify(second), false, 'so does a deleted one: deleting it revokes');
    const third = rotateTokenFile(path);
    clock.t += 1000;
    assert.equal(v.verify(third), true, 'a new token in the file is accepted again');
    assert.deepEqual(events.map((e) => e.replace(/:.*/, '')), ['rotated', 'invalid', 'invalid', 'rotated']);
    assert.throws(() => rotateTokenFile(join(dir, 'no', 'such', 'dir', '\0bad')), (e) => isAppError(e));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rotating into a folder that does not exist yet makes it owner-only (0700)', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'keys', 'api-token');
    const token = rotateTokenFile(path);
    assert.equal(readFileSync(path, 'utf8'), `${token}\n`);
    assert.equal(statSync(join(dir, 'keys')).mode & 0o777, 0o700);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a token file that will not read or write says why in words and what to do, not node\'s "EISDIR: illegal operation on a directory, read"', () => {
  const dir = tempDir();
  const said = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      assert.ok(isAppError(e) && e.kind === 'unavailable' && /^TOKEN_FILE_UNREADABLE$|^TOKEN_FILE_UNWRITABLE$/.test(e.code), String(e));
      assert.doesNotMatch(e.message, /E[A-Z]{3,}|illegal operation|open '|read '/, 'no errno and no node words');
      return `${e.code} ${e.message}`;
    }
    assert.fail('no error');
  };
  try {
    const folder = join(dir, 'api-token');
    mkdirSync(folder);
    assert.equal(said(() => loadOrCreateTokenFile(folder)), `TOKEN_FILE_UNREADABLE tokens: cannot read ${folder}: it is a folder, and the API token is kept in one file; move the folder aside: nml makes the file anew`);
    const file = join(dir, 'file');
    writeFileSync(file, '');
    assert.equal(said(() => loadOrCreateTokenFile(join(file, 'api-token'))), `TOKEN_FILE_UNREADABLE tokens: cannot read ${join(file, 'api-token')}: there is no such file; check the data directory (--data, NML_DATA or dataDir of the config)`);
    const path = join(dir, 'token');
    loadOrCreateTokenFile(path);
    assert.equal(
      refusing('readFileSync', path, 'EACCES', () => said(() => loadOrCreateTokenFile(path))),
      `TOKEN_FILE_UNREADABLE tokens: cannot read ${path}: permission denied; run nml as the user that owns the data directory (the one nml serve runs as), or give this user the access (chown, chmod)`,
    );
    const fresh = join(dir, 'fresh');
    assert.equal(refusing('openSync', /\/\.fresh\.\d+-[0-9a-f]{12}\.tmp$/, 'ENOSPC', () => said(() => loadOrCreateTokenFile(fresh))), `TOKEN_FILE_UNWRITABLE tokens: cannot create ${fresh}: no space left on the disk; free space on its disk`);
    assert.match(refusing('mkdirSync', join(dir, 'ro'), 'EROFS', () => said(() => rotateTokenFile(join(dir, 'ro', 'token')))), /^TOKEN_FILE_UNWRITABLE tokens: cannot write .*token: read-only file system; mount its disk read-write$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a first token file whose write fails half way (the file size limit) is not made, and leaves no temporary file: the next start makes it anew', (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'api-token');
  const out = underFileSizeLimit(
    0,
    `import { loadOrCreateTokenFile } from ${JSON.stringify(moduleHref(import.meta.url, './tokens.js'))};\n` +
      `try { loadOrCreateTokenFile(process.argv[2]); console.log(JSON.stringify({ ok: true })); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }\n`,
    [path],
  );
  assert.deepEqual(out, { code: 'TOKEN_FILE_UNWRITABLE', message: `tokens: cannot create ${path}: file too large for the size limit; check the data directory, its permissions and its disk` });
  assert.deepEqual(readdirSync(dir), [], "no empty token file (which 'wx' on the file itself left), no temporary file");
  assert.equal(loadOrCreateTokenFile(path).created, true);
});

test('a token file another process made first is the one used: the first creation never replaces it', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'api-token');
    const theirs = loadOrCreateTokenFile(path);
    // what this process saw: no file yet; what it does then: create only where none is
    assert.throws(() => writeWholeFileSync(path, 'mine-mine-mine-mine\n', { mode: 0o600, noReplace: true }), (e) => (e as { code?: string }).code === 'EEXIST');
    assert.equal(loadOrCreateTokenFile(path).token, theirs.token);
    assert.deepEqual(readdirSync(dir), ['api-token']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { loadOrCreateTokenFile, tokenVerifier } from './tokens.js';

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

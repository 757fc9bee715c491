import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeCause, isWrongPath, pathFailureKind, unreadableAdvice, unreadableWhy } from './errors.js';

/** What a call threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

test('a wrong path is the input to fix (bad_request); the system refusing a right one is the environment (unavailable)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-errors-'));
  try {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'x');
    const missing = thrown(() => readFileSync(join(dir, 'missing')));
    const folder = thrown(() => readFileSync(dir));
    const below = thrown(() => readFileSync(join(file, 'x')));
    for (const e of [missing, folder, below]) {
      assert.equal(isWrongPath(e), true, String(e));
      assert.equal(pathFailureKind(e), 'bad_request', String(e));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const code of ['EACCES', 'EPERM', 'EIO', 'ENOSPC', 'EMFILE']) {
    const e = Object.assign(new Error(`${code}: refused`), { code });
    assert.equal(isWrongPath(e), false, code);
    assert.equal(pathFailureKind(e), 'unavailable', code);
  }
});

test('content that is not what it should be (bad gzip, bad JSON) is the input to fix too', () => {
  const gzip = thrown(() => gunzipSync(Buffer.from('not gzip')));
  const json = thrown(() => JSON.parse('{'));
  assert.equal(pathFailureKind(gzip), 'bad_request', String(gzip));
  assert.equal(pathFailureKind(json), 'bad_request');
  assert.equal(isWrongPath(json), false);
});

/** A system error as node throws it: the errno's own words and the path in the message, the errno in `code`. */
function sysError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

test('a system error is said in the same few words wherever it is told, from one table in core', () => {
  const said: Record<string, string> = {
    ENOENT: 'no such file',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'is a directory',
    ELOOP: 'a loop of symbolic links',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EIO: 'input/output error',
    ENOSPC: 'no space left on the disk',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EMFILE: 'too many open files',
    ENFILE: 'too many open files on this machine',
    EADDRINUSE: 'address in use',
    EADDRNOTAVAIL: 'address not available on this host',
    ENOTFOUND: 'host not found',
    // not an E[A-Z0-9]+ code: the table is looked up by the code as given
    EAI_AGAIN: 'host not found (name lookup failed)',
  };
  for (const [code, words] of Object.entries(said)) assert.equal(describeCause(sysError(code, "the system's words, open '/x'")), words, code);
  // a code the table lacks, and a code that names an Object property, keep the error's own words
  assert.equal(describeCause(sysError('ESPIPE', 'invalid seek')), 'espipe: invalid seek');
  assert.equal(describeCause(Object.assign(new Error('Odd'), { code: 'constructor' })), 'odd');
});

test('another cause is its own message on one line, lower case, without an OpenSSL code prefix', () => {
  assert.equal(describeCause(new Error('error:0480006C:PEM routines::no start line')), 'no start line');
  assert.equal(describeCause(new Error('Unexpected token\n  in JSON at position 3 ')), 'unexpected token in json at position 3');
  assert.equal(describeCause('Plain string'), 'plain string');
});

test('a file the user named that will not read: a wrong path as a sentence, the folder case with what to give, any other cause in the same words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-errors-'));
  try {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'x');
    assert.equal(unreadableWhy(thrown(() => readFileSync(join(dir, 'missing'))), 'a list is one file'), 'there is no such file');
    assert.equal(unreadableWhy(thrown(() => readFileSync(join(file, 'x'))), 'a list is one file'), 'there is no such file');
    assert.equal(unreadableWhy(thrown(() => readFileSync(dir)), 'a list is one file'), 'it is a folder, and a list is one file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // root reads any file: the permission case is checked on the error as node throws it
  assert.equal(unreadableWhy(sysError('EACCES', "permission denied, open '/x'"), 'a list is one file'), 'permission denied');
  assert.equal(unreadableWhy(sysError('ELOOP', "too many symbolic links encountered, open '/x'"), 'a list is one file'), 'a loop of symbolic links');
});

test('what to do about a file that would not read: the caller\'s fix for a wrong path, a folder or bad content; permissions; else the disk', () => {
  const fix = 'give a text file';
  for (const code of ['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP']) assert.equal(unreadableAdvice(sysError(code, 'x'), fix), fix, code);
  assert.equal(unreadableAdvice(new SyntaxError('Unexpected token'), fix), fix);
  for (const code of ['EACCES', 'EPERM']) assert.equal(unreadableAdvice(sysError(code, 'x'), fix), 'make it readable by the user nml runs as', code);
  for (const code of ['EIO', 'EMFILE']) assert.equal(unreadableAdvice(sysError(code, 'x'), fix), 'check the file and the disk it is on', code);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isWrongPath, pathFailureKind } from './errors.js';

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

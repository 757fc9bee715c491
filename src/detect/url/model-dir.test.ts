/** A model directory that cannot be read is a MODEL_NOT_FOUND that says what one holds and which to give, whatever was named instead. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from './model-io.js';

/** `loadModel(dir)`'s error: its code, kind and message */
function failure(dir: string): { code: string; kind: string; message: string } {
  try {
    loadModel(dir);
  } catch (e) {
    return e as { code: string; kind: string; message: string };
  }
  throw new Error(`${dir} loaded`);
}

test('a model file, the folder above the models, another folder, a missing path, half a model: each says what a model directory holds', () => {
  // before, all of them read "cannot read DIR/model.json and weights.bin (ENOENT|ENOTDIR …); train one with `nml train url`"
  const root = mkdtempSync(join(tmpdir(), 'nml-model-dir-'));
  try {
    for (const kind of ['ngram', 'bob']) {
      mkdirSync(join(root, 'models', kind), { recursive: true });
      for (const f of ['model.json', 'weights.bin']) writeFileSync(join(root, 'models', kind, f), '');
    }
    mkdirSync(join(root, 'half'));
    writeFileSync(join(root, 'half', 'model.json'), '{}');
    mkdirSync(join(root, 'other'));
    writeFileSync(join(root, 'notes.txt'), 'x');
    const holds = /a url model directory holds model\.json and weights\.bin, as the shipped models\/url\/ngram \(the default\) and models\/url\/bob do: give one of those, or train one with `nml train url --out DIR`$/;
    const cases: [string, RegExp][] = [
      [join(root, 'models', 'ngram', 'model.json'), new RegExp(`is a file of a model, not its directory; give the directory, ${join(root, 'models', 'ngram')}, which holds model\\.json and weights\\.bin$`)],
      [join(root, 'models', 'bob', 'weights.bin'), new RegExp(`give the directory, ${join(root, 'models', 'bob')},`)],
      [join(root, 'models'), new RegExp(`holds no model\\.json but the model directories bob, ngram; give one of them \\(${join(root, 'models', 'ngram')}\\)$`)],
      [join(root, 'other'), /is not a model directory: it holds no model\.json; a url model directory holds/],
      [join(root, 'notes.txt'), /notes\.txt is a file, not a model directory; a url model directory holds/],
      [join(root, 'nowhere'), /nowhere does not exist; a url model directory holds/],
      [join(root, 'half'), /half holds model\.json but no weights\.bin, so it is no whole model; a url model directory holds/],
    ];
    for (const [dir, want] of cases) {
      const e = failure(dir);
      assert.deepEqual([e.code, e.kind], ['MODEL_NOT_FOUND', 'bad_request'], dir);
      assert.match(e.message, /^url model: /);
      assert.match(e.message, want, dir);
      if (!/give the directory|give one of them/.test(e.message)) assert.match(e.message, holds, dir);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a path below a file and a path too long for the system: MODEL_NOT_FOUND saying so, not the stat error itself', () => {
  // before, stat's ENOTDIR and ENAMETOOLONG escaped as an internal error with its stack (nml score url --model a.log/below)
  const root = mkdtempSync(join(tmpdir(), 'nml-model-dir-'));
  try {
    writeFileSync(join(root, 'a.log'), 'x');
    const below = failure(join(root, 'a.log', 'below'));
    assert.deepEqual([below.code, below.kind], ['MODEL_NOT_FOUND', 'bad_request']);
    assert.match(below.message, /^url model: .*a\.log\/below does not exist: a part of the path is a file, not a folder; a url model directory holds/);
    const long = failure('x'.repeat(100_000));
    assert.deepEqual([long.code, long.kind], ['MODEL_NOT_FOUND', 'bad_request']);
    assert.match(long.message, /^url model: the path given \(100000 characters, "x{40}"…\) is longer than the system allows; a url model directory holds/);
    assert.ok(long.message.length < 600, `the message does not repeat the path: ${long.message.length} characters`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** model.json is checked before use: a model without a threshold, or with a null shape, is a MODEL_INVALID naming the file and field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainFixtureModel } from './testing.js';
import { loadModel, MODEL_FORMAT, saveModel } from './model-io.js';
import { isAppError } from '../../core/index.js';
import { refusing } from '../../core/testing/refused-fs.js';
import { moduleHref, underFileSizeLimit } from '../../core/testing/file-size-limit.js';
import { NgramScorer, ngramWeights } from './ngram.js';
import { UrlDetector } from './url-detector.js';

/** The fixture n-gram model with its model.json changed by `edit` (whose result is written as JSON). */
function withMeta(edit: (m: Record<string, unknown>) => unknown, check: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-meta-'));
  try {
    cpSync(trainFixtureModel('ngram'), dir, { recursive: true });
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(edit(meta)));
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases: [string, (m: Record<string, unknown>) => unknown, RegExp][] = [
  ['no threshold', ({ threshold: _, ...m }) => m, /"threshold" is missing/],
  ['a threshold above 1', (m) => ({ ...m, threshold: 98.1 }), /"threshold" is 98\.1, not a number from 0 to 1/],
  ['a threshold as a string', (m) => ({ ...m, threshold: '0.9' }), /"threshold" is "0\.9"/],
  ['no version', ({ version: _, ...m }) => m, /"version" is missing/],
  ['an empty kind', (m) => ({ ...m, kind: '' }), /"kind" is "", not a non-empty string/],
  ['null', () => null, /the file holds null, not an object/],
  ['an array', () => [], /holds an array/],
  ['a null shape', (m) => ({ ...m, tensors: (m.tensors as { name: string }[]).map((t, i) => (i === 0 ? { name: t.name, shape: null } : t)) }), /"shape" of tensor w is null, not a list of positive integers/],
  ['a negative dimension', (m) => ({ ...m, tensors: (m.tensors as { name: string }[]).map((t, i) => (i === 1 ? { name: t.name, shape: [-1] } : t)) }), /"shape" of tensor b is \[-1\]/],
  ['a null tensor entry', (m) => ({ ...m, tensors: [null] }), /"tensors"\[0\] is not/],
  ['an unknown normalization', (m) => ({ ...m, normalize: 'lower' }), /"normalize" is "lower"/],
  ['an unknown grams reading', (m) => ({ ...m, grams: 'twice' }), /"grams" is "twice", not "counted" or "distinct"/],
  ['a weights digest that is not one', (m) => ({ ...m, weightsSha256: 'abc' }), /"weightsSha256" is "abc", not 64 hex digits/],
];

for (const [what, edit, message] of cases) {
  test(`model.json with ${what} is a MODEL_INVALID naming the file and field`, () => {
    withMeta(edit, (dir) => {
      const file = join(dir, 'model.json');
      const check = (e: Error & { code?: string }): boolean => e.code === 'MODEL_INVALID' && e.message.includes(file) && message.test(e.message);
      assert.throws(() => loadModel(dir), check);
      assert.throws(() => UrlDetector.load(dir), check);
    });
  });
}

test('model.json that is not JSON is a MODEL_INVALID, not a missing model', () => {
  withMeta(() => 0, (dir) => {
    writeFileSync(join(dir, 'model.json'), '{"format": ');
    assert.throws(() => loadModel(dir), { code: 'MODEL_INVALID', message: /model\.json is not JSON/ });
  });
});

test('the unchanged model still loads', () => {
  withMeta((m) => m, (dir) => assert.equal(loadModel(dir).meta.kind, 'ngram'));
});

test("weights.bin of another save (same shapes, other numbers) is refused by the SHA-256 model.json holds; a model.json without one (before 2026-12-07) loads as before", () => {
  withMeta((m) => m, (dir) => {
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsSha256?: string };
    assert.match(meta.weightsSha256 ?? '', /^[0-9a-f]{64}$/, 'a save writes the digest');
    const bin = readFileSync(join(dir, 'weights.bin'));
    bin.writeFloatLE(bin.readFloatLE(0) + 0.25, 0);
    writeFileSync(join(dir, 'weights.bin'), bin);
    const refused = (e: Error & { code?: string }): boolean => e.code === 'MODEL_INVALID' && /weights\.bin is not the one .*model\.json was saved with \(its SHA-256 differs/.test(e.message) && /nml train url/.test(e.message);
    assert.throws(() => loadModel(dir), refused);
    assert.throws(() => UrlDetector.load(dir), refused);
    const { weightsSha256: _, ...older } = meta;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(older));
    assert.equal(loadModel(dir).tensors['w']![0], bin.readFloatLE(0), 'read as it is, unchecked');
  });
});

test('a model reads grams as its model.json says: distinct when it says so, counted without the field (every model before 2026-12-03)', async () => {
  // repeats in host and path: the two readings differ on it
  const url = 'login-login-login.example.tk/login/login/login.php?login=login';
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-grams-'));
  try {
    cpSync(trainFixtureModel('ngram'), dir, { recursive: true });
    const { meta, tensors } = loadModel(dir);
    assert.equal(meta.grams, 'distinct', 'training writes how it read the grams');
    const distinct = new NgramScorer(ngramWeights(tensors, 'distinct')).scoreBatch([url])[0]!;
    const counted = new NgramScorer(ngramWeights(tensors, 'counted')).scoreBatch([url])[0]!;
    assert.notEqual(distinct, counted);
    assert.equal((await UrlDetector.load(dir).scoreFast([url]))[0], distinct);
    // the same weights in a model.json without the field, as every older model and users' own trained ones: scored as before distinct grams existed
    const { grams: _, ...old } = meta;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(old));
    assert.equal(loadModel(dir).meta.grams, undefined);
    assert.equal((await UrlDetector.load(dir).scoreFast([url]))[0], counted);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model that cannot be written says why in words and what to do, not a bare errno ("ENOSPC")', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-save-'));
  const { meta, tensors } = loadModel(trainFixtureModel('ngram'));
  const said = (out: string, fn: () => void = () => saveModel(out, meta, tensors)): string => {
    try {
      fn();
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'MODEL_SAVE_FAILED' && e.kind === 'unavailable', String(e));
      return e.message;
    }
    assert.fail(`${out} was written`);
  };
  try {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    assert.equal(said(join(file, 'out')), `url model: cannot write the model to ${join(file, 'out')}: a part of the path is a file, not a folder; give --out a folder, not a file`);
    const out = join(dir, 'model');
    assert.equal(
      refusing('openSync', /\/\.weights\.bin\.\d+-[0-9a-f]{12}\.tmp$/, 'ENOSPC', () => said(out)),
      `url model: cannot write the model to ${out}: no space left on the disk; free space on its disk, or give --out a folder on another disk`,
    );
    assert.equal(refusing('mkdirSync', join(dir, 'deep'), 'EACCES', () => said(join(dir, 'deep', 'model'))), `url model: cannot write the model to ${join(dir, 'deep', 'model')}: permission denied; give --out a folder you may write to`);
    saveModel(out, meta, tensors);
    assert.deepEqual(loadModel(out).meta, meta, 'written once the disk has room');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A model of one tensor of `n` weights (4n bytes of weights.bin). */
const sized = (n: number) => ({
  meta: { format: MODEL_FORMAT as typeof MODEL_FORMAT, kind: 'ngram', version: `m-${n}`, created: '2026-12-07', seed: 1, command: 'test', tensors: [{ name: 'w', shape: [n] }], threshold: 0.5, training: {} },
  tensors: { w: new Float32Array(n).fill(0.25) },
});

test('a save that fails half way (the file size limit), over a model or where none was, leaves the old model whole, no new folder and no temporary file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-save-limit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const old = join(dir, 'model');
  const small = sized(4);
  saveModel(old, small.meta, small.tensors);
  const before = ['model.json', 'weights.bin'].map((f) => readFileSync(join(old, f)));
  // 32 KiB of weights against a limit of 8 KiB: the write of weights.bin stops with EFBIG
  const child = (out: string) =>
    underFileSizeLimit(
      16,
      `import { saveModel, MODEL_FORMAT } from ${JSON.stringify(moduleHref(import.meta.url, './model-io.js'))};\n` +
        `const n = 8192;\n` +
        `const meta = { format: MODEL_FORMAT, kind: 'ngram', version: 'big', created: '2026-12-07', seed: 1, command: 'test', tensors: [{ name: 'w', shape: [n] }], threshold: 0.5, training: {} };\n` +
        `try { saveModel(process.argv[2], meta, { w: new Float32Array(n) }); console.log(JSON.stringify({ ok: true })); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }\n`,
      [out],
    );
  assert.deepEqual(child(old), { code: 'MODEL_SAVE_FAILED', message: `url model: cannot write the model to ${old}: file too large for the size limit; free space or fix the permissions there, or give another --out` });
  assert.deepEqual(['model.json', 'weights.bin'].map((f) => readFileSync(join(old, f))), before, 'the old model, byte for byte');
  assert.deepEqual(readdirSync(old).sort(), ['model.json', 'weights.bin']);
  assert.equal(loadModel(old).meta.version, 'm-4');
  const fresh = join(dir, 'fresh');
  assert.deepEqual(child(fresh), { code: 'MODEL_SAVE_FAILED', message: `url model: cannot write the model to ${fresh}: file too large for the size limit; free space or fix the permissions there, or give another --out` });
  assert.deepEqual(readdirSync(dir), ['model'], 'no folder, no temporary folder');
});

test('a save over a model writes both files before either is renamed, through the whole-file writer: nothing else is left in the folder, and what else the folder holds is kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-save-over-'));
  try {
    const a = sized(4);
    const b = sized(6);
    saveModel(dir, a.meta, a.tensors);
    writeFileSync(join(dir, 'NOTES.md'), 'mine');
    saveModel(dir, b.meta, b.tensors);
    assert.deepEqual(readdirSync(dir).sort(), ['NOTES.md', 'model.json', 'weights.bin']);
    assert.equal(loadModel(dir).meta.version, 'm-6');
    assert.equal(loadModel(dir).tensors['w']!.length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

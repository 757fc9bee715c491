/** The ranking model file: the shipped one loads; a damaged one (weights, pool, voteK, bm25) is ASSIST_MODEL_INVALID, not NaN scores later. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { refusing } from '../core/testing/refused-fs.js';
import { DEFAULT_MODEL_PATH, loadRankModel, rankModelText } from './model-file.js';
import { BM25_ONLY, FEATURES } from './similar.js';

const dir = mkdtempSync(join(tmpdir(), 'nml-rank-model-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const good = (): Record<string, unknown> => ({ features: [...FEATURES], ...BM25_ONLY, weights: FEATURES.map((_, i) => i / 10) });
const write = (name: string, m: unknown): string => {
  const p = join(dir, `${name}.json`);
  writeFileSync(p, typeof m === 'string' ? m : JSON.stringify(m));
  return p;
};

test('ranking model: the shipped file and a saved one load; a missing one is plain BM25', () => {
  const shipped = loadRankModel(DEFAULT_MODEL_PATH);
  assert.equal(shipped.weights.length, FEATURES.length);
  assert.ok(shipped.weights.every(Number.isFinite));
  const p = join(dir, 'saved.json');
  writeFileSync(p, rankModelText({ ...BM25_ONLY, pool: 50, voteK: 5 }));
  assert.equal(loadRankModel(p).pool, 50);
  assert.deepEqual(loadRankModel(join(dir, 'none.json')), BM25_ONLY);
  const noBm25 = good();
  delete noBm25['bm25'];
  assert.deepEqual(loadRankModel(write('no-bm25', noBm25)).bm25, BM25_ONLY.bm25, 'a file without bm25 uses the defaults');
});

const damaged: Record<string, (m: Record<string, unknown>) => void> = {
  'a weight null (or Infinity, which JSON writes as null)': (m) => ((m['weights'] as unknown[])[0] = null),
  'a weight that is a string': (m) => ((m['weights'] as unknown[])[1] = '1e3x'),
  'pool 0': (m) => (m['pool'] = 0),
  'pool a string': (m) => (m['pool'] = 'lots'),
  'pool a fraction': (m) => (m['pool'] = 2.5),
  'voteK negative': (m) => (m['voteK'] = -1),
  'voteK missing a value': (m) => (m['voteK'] = null),
  'bm25 without b': (m) => (m['bm25'] = { k1: 1.2 }),
  'bm25 k1 a string': (m) => (m['bm25'] = { k1: '1.2', b: 0.75 }),
  'bm25 b above 1': (m) => (m['bm25'] = { k1: 1.2, b: 3 }),
  'trainedOn not text': (m) => (m['trainedOn'] = 7),
};

for (const [name, damage] of Object.entries(damaged)) {
  test(`ranking model: ${name} is ASSIST_MODEL_INVALID naming the file`, () => {
    const m = good();
    damage(m);
    const p = write(name.replace(/\W+/g, '-'), m);
    assert.throws(
      () => loadRankModel(p),
      (e: unknown) => isAppError(e) && e.code === 'ASSIST_MODEL_INVALID' && e.message.includes(p),
    );
  });
}

test('ranking model: unreadable JSON and other features stay ASSIST_MODEL_INVALID', () => {
  for (const p of [write('not-json', '{'), write('other-features', { ...good(), features: ['bm25'] })]) {
    assert.throws(() => loadRankModel(p), (e: unknown) => isAppError(e) && e.code === 'ASSIST_MODEL_INVALID');
  }
  assert.ok(readFileSync(DEFAULT_MODEL_PATH, 'utf8').includes('"weights"'));
});

test('ranking model: a file that will not read or parse says why in words and what to do, not node\'s "EISDIR: illegal operation on a directory, read"', () => {
  const said = (p: string): string => {
    try {
      loadRankModel(p);
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'ASSIST_MODEL_INVALID' && e.kind === 'internal', String(e));
      return e.message;
    }
    assert.fail(`${p} loaded`);
  };
  const folder = join(dir, 'folder.json');
  mkdirSync(folder);
  assert.equal(said(folder), `assist: cannot read the ranking model ${folder}: it is a folder, and the ranking model is one JSON file; move the folder aside (plain BM25 ranks without it), or run nml assist eval --save-model`);
  const cut = write('cut', '{"weights": [');
  assert.match(said(cut), new RegExp(`^assist: the ranking model ${cut} is not JSON \\(unexpected end of json input\\); run nml assist eval --save-model$`));
  const locked = write('locked', good());
  assert.equal(refusing('readFileSync', locked, 'EACCES', () => said(locked)), `assist: cannot read the ranking model ${locked}: permission denied; make it readable by the user nml runs as`);
});

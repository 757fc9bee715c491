/** A model file under --models that will not read or parse says why in words and what to do, naming the file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { refusing } from '../core/testing/refused-fs.js';
import { moduleHref, underFileSizeLimit } from '../core/testing/file-size-limit.js';
import { loadModels, loadThreatModel } from './models.js';

function said(fn: () => unknown): { kind: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(isAppError(e) && e.code === 'TRENDS_MODEL_INVALID', String(e));
    assert.doesNotMatch(e.message, /EISDIR|EACCES|illegal operation|open '/, 'no errno and no node words');
    return { kind: e.kind, message: e.message };
  }
  assert.fail('the models loaded');
}

test('a model file that will not read says why in words and what to do, not node\'s "EISDIR: illegal operation on a directory, read"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-models-'));
  try {
    const day = join(dir, 'trend-day.json');
    mkdirSync(day);
    assert.deepEqual(said(() => loadModels(dir)), {
      kind: 'bad_request',
      message: `model: cannot read ${day}: it is a folder, and a trends model is one JSON file; move the folder aside and run 'nml trends train' again`,
    });
    rmSync(day, { recursive: true });
    const threat = join(dir, 'threat.json');
    writeFileSync(threat, '{"cut');
    assert.match(said(() => loadThreatModel(dir)).message, new RegExp(`^model: ${threat} is not JSON \\(unterminated string in json at position \\d+\\); run 'nml trends train' again$`));
    writeFileSync(threat, '{}');
    assert.deepEqual(refusing('readFileSync', threat, 'EACCES', () => said(() => loadThreatModel(dir))), {
      kind: 'unavailable',
      message: `model: cannot read ${threat}: permission denied; make it readable by the user nml runs as`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loadModels (nml serve, predict, collect) leaves threat.json unread: only nml trends eval reads it, by loadThreatModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-models-'));
  try {
    // a threat.json that would not parse: read, it would refuse the start
    writeFileSync(join(dir, 'threat.json'), '{"cut');
    const models = loadModels(dir);
    assert.deepEqual(Object.keys(models).sort(), ['attackType', 'trend']);
    assert.equal(models.attackType, null);
    assert.equal(models.trend.size, 0);
    assert.throws(() => loadThreatModel(dir), (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_INVALID');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model file whose write fails half way (the file size limit) leaves the model that was there, whole, and no temporary file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-save-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'trend-day.json');
  writeFileSync(file, '{"the": "old model"}\n');
  // 1 MiB of JSON against a limit of 8 KiB: the write stops with EFBIG
  const out = underFileSizeLimit(
    16,
    `import { saveModel } from ${JSON.stringify(moduleHref(import.meta.url, './models.js'))};\n` +
      `try { saveModel(process.argv[2], 'trend-day.json', { toJSON: () => ({ big: 'x'.repeat(1 << 20) }) }); console.log(JSON.stringify({ ok: true })); }\n` +
      `catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, step: e.step })); }\n`,
    [dir],
  );
  assert.deepEqual(out, { name: 'WholeFileError', code: 'EFBIG', step: 'write' });
  assert.equal(readFileSync(file, 'utf8'), '{"the": "old model"}\n', 'not its first 8 KiB of the new one');
  assert.deepEqual(readdirSync(dir), ['trend-day.json']);
});

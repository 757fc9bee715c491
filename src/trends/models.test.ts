/** A model file under --models that will not read or parse says why in words and what to do, naming the file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { refusing } from '../core/testing/refused-fs.js';
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

/** Option parsers: output paths are checked when the command line is read, not after minutes of work. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoRate, outputDir, outputFile } from './args.js';
import { runCliSync } from '../testing.js';

test('outputFile and outputDir: a folder for a file, a file for a folder, a path below a file, an empty path are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-args-'));
  try {
    const file = join(dir, 'a.md');
    writeFileSync(file, 'x');
    assert.equal(outputFile(file), file, 'an existing file is overwritten');
    assert.equal(outputFile(join(dir, 'new', 'deeper', 'r.md')), join(dir, 'new', 'deeper', 'r.md'), 'missing folders are made later');
    assert.throws(() => outputFile(dir), /is a folder; give a file path/);
    assert.throws(() => outputFile(join(file, 'r.md')), /a\.md is a file, so .* cannot be written below it/);
    assert.throws(() => outputFile(''), /an empty path/);
    assert.equal(outputDir(dir), dir);
    assert.equal(outputDir(join(dir, 'models', 'x')), join(dir, 'models', 'x'));
    assert.throws(() => outputDir(file), /a\.md is a file; give a folder/);
    if (process.getuid?.() !== 0) {
      // root may write anywhere, so this case is only checked as another user
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      assert.throws(() => outputFile(join(ro, 'r.md')), /cannot write in/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval syn --out below a file is a usage error before any work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-args-'));
  try {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    const r = runCliSync(['eval', 'syn', '--out', join(file, 'report.md')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /option '--out <file>' argument .* is invalid\. .*plain is a file, so .* cannot be written below it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demoRate takes what demo.rate takes: above 0, at most 1,000,000, fractions allowed', () => {
  assert.equal(demoRate('0.5'), 0.5);
  assert.equal(demoRate('200'), 200);
  for (const bad of ['0', '-1', '', 'fast', '2000000']) assert.throws(() => demoRate(bad), /above 0 and at most 1000000/, bad);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from './corpus.js';
import { createGenerator } from './generator.js';

test('writeCorpus writes the generator lines in chunks and reports sizes and needles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-demo-'));
  try {
    const path = join(dir, 'corpus.log');
    const needles = [{ text: 'zqcorpusneedle', every: 1000 }];
    const summary = await writeCorpus(path, 25_000, { seed: 12, start: 1_700_000_000_000, needles, chunkLines: 3000 });
    const text = readFileSync(path, 'latin1');
    assert.equal(summary.bytes, statSync(path).size);
    assert.equal(text, createGenerator({ seed: 12, start: 1_700_000_000_000, needles }).fill(25_000).join('\n') + '\n');
    assert.equal(summary.lines, 25_000);
    assert.equal(summary.start, 1_700_000_000_000);
    assert.ok(summary.end > summary.start);
    assert.deepEqual(summary.needles, [{ text: 'zqcorpusneedle', every: 1000, count: 25 }]);
    assert.equal(text.split('\n').filter((l) => l.includes('zqcorpusneedle')).length, 25);
    const empty = await writeCorpus(join(dir, 'empty.log'), 0);
    assert.equal(empty.bytes, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeCorpus rejects a bad line count and an unwritable path', async () => {
  await assert.rejects(writeCorpus('/tmp/never-written.log', -1), /lines must be a non-negative integer/);
  await assert.rejects(writeCorpus(join(tmpdir(), 'no-such-dir-nml', 'x.log'), 10), /ENOENT/);
});

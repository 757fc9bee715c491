import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileClaims } from './file-claims.js';
import { FileSource } from './file-source.js';
import { MemorySink } from './testing.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('following app.log and app.log.1, a rotation does not read the renamed file again under its new name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-claims-'));
  const log = join(dir, 'app.log');
  writeFileSync(log, '<13>a 1\n');
  writeFileSync(`${log}.1`, '<13>older\n');
  const src = new FileSource({ paths: [log, `${log}.1`], follow: true, pollIntervalMs: 5, rotateWaitMs: 100 });
  const sink = new MemorySink();
  await src.start(sink);
  try {
    appendFileSync(log, '<13>a 2\n');
    await sink.waitFor(1);
    // logrotate: app.log.1 is replaced by app.log, a new app.log is made, the writer finishes the old file
    renameSync(log, `${log}.1`);
    writeFileSync(log, '<13>b 1\n');
    appendFileSync(`${log}.1`, '<13>a 3, late\n');
    await sink.waitFor(3);
    // app.log's follower lets the renamed file go once it has been quiet; app.log.1's reads on from there
    await pause(400);
    appendFileSync(`${log}.1`, '<13>a 4, after it was let go\n');
    appendFileSync(log, '<13>b 2\n');
    await sink.waitFor(5);
    await pause(100);
    assert.deepEqual(sink.lines().sort(), ['<13>a 2', '<13>a 3, late', '<13>a 4, after it was let go', '<13>b 1', '<13>b 2'], 'each line once');
  } finally {
    await src.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a claim let go is taken up where it stopped only by the same file (its head, its length); one held is waited for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-claims-'));
  const a = await open(join(dir, 'a'), 'w+');
  const b = await open(join(dir, 'b'), 'w+');
  const c = await open(join(dir, 'c'), 'w+');
  try {
    await a.write('<13>line one\n<13>line two\n');
    await b.write('<13>another file on the same inode number\n');
    await c.write('<13>line one\n<13>line two\n<13>line three\n');
    const claims = new FileClaims();
    assert.equal(await claims.take(a, 'k', 'app.log', 0), 0);
    assert.equal(await claims.take(c, 'k', 'app.log.1', 0), null, 'held by app.log: wait');
    claims.read('k', 'app.log', 26);
    await claims.release(a, 'k', 'app.log');
    assert.equal(await claims.take(b, 'k', 'app.log.1', 0), 0, 'another head: a new file, read from its start');
    await claims.release(b, 'k', 'app.log.1');
    const d = new FileClaims();
    await d.take(a, 'k', 'app.log', 0);
    d.read('k', 'app.log', 26);
    await d.release(a, 'k', 'app.log');
    assert.equal(await d.take(c, 'k', 'app.log.1', 0), 26, 'the same head, as long: on from where app.log stopped');
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});

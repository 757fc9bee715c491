import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAppError } from '../core/index.js';
import { STORE_DEFAULTS } from './store.js';
import { WriterPool, type WriterPoolOptions } from './writer-pool.js';
import { PLAIN_LANE } from './testing/lanes.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-pool-'));

function options(dir: string, over: Partial<WriterPoolOptions> = {}): WriterPoolOptions {
  return {
    workerUrl: PLAIN_LANE,
    lanes: 1,
    highWaterLines: STORE_DEFAULTS.highWaterLines,
    laneData: {
      shardSet: { dir, slotMs: 60_000, sealIdleMs: 5000, maxOpenShards: 4, optimizeOnSeal: false },
      sealCheckMs: 1000,
      maxLinesPerCommit: 200_000,
      prepareOptions: {},
      relations: null,
    },
    onShardEvents: () => undefined,
    ...over,
  };
}

test('the pool is congested by waiting bytes as well as lines: a few long lines hold back a source that respects it', async () => {
  const dir = tmp();
  const pool = new WriterPool(options(dir, { highWaterBytes: 1 << 20 }));
  try {
    assert.equal(STORE_DEFAULTS.highWaterBytes, 256 * 1024 * 1024);
    const long = 'a'.repeat(256 * 1024);
    // 8 lines of 256 KiB: far under 400,000 lines, twice the 1 MiB of text allowed
    const write = pool.write(Array.from({ length: 8 }, (_, i) => ({ line: `${long} ${i}`, receivedAt: Date.now(), source: 's' })));
    assert.equal(pool.queuedLines, 8);
    assert.ok(pool.queuedBytes >= 2 * 1024 * 1024);
    assert.equal(pool.congested, true, 'congested by bytes');
    const drained = pool.whenDrained();
    await write;
    await drained;
    assert.equal(pool.congested, false);
    assert.equal(pool.queuedBytes, 0);
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lane that cannot start is restarted with a growing delay, each failure reported; a batch meanwhile is refused at once', async () => {
  const dir = tmp();
  const bad = join(dir, 'bad-lane.mjs');
  writeFileSync(bad, "throw new Error('lane cannot start');\n");
  const problems: { at: number; message: string }[] = [];
  const pool = new WriterPool(options(dir, { workerUrl: pathToFileURL(bad), onProblem: (message) => problems.push({ at: Date.now(), message }) }));
  try {
    const t0 = Date.now();
    while (problems.length < 3 && Date.now() - t0 < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(problems.every((p) => p.message.includes('lane cannot start')), 'each failure is reported with its cause');
    const [first, second, third] = problems;
    assert.match(first!.message, /restarting it$/, 'the first failure restarts at once');
    assert.match(second!.message, /restarting it in 250 ms \(failure 2 in a row\)/);
    assert.match(third!.message, /restarting it in 500 ms \(failure 3 in a row\)/);
    assert.ok(third!.at - second!.at >= 250, 'the delay was kept');
    await assert.rejects(pool.write([{ line: 'x', receivedAt: Date.now(), source: 's' }]), (e) => isAppError(e) && e.code === 'STORE_UNAVAILABLE');
  } finally {
    // settles (a lane that fails while closing rejects it) instead of waiting for a lane that never answers
    await pool.close().catch((e: unknown) => assert.ok(isAppError(e) && e.code === 'STORE_UNAVAILABLE'));
    rmSync(dir, { recursive: true, force: true });
  }
});

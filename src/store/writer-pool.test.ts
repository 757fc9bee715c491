import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAppError } from '../core/index.js';
import { ShardReader } from './shard-reader.js';
import { STORE_DEFAULTS } from './store.js';
import { TYPED_MARK } from './terms.js';
import { WriterPool, type WriterPoolOptions } from './writer-pool.js';
import { PLAIN_LANE, THROWING_LANE } from './testing/lanes.js';
import { outcome } from './testing/outcome.js';

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
    assert.equal(pool.failedLines, 1, 'a batch refused with no lane running is counted as failed');
  } finally {
    // settles (a lane that fails while closing rejects it) instead of waiting for a lane that never answers
    await pool.close().catch((e: unknown) => assert.ok(isAppError(e) && e.code === 'STORE_UNAVAILABLE'));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch written after close is refused with STORE_CLOSED and its lines are counted as failed', async () => {
  const dir = tmp();
  const pool = new WriterPool(options(dir));
  try {
    await pool.close();
    const lines = ['a', 'b', 'c'].map((line) => ({ line, receivedAt: Date.now(), source: 's' }));
    await assert.rejects(pool.write(lines), (e) => isAppError(e) && e.code === 'STORE_CLOSED');
    assert.equal(pool.failedLines, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a preparer that throws for one line (a parser bug) keeps that line raw and refuses nothing: the other batches of its round are stored', async () => {
  const dir = tmp();
  const problems: string[] = [];
  const pool = new WriterPool(options(dir, { workerUrl: THROWING_LANE, onProblem: (m) => problems.push(m) }));
  try {
    const now = Date.now();
    // three writes queued together reach the lane as one round; B's second line makes the preparer throw
    const a = pool.write([{ line: 'gamma from A', receivedAt: now, source: 'A' }]);
    const b = pool.write([
      { line: 'gamma from B', receivedAt: now, source: 'B' },
      { line: 'gamma PREPARER_THROWS \x01user_forged', receivedAt: now, source: 'B' },
    ]);
    const c = pool.write([{ line: 'gamma from C', receivedAt: now, source: 'C' }]);
    assert.deepEqual(await Promise.all([outcome(a), outcome(b), outcome(c)]), ['stored', 'stored', 'stored']);
    assert.equal(pool.committedLines, 4);
    assert.equal(pool.failedLines, 0);
    assert.equal(pool.unpreparedLines, 1);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /line preparer failed on 1 line\(s\) \(parser bug on a test line\); they were stored raw/);
    // another round with such a line: counted, and not reported again within the minute
    assert.equal(await outcome(pool.write([{ line: 'PREPARER_THROWS again', receivedAt: now, source: 'D' }])), 'stored');
    assert.equal(pool.unpreparedLines, 2);
    assert.equal(problems.length, 1);
    await pool.flush();
    const shards = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.db'));
    const raws: string[] = [];
    const unparsed: string[] = [];
    for (const f of shards) {
      const r = new ShardReader(join(dir, f));
      try {
        raws.push(...r.lines([...r.rowidsDesc(null, null)]).map((h) => h.raw));
        unparsed.push(...r.lines([...r.rowidsDesc(`"${TYPED_MARK}fmt_raw"`, null)]).map((h) => h.raw));
        assert.equal(r.count(`"${TYPED_MARK}user_forged"`), 0, 'the raw line cannot forge a typed term');
      } finally {
        r.close();
      }
    }
    assert.deepEqual(raws.sort(), ['PREPARER_THROWS again', 'gamma PREPARER_THROWS \x01user_forged', 'gamma from A', 'gamma from B', 'gamma from C']);
    assert.deepEqual(unparsed.sort(), ['PREPARER_THROWS again', 'gamma PREPARER_THROWS \x01user_forged'], 'indexed as lines that did not parse');
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

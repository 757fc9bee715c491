import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../core/index.js';
import { Batcher, resolveBatchOptions } from './batcher.js';
import { newStats } from './source.js';
import { MemorySink } from './testing.js';

const rec = (i: number) => ({ line: `l${i}`, receivedAt: 1, source: 'test' });

test('a batch leaves at maxRecords', async () => {
  const sink = new MemorySink();
  const stats = newStats();
  const b = new Batcher(sink, stats, resolveBatchOptions({ maxRecords: 3, lingerMs: 10_000 }));
  for (let i = 0; i < 7; i++) b.add(rec(i));
  await b.settle();
  assert.deepEqual(sink.batches.map((x) => x.length), [3, 3, 1]);
  assert.equal(stats.batches, 3);
  assert.equal(stats.committed, 7);
});

test('a partial batch leaves after lingerMs', async () => {
  const sink = new MemorySink();
  const b = new Batcher(sink, newStats(), resolveBatchOptions({ lingerMs: 5 }));
  b.add(rec(1));
  assert.equal(sink.writes, 0);
  await sink.waitFor(1, 200);
  assert.equal(sink.batches.length, 1);
});

test('saturated while more than maxInFlight batches await commit; room() waits for a commit', async () => {
  const sink = new MemorySink();
  sink.block();
  const b = new Batcher(sink, newStats(), resolveBatchOptions({ maxRecords: 1, maxInFlight: 2 }));
  for (let i = 0; i < 3; i++) b.add(rec(i));
  assert.equal(b.inFlight, 3);
  assert.equal(b.saturated, true);
  let roomy = false;
  const room = b.room().then(() => (roomy = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(roomy, false);
  sink.release();
  await room;
  assert.equal(b.saturated, false);
});

test('saturated while the sink is congested', async () => {
  const sink = new MemorySink();
  const b = new Batcher(sink, newStats(), resolveBatchOptions());
  sink.setCongested(true);
  assert.equal(b.saturated, true);
  const room = b.room();
  sink.setCongested(false);
  await room;
});

test('a refused batch is counted as write_failed, never silent', async () => {
  const sink = new MemorySink();
  sink.failWith = new Error('disk full');
  const stats = newStats();
  const b = new Batcher(sink, stats, resolveBatchOptions());
  b.add(rec(1));
  b.add(rec(2));
  await b.settle();
  assert.equal(stats.drops.write_failed, 2);
  assert.equal(stats.committed, 0);
  assert.equal((b.firstError as Error).message, 'disk full');
});

test('bad batch options are refused with COLLECT_OPTIONS_INVALID', () => {
  assert.throws(() => resolveBatchOptions({ maxRecords: 0 }), (e) => isAppError(e) && e.code === 'COLLECT_OPTIONS_INVALID' && e.message === 'collect: invalid batch.maxRecords: expected an integer in 1..1000000, got 0');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RawRecord, RecordSink } from '../../core/index.js';
import { DemoSource } from './demo-source.js';

/** A sink that commits after `delayMs` and can claim to be congested. */
class FakeSink implements RecordSink {
  readonly batches: RawRecord[][] = [];
  congested = false;
  delayMs = 0;
  async write(records: RawRecord[]): Promise<void> {
    if (this.delayMs > 0) await sleep(this.delayMs);
    this.batches.push(records);
  }
  whenDrained(): Promise<void> {
    return Promise.resolve();
  }
  get records(): RawRecord[] {
    return this.batches.flat();
  }
}

test('emits exactly rate lines per second of its clock, in small batches, from source demo', async () => {
  let clock = 1_700_000_000_000;
  const source = new DemoSource({ rate: 500, seed: 1, tickMs: 2, now: () => clock });
  const sink = new FakeSink();
  await source.start(sink);
  clock += 1000;
  await sleep(30);
  clock += 500;
  await sleep(30);
  await source.stop();
  const s = source.stats();
  assert.equal(sink.records.length, 750);
  assert.equal(s.received, 750);
  assert.equal(s.committed, 750);
  assert.equal(s.batches, sink.batches.length);
  assert.equal(s.bytes, sink.records.reduce((n, r) => n + r.line.length + 1, 0));
  assert.ok(sink.batches.every((b) => b.length <= 1000));
  for (const r of sink.records) {
    assert.equal(r.source, 'demo');
    assert.ok(r.receivedAt === 1_700_000_001_000 || r.receivedAt === 1_700_000_001_500);
    assert.match(r.line, /^<\d+>(1 \d{4}-|[A-Z][a-z]{2} [ \d]\d )/);
  }
});

// the exact rate is the fake-clock test's; here the real clock: never above the rate, and running at all.
// A stalled timer is not caught up (no flood after a stall), so a loaded machine gives fewer lines: CI on
// 2 busy cores gave 297 in 654 ms, which a lower bound of half the rate failed.
test('runs on the real clock, never above its rate, and stops cleanly', async () => {
  const source = new DemoSource({ rate: 1000, tickMs: 10 });
  const sink = new FakeSink();
  const began = Date.now();
  await source.start(sink);
  await sleep(300);
  await source.stop();
  const expected = Date.now() - began;
  const got = source.stats().received;
  assert.ok(got >= expected * 0.1 && got <= expected * 1.05 + 10, `${got} lines in ${expected} ms at 1000/s`);
  const after = sink.records.length;
  await sleep(50);
  assert.equal(sink.records.length, after, 'wrote after stop');
  await source.stop();
});

test('a congested sink costs whole ticks, counted as queue_full drops', async () => {
  let clock = 0;
  const source = new DemoSource({ rate: 200, seed: 1, tickMs: 2, now: () => clock });
  const sink = new FakeSink();
  sink.congested = true;
  await source.start(sink);
  clock += 1000;
  await sleep(20);
  sink.congested = false;
  clock += 1000;
  await sleep(20);
  await source.stop();
  const s = source.stats();
  assert.equal(s.drops.queue_full, 200);
  assert.equal(s.received, 400);
  assert.equal(s.committed, 200);
});

test('stop waits for writes in flight; a second start is refused; a long stall does not flood', async () => {
  let clock = 0;
  const source = new DemoSource({ rate: 100, seed: 1, tickMs: 2, now: () => clock });
  const sink = new FakeSink();
  sink.delayMs = 40;
  await source.start(sink);
  await assert.rejects(source.start(sink), /demo already started/);
  clock += 3_600_000;
  await sleep(20);
  await source.stop();
  const s = source.stats();
  assert.ok(s.received > 0 && s.received <= 100, `${s.received} lines after an hour asleep`);
  assert.equal(s.committed, s.received);
  assert.throws(() => new DemoSource({ rate: 0 }), /rate must be/);
});

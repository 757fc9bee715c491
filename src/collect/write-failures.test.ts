import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../core/index.js';
import { Batcher, resolveBatchOptions } from './batcher.js';
import { newStats } from './source.js';
import { MemorySink } from './testing.js';
import { WriteFailureLog, type WriteFailureReport } from './write-failures.js';

const FULL = new AppError('STORE_DISK_FULL', 'unavailable', 'store: the disk holding /data/shards is full (SQLITE_FULL); free space there or lower store.retention.maxBytes, then resend');

/** A log on a hand-moved clock whose timers run when the test says. */
function harness() {
  const clock = { t: 1_000_000 };
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const reports: WriteFailureReport[] = [];
  const log = new WriteFailureLog((r) => reports.push(r), {
    now: () => clock.t,
    later: (fn, ms) => {
      const timer = { at: clock.t + ms, fn, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
  });
  /** moves the clock to `t` and runs the timers due by then */
  const advance = (t: number): void => {
    clock.t = t;
    for (const timer of timers.splice(0)) {
      if (timer.cancelled) continue;
      if (timer.at <= t) timer.fn();
      else timers.push(timer);
    }
  };
  return { clock, reports, log, advance, pending: () => timers.filter((x) => !x.cancelled).length };
}

test('the first refusal is told at once; those within the minute after it are summed and told once when it is up', () => {
  const { clock, reports, log, advance, pending } = harness();
  log.note('udp:0.0.0.0:514', 2000, FULL);
  assert.equal(reports.length, 1);
  assert.deepEqual({ ...reports[0], message: undefined }, { kind: 'udp', sources: ['udp:0.0.0.0:514'], dropped: 2000, code: 'STORE_DISK_FULL', message: undefined });
  assert.match(reports[0]!.message, /^collect: 2000 line\(s\) from udp:0\.0\.0\.0:514 dropped: the store refused them \(store: the disk holding \/data\/shards is full \(SQLITE_FULL\);.*\); counted in drops\.write_failed/);
  log.note('udp:0.0.0.0:514', 2000, FULL);
  log.note('udp:[::]:514', 500, FULL);
  assert.equal(reports.length, 1, 'nothing more within the minute');
  assert.equal(pending(), 1, 'one timer for the kind, not one per refusal');
  advance(clock.t + 59_999);
  assert.equal(reports.length, 1);
  advance(clock.t + 1);
  assert.equal(reports.length, 2);
  assert.equal(reports[1]!.dropped, 2500, 'every line since the last message');
  assert.deepEqual(reports[1]!.sources, ['udp:0.0.0.0:514', 'udp:[::]:514']);
  assert.match(reports[1]!.message, /^collect: 2500 line\(s\) from udp:0\.0\.0\.0:514, udp:\[::\]:514 dropped since the last message: /);
  // a minute with no refusal: the next one is told at once again
  advance(clock.t + 60_000);
  assert.equal(reports.length, 2, 'nothing to tell, nothing told');
  log.note('udp:0.0.0.0:514', 7, FULL);
  assert.equal(reports.length, 3);
  assert.equal(reports[2]!.dropped, 7);
});

test('each source kind has its own minute; close() tells what waits and leaves no timer', () => {
  const { reports, log, pending } = harness();
  log.note('udp:0.0.0.0:514', 10, FULL);
  log.note('tcp:0.0.0.0:514', 20, FULL);
  log.note('tls:0.0.0.0:6514', 30, new AppError('STORE_CLOSED', 'unavailable', 'store: writer is shutting down, batch not accepted'));
  assert.deepEqual(reports.map((r) => [r.kind, r.dropped, r.code]), [['udp', 10, 'STORE_DISK_FULL'], ['tcp', 20, 'STORE_DISK_FULL'], ['tls', 30, 'STORE_CLOSED']]);
  log.note('tcp:0.0.0.0:514', 5, FULL);
  assert.equal(pending(), 1);
  log.close();
  assert.deepEqual(reports.slice(3).map((r) => [r.kind, r.dropped]), [['tcp', 5]]);
  assert.equal(pending(), 0);
});

test("the sink a source writes to: its refusals reach the source (counted write_failed) and the log; the lines' text never does", async () => {
  const { reports, log } = harness();
  const inner = new MemorySink();
  const stats = newStats();
  const batcher = new Batcher(log.sink(inner, () => 'tcp:127.0.0.1:5514'), stats, resolveBatchOptions({ maxRecords: 2 }));
  batcher.add({ line: 'stored', receivedAt: 1, source: 's' });
  batcher.add({ line: 'stored too', receivedAt: 1, source: 's' });
  await batcher.settle();
  assert.equal(reports.length, 0, 'committed batches are not told');
  inner.failWith = FULL;
  for (const line of ['user=alice password=hunter2', 'token=abc', 'x']) batcher.add({ line, receivedAt: 1, source: 's' });
  await batcher.settle();
  assert.equal(stats.drops.write_failed, 3);
  assert.deepEqual(reports.map((r) => r.dropped), [2], 'the first refused batch at once, the next one within the minute waits');
  log.close();
  assert.deepEqual(reports.map((r) => r.dropped), [2, 1]);
  const text = JSON.stringify(reports);
  for (const secret of ['hunter2', 'alice', 'token=abc']) assert.ok(!text.includes(secret), `no line text in the report (${secret})`);
  // a sink that throws instead of rejecting is told the same way, and the source still sees the throw
  const throwing = log.sink({ congested: false, whenDrained: async () => undefined, write: () => { throw new Error('EIO:   i/o\nerror'); } }, () => 'file:/var/log/x');
  await assert.rejects(throwing.write([{ line: 'a', receivedAt: 1, source: 's' }]), /EIO/);
  await new Promise((resolve) => setImmediate(resolve));
  const last = reports.at(-1)!;
  assert.deepEqual([last.kind, last.dropped, last.code], ['file', 1, null]);
  assert.match(last.message, /refused them \(eio: i\/o error\)/);
});

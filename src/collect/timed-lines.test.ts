/** Timed lines: each goes out once the clock passes its time, stamped with it; a congested store is waited out, nothing dropped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySink } from './testing.js';
import { TimedLinesSource } from './timed-lines.js';

const T = 1_700_000_000_000;

test('lines go out when due, stamped with their own time; a congested store delays them and loses none', async () => {
  const clock = { t: T };
  const lines = [0, 10, 10, 500, 2000].map((d, i) => ({ time: T + d, line: `line ${i}` }));
  const src = new TimedLinesSource({ name: 'demo-fw', lines, tickMs: 5, now: () => clock.t });
  const sink = new MemorySink();
  await src.start(sink);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(sink.records.map((r) => r.line), ['line 0'], 'only the line due at the start');
  clock.t = T + 600;
  sink.setCongested(true);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(sink.records.length, 1, 'nothing written into a congested store');
  sink.setCongested(false);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(sink.records.map((r) => [r.line, r.receivedAt, r.source]), [
    ['line 0', T, 'demo-fw'],
    ['line 1', T + 10, 'demo-fw'],
    ['line 2', T + 10, 'demo-fw'],
    ['line 3', T + 500, 'demo-fw'],
  ]);
  assert.equal(src.pending, 1);
  clock.t = T + 2000;
  await new Promise((r) => setTimeout(r, 20));
  await src.stop();
  assert.equal(src.pending, 0);
  const st = src.stats();
  assert.deepEqual([st.received, st.committed, st.drops.queue_full], [5, 5, 0]);
});

test('lines out of time order are refused with a message that says which', () => {
  assert.throws(() => new TimedLinesSource({ name: 'x', lines: [{ time: 2, line: 'a' }, { time: 1, line: 'b' }] }), (e: Error & { code?: string }) => e.code === 'COLLECT_OPTIONS_INVALID' && /line 2 is due before line 1/.test(e.message));
});

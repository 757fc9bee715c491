/** The CLI's stop signals: handlers installed and removed as one, the first signal awaited, the two-stage stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstStopSignal, onStopSignals, STOP_SIGNALS, twoStageStop, type StopSignal } from './signals.js';

const listeners = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

test('the stop signals exit 128 + their number, as a shell reports them', () => {
  assert.deepEqual(STOP_SIGNALS, { SIGINT: 130, SIGTERM: 143 });
});

test('onStopSignals hears both signals until disposed, and disposing twice removes nothing else', () => {
  const before = listeners();
  const heard: StopSignal[] = [];
  const dispose = onStopSignals((s) => heard.push(s));
  assert.deepEqual(listeners(), before.map((n) => n + 1));
  process.emit('SIGINT', 'SIGINT');
  process.emit('SIGTERM', 'SIGTERM');
  assert.deepEqual(heard, ['SIGINT', 'SIGTERM']);
  // another command's handler stays when this one is disposed, however often
  const other = onStopSignals(() => undefined);
  dispose();
  dispose();
  assert.deepEqual(listeners(), before.map((n) => n + 1));
  other();
  assert.deepEqual(listeners(), before);
  process.emit('SIGINT', 'SIGINT');
  assert.deepEqual(heard, ['SIGINT', 'SIGTERM']);
});

test('firstStopSignal resolves with the first signal, its handlers already gone', async () => {
  const before = listeners();
  // a listener of the test's own, so that emitting after the handlers are gone does not end the runner
  const keep = onStopSignals(() => undefined);
  try {
    const first = firstStopSignal();
    assert.deepEqual(listeners(), before.map((n) => n + 2));
    process.emit('SIGTERM', 'SIGTERM');
    assert.deepEqual(listeners(), before.map((n) => n + 1));
    process.emit('SIGINT', 'SIGINT');
    assert.equal(await first, 'SIGTERM');
  } finally {
    keep();
  }
  assert.deepEqual(listeners(), before);
});

test("the first stop signal stops the work; a second quits at once with that signal's status", () => {
  const stopped: StopSignal[] = [];
  const quit: number[] = [];
  const on = twoStageStop((s) => stopped.push(s), (status) => quit.push(status));
  on('SIGINT');
  assert.deepEqual([stopped, quit], [['SIGINT'], []]);
  on('SIGINT');
  assert.deepEqual([stopped, quit], [['SIGINT'], [130]]);
  on('SIGTERM');
  assert.deepEqual([stopped, quit], [['SIGINT'], [130, 143]]);
});

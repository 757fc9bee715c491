/** guardedSink: a failing store is reported and counted, never thrown into the detector that recorded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewFinding } from '../detector.js';
import { guardedSink } from './guarded-sink.js';

const finding = (entity: string): NewFinding => ({ detector: 'syn', entity, score: 0.9, threshold: 0.5, modelVersion: 't', time: 0, explanation: { summary: 's', detail: null }, evidence: { query: entity, from: 0, to: 1 } });

test('a sink that throws is reported with the findings it lost, and the caller goes on', () => {
  const stored: NewFinding[] = [];
  let fail = true;
  const errors: [unknown, number][] = [];
  const sink = guardedSink({ record: (f) => (fail ? (() => { throw new Error('SQLITE_FULL: database or disk is full'); })() : stored.push(...f)) }, (e, f) => errors.push([e, f.length]));
  assert.doesNotThrow(() => sink.record([finding('ip:192.0.2.1'), finding('ip:192.0.2.2')]));
  assert.equal(sink.lost, 2);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]![0]), /SQLITE_FULL/);
  assert.equal(errors[0]![1], 2);
  fail = false;
  sink.record([finding('ip:192.0.2.3')]);
  assert.deepEqual(stored.map((f) => f.entity), ['ip:192.0.2.3']);
  assert.equal(sink.lost, 2);
});

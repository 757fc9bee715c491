/** `nml trends predict`'s lines per type: short, the type and probability first, the drivers indented under it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PREDICT_WIDTH, predictionLines, wrappedList, wrappedText } from './predict-lines.js';

test('a type is its probability on one line, then what raised and lowered it, indented and wrapped at the width', () => {
  const raised = ['many reports lately (the last 28 days)', 'next day is a Monday', 'national day now (2026-12-06 Independence Day (Finland))', 'reported often in the last 28 days'];
  const lowered = ['little hacktivism lately (the last 28 days)', 'large share of the reports of the last 28 days'];
  const lines = predictionLines('Ransomware', '0.490 [too little data]', raised, lowered);
  assert.equal(lines[0], `${'Ransomware'.padEnd(30)} 0.490 [too little data]`);
  for (const l of lines) assert.ok(l.length <= PREDICT_WIDTH, `${l.length}: ${l}`);
  for (const l of lines.slice(1)) assert.match(l, /^ {2}\S/.test(l) ? /^ {2}(raised|lowered) by: / : /^ {14}\S/, l);
  const raisedAt = lines.findIndex((l) => l.startsWith('  raised by:  '));
  const loweredAt = lines.findIndex((l) => l.startsWith('  lowered by: '));
  assert.ok(raisedAt === 1 && loweredAt > raisedAt, lines.join('\n'));
  // every driver is there once, whole, in order, continuation lines under the first item
  const said = (from: number, to: number) => lines.slice(from, to).map((l) => l.slice(14)).join(' ');
  assert.equal(said(raisedAt, loweredAt), raised.join(', '));
  assert.equal(said(loweredAt, lines.length), lowered.join(', '));
  for (const l of lines.slice(raisedAt + 1, loweredAt)) assert.match(l, /^ {14}\S/, l);
});

test('no drivers: the type line alone; an item longer than the room stands on its own line, not cut', () => {
  assert.deepEqual(predictionLines('DDoS', '0.245', [], []), [`${'DDoS'.padEnd(30)} 0.245`]);
  const long = 'x'.repeat(90);
  assert.deepEqual(wrappedList('  raised by:  ', ['a', long, 'b']), ['  raised by:  a,', `${' '.repeat(14)}${long},`, `${' '.repeat(14)}b`]);
});

test('a sentence (the basis, the note, the warning) wraps between words at the width, continuation lines under its first word', () => {
  const note = 'Daily forecasts rank the attack types, no more: on 305 test days (models/trends/MODEL_CARD.md) the daily model ranked above every naive baseline for 5 of 6 attack types, none significantly (ROC-AUC 0.53 to 0.63), and for 5 of them no test day reached probability 0.5; read the figures as an order, not as chances.';
  const lines = wrappedText('note: ', note);
  assert.ok(lines.length > 1 && lines[0]!.startsWith('note: Daily '), lines.join('\n'));
  for (const l of lines) assert.ok(l.length <= PREDICT_WIDTH, `${l.length}: ${l}`);
  for (const l of lines.slice(1)) assert.match(l, /^ {6}\S/, l);
  // every word there once, in order: joined again it is the sentence
  assert.equal(lines.map((l) => l.slice(6)).join(' '), note);
  assert.deepEqual(wrappedText('next day: ', 'short'), ['next day: short']);
  const long = 'y'.repeat(90);
  assert.deepEqual(wrappedText('warning: ', `a ${long} b`), ['warning: a', `${' '.repeat(9)}${long}`, `${' '.repeat(9)}b`]);
});

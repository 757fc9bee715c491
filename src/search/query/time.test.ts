import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../core/index.js';
import { parseTimeExpr, parseTimeRange } from './time.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const at = (text: string): number => parseTimeExpr(text, NOW);

test('absolute ISO-8601; a missing zone is UTC; a date alone is its midnight', () => {
  assert.equal(at('2026-11-28T10:00:00Z'), Date.UTC(2026, 10, 28, 10));
  assert.equal(at('2026-11-28T10:00:00.250Z'), Date.UTC(2026, 10, 28, 10, 0, 0, 250));
  assert.equal(at('2026-11-28T10:00:00+02:00'), Date.UTC(2026, 10, 28, 8));
  assert.equal(at('2026-11-28 10:00-0130'), Date.UTC(2026, 10, 28, 11, 30));
  assert.equal(at('2026-11-28T10:00'), Date.UTC(2026, 10, 28, 10));
  assert.equal(at('2026-11-28'), Date.UTC(2026, 10, 28));
});

test('relative, now and epoch milliseconds', () => {
  assert.equal(at('now'), NOW);
  assert.equal(at(' -15m '), NOW - 15 * 60_000);
  assert.equal(at('-2h'), NOW - 2 * 3_600_000);
  assert.equal(at('now-7d'), NOW - 7 * 86_400_000);
  assert.equal(at('-30s'), NOW - 30_000);
  assert.equal(at('1764331200000'), 1764331200000);
});

test('Hayabusa paths name a span; parseTimeExpr gives its start', () => {
  assert.equal(at('2017/10/17/15/*'), Date.UTC(2017, 9, 17, 15));
  assert.equal(at('2017/10/17/15/04'), Date.UTC(2017, 9, 17, 15, 4));
  assert.deepEqual(parseTimeRange({ from: '2017/10/17/15/*' }, NOW), { from: Date.UTC(2017, 9, 17, 15), to: Date.UTC(2017, 9, 17, 16) });
  assert.deepEqual(parseTimeRange({ from: '2017/10/17/*' }, NOW), { from: Date.UTC(2017, 9, 17), to: Date.UTC(2017, 9, 18) });
  assert.deepEqual(parseTimeRange({ from: '2017/10/17/15/04' }, NOW), { from: Date.UTC(2017, 9, 17, 15, 4), to: Date.UTC(2017, 9, 17, 15, 5) });
  assert.deepEqual(parseTimeRange({ from: '2017/12/*' }, NOW), { from: Date.UTC(2017, 11, 1), to: Date.UTC(2018, 0, 1) });
  assert.deepEqual(parseTimeRange({ from: '2017/12/31/23/*' }, NOW), { from: Date.UTC(2017, 11, 31, 23), to: Date.UTC(2018, 0, 1) });
});

test('ranges: open ends, a Hayabusa `to` includes its span', () => {
  assert.deepEqual(parseTimeRange({}, NOW), { from: null, to: null });
  assert.deepEqual(parseTimeRange({ from: '', to: '  ' }, NOW), { from: null, to: null });
  assert.deepEqual(parseTimeRange({ from: '-1h' }, NOW), { from: NOW - 3_600_000, to: null });
  assert.deepEqual(parseTimeRange({ from: '-1h', to: 'now' }, NOW), { from: NOW - 3_600_000, to: NOW });
  assert.deepEqual(parseTimeRange({ from: '2017/10/17/15/*', to: '2017/10/17/16/*' }, NOW), {
    from: Date.UTC(2017, 9, 17, 15),
    to: Date.UTC(2017, 9, 17, 17),
  });
  assert.deepEqual(parseTimeRange({ to: '2026-11-28' }, NOW), { from: null, to: Date.UTC(2026, 10, 28) });
});

function timeFailure(f: () => unknown): { code: string; message: string; text: unknown } {
  try {
    f();
  } catch (e) {
    assert.ok(isAppError(e));
    return { code: e.code, message: e.message, text: e.details?.['text'] };
  }
  assert.fail('no error');
}

test('bad times are TIME_SYNTAX naming the text', () => {
  const forms = 'use ISO-8601, now, -15m/-2h/-7d, epoch milliseconds or 2017/10/17/15/*';
  for (const bad of ['yesterday', '-15x', '2026-02-30', '2026-11-28T24:00Z', '2017/13/*', '2017/10/17/15/61', '+1h']) {
    assert.deepEqual(timeFailure(() => at(bad)), { code: 'TIME_SYNTAX', message: `time: cannot read '${bad}' (${forms})`, text: bad });
  }
  for (const digits of ['1764331200', '99', '0']) {
    assert.deepEqual(timeFailure(() => at(digits)), {
      code: 'TIME_SYNTAX',
      message: `time: cannot read '${digits}' (epoch times are in milliseconds: 11 to 16 digits)`,
      text: digits,
    });
  }
  assert.equal(timeFailure(() => at('-999999999d')).message, "time: cannot read '-999999999d' (out of range: more than 273,000 years from 1970)");
  assert.equal(timeFailure(() => parseTimeRange({ from: 'now', to: '-1h' }, NOW)).message, 'time: from now is after to -1h; swap them');
});

test('a zone offset past ±14:59 is an error, not a time days off', () => {
  assert.throws(() => parseTimeExpr('2024-01-01T10:00:00+99:99', 0), (e: Error & { code?: string }) => /time/i.test(e.message));
  assert.equal(parseTimeExpr('2024-01-01T10:00:00+14:00', 0), Date.UTC(2023, 11, 31, 20, 0, 0));
  assert.equal(parseTimeExpr('2024-01-01T10:00:00-0930', 0), Date.UTC(2024, 0, 1, 19, 30, 0));
});

test('eight digits read as a compact date are told how to write it', () => {
  assert.throws(() => parseTimeExpr('20240101', 0), /a date is written 2024-01-01/);
});

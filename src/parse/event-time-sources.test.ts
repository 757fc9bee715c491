/**
 * Where a line's own time comes from, checked as the store files it (parseLine, then trustedTime):
 * year-less syslog dates, bare PAN-OS CSV, Zeek JSON with its `_path` keys before `ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine, trustedTime, type ParseOptions } from './index.js';
import { MAX_FUTURE_MS } from './event-time.js';

/** The time the store files the line under, as an ISO string. */
function filed(line: string, receivedAt: number, opts: ParseOptions = {}): string {
  const ev = parseLine({ line, receivedAt, source: 't' }, { ...opts, entities: false });
  return new Date(trustedTime(ev.time, receivedAt)).toISOString();
}

const iso = (ms: number) => new Date(ms).toISOString();

test('a year-less date beyond the accepted future skew is last year\'s, not the receive time', () => {
  const recv = Date.UTC(2026, 11, 2, 4, 20);
  assert.equal(filed('Dec 25 10:00:00 yh app: hello', recv), '2025-12-25T10:00:00.000Z');
  assert.equal(filed('<13>Dec 25 10:00:00 yh app: hello', recv), '2025-12-25T10:00:00.000Z');
  // just within the skew (a device clock a little ahead): this year; at exactly the skew too, as trustedTime
  assert.equal(filed('Dec  3 04:19:00 yh app: x', recv), '2026-12-03T04:19:00.000Z');
  assert.equal(filed('Dec  3 04:20:00 yh app: x', recv), '2026-12-03T04:20:00.000Z');
  assert.equal(filed('Dec  3 04:20:01 yh app: x', recv), '2025-12-03T04:20:01.000Z');
  assert.equal(filed('Dec  2 04:19:00 yh app: x', recv), '2026-12-02T04:19:00.000Z');
});

test('year-less dates around the new year, in a zone, and Feb 29', () => {
  const eve = Date.UTC(2026, 11, 31, 23, 30);
  assert.equal(filed('Jan  1 00:10:00 yh app: x', eve), '2027-01-01T00:10:00.000Z');
  assert.equal(filed('Jan  1 23:30:00 yh app: x', eve), '2027-01-01T23:30:00.000Z');
  assert.equal(filed('Jan  1 23:31:00 yh app: x', eve), '2026-01-01T23:31:00.000Z');
  assert.equal(filed('Dec 31 23:59:00 yh app: x', Date.UTC(2027, 0, 1, 0, 5)), '2026-12-31T23:59:00.000Z');
  // UTC-5: local Jan 1 00:10 is 05:10 UTC, 5 h 40 ahead; UTC+10: received at local 23:30 on Dec 31
  assert.equal(filed('Jan  1 00:10:00 yh app: x', eve, { timeZone: -300 }), '2027-01-01T05:10:00.000Z');
  assert.equal(filed('Jan  1 00:10:00 yh app: x', Date.UTC(2026, 11, 31, 13, 30), { timeZone: 600 }), '2026-12-31T14:10:00.000Z');
  assert.equal(filed('Jan  2 00:10:00 yh app: x', Date.UTC(2026, 11, 31, 13, 30), { timeZone: 600 }), '2026-01-01T14:10:00.000Z');
  // Feb 29 exists only in leap years: within the skew this year's, else the previous leap year's
  const leapEve = Date.UTC(2028, 1, 28, 12);
  assert.equal(filed('Feb 29 10:00:00 yh app: x', leapEve), '2028-02-29T10:00:00.000Z');
  assert.equal(filed('Feb 29 13:00:00 yh app: x', leapEve), '2024-02-29T13:00:00.000Z');
  assert.equal(filed('Feb 29 10:00:00 yh app: x', Date.UTC(2027, 2, 1)), '2024-02-29T10:00:00.000Z');
  // 2100 is no leap year: eight years back from 2104
  assert.equal(filed('Feb 29 10:00:00 yh app: x', Date.UTC(2101, 2, 1)), '2096-02-29T10:00:00.000Z');
});

test('every inferred year is one the store keeps: never beyond the skew, never a year or more back', () => {
  const dates = ['Jan  1 00:00:00', 'Jan  1 23:59:59', 'Feb 28 12:00:00', 'Mar  1 00:00:00', 'Jun 15 12:00:00', 'Dec  1 00:00:00', 'Dec 31 23:59:59'];
  for (const offset of [0, -720, 840]) {
    for (let recv = Date.UTC(2026, 10, 1); recv < Date.UTC(2027, 2, 1); recv += 7 * 3600_000) {
      for (const d of dates) {
        const ev = parseLine({ line: `${d} h app: x`, receivedAt: recv, source: 't' }, { timeZone: offset, entities: false });
        assert.equal(trustedTime(ev.time, recv), ev.time, `${d} at ${iso(recv)}, offset ${offset}`);
        assert.ok(ev.time > recv - 366 * 86_400_000 + MAX_FUTURE_MS - 86_400_000, `${d} at ${iso(recv)}, offset ${offset}`);
      }
    }
  }
});

test('a line that carries its year, or an explicit default year, too far ahead still falls back to the receive time', () => {
  const recv = Date.UTC(2026, 11, 2, 4, 20);
  const at = iso(recv);
  assert.equal(filed('Dec 25 2026 10:00:00 yh app: x', recv), at);
  assert.equal(filed('2026-12-25T10:00:00Z yh app: x', recv), at);
  assert.equal(filed('<13>1 2026-12-25T10:00:00Z yh app - - - x', recv), at);
  assert.equal(filed('Dec 25 10:00:00 yh app: x', recv, { defaultYear: 2026 }), at);
  assert.equal(filed('Dec 25 10:00:00 yh app: x', recv, { defaultYear: 2025 }), '2025-12-25T10:00:00.000Z');
});

const PAN_TRAFFIC =
  '1,2024/12/02 04:10:00,016401002737,TRAFFIC,end,2561,2024/12/02 04:09:58,10.0.2.57,198.51.100.220,0.0.0.0,0.0.0.0,allow-out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,2024/12/02 04:10:00,12345,1,52344,443,0,0,0x400000,tcp,allow,5000,2000,3000,20,2024/12/02 04:09:50,10,any,0,123,0x0,10.0.0.0-10.255.255.255,United States,0,10,10,tcp-fin';

test('bare PAN-OS CSV: its generate time (column 7), on the device clock', () => {
  const recv = Date.UTC(2026, 11, 2, 4, 20);
  assert.equal(filed(PAN_TRAFFIC, recv), '2024-12-02T04:09:58.000Z');
  assert.equal(filed(PAN_TRAFFIC, recv, { timeZone: 60 }), '2024-12-02T03:09:58.000Z');
  assert.equal(filed(PAN_TRAFFIC, recv, { timeZone: -300 }), '2024-12-02T09:09:58.000Z');
  // a PRI without a syslog header: the same time as without it
  assert.equal(filed(`<14>${PAN_TRAFFIC}`, recv), '2024-12-02T04:09:58.000Z');
  // other log types share the first seven columns
  assert.equal(filed('1,2024/12/02 04:11:00,016401002737,THREAT,url,2561,2024/12/02 04:10:59,10.0.2.57,198.51.100.220,0.0.0.0', recv), '2024-12-02T04:10:59.000Z');
  assert.equal(filed('1,2024/12/02 04:12:00,016401002737,SYSTEM,general,0,2024/12/02 04:11:30,,general,,0,0,general,informational,"User admin logged in",1234', recv), '2024-12-02T04:11:30.000Z');
  assert.equal(filed('1,2024/12/02 04:12:00,016401002737,HIP-MATCH,0,2561,2024/12/02 04:11:31,alice', recv), '2024-12-02T04:11:31.000Z');
  // no readable generate time: the receive time column
  assert.equal(filed('1,2024/12/02 04:12:00,016401002737,SYSTEM,general,0,,vsys1', recv), '2024-12-02T04:12:00.000Z');
  assert.equal(filed('1,2024/12/02 04:12:00,016401002737,SYSTEM,general,0,2024/02/30 04:11:30,vsys1', recv), '2024-12-02T04:12:00.000Z');
  // a comma after the seconds is the next column, never a fraction (the serial number here)
  assert.equal(filed('1,2024/12/02 04:12:00,016401002737,SYSTEM,general,0,2024/12/02 04:11:30,016401002737', recv), '2024-12-02T04:11:30.000Z');
});

test('bare PAN-OS CSV: a syslog header keeps its time; CSV that only starts like PAN-OS keeps the receive time', () => {
  const recv = Date.UTC(2024, 11, 2, 4, 20);
  assert.equal(filed(`<14>Dec  2 04:10:05 fw01 ${PAN_TRAFFIC}`, recv), '2024-12-02T04:10:05.000Z');
  assert.equal(filed(`Dec  2 04:10:05 fw01 ${PAN_TRAFFIC}`, recv), '2024-12-02T04:10:05.000Z');
  const at = iso(recv);
  assert.equal(filed('1,2024/12/02 04:10:00,foo', recv), at);
  assert.equal(filed('1,2024/12/02 04:10:00,016401002737,traffic,end,2561,2024/12/02 04:09:58,10.0.2.57', recv), at);
  assert.equal(filed('1,2024/12/02 04:10:00,,TRAFFIC,end,2561,2024/12/02 04:09:58,10.0.2.57', recv), at);
  assert.equal(filed('x1,2024/12/02 04:10:00,016401002737,TRAFFIC,end,2561,2024/12/02 04:09:58,10.0.2.57', recv), at);
  assert.equal(filed('1,2024/12/02,016401002737,TRAFFIC,end,2561,2024/12/02 04:09:58,10.0.2.57', recv), at);
});

test('Zeek JSON: `ts` after `_path`, `_write_ts` and `_system_name`, as an ISO string or epoch seconds', () => {
  const recv = Date.UTC(2026, 11, 2, 4, 20);
  const head = '{"_path":"conn","_write_ts":"2024-12-02T04:20:00.000000Z",';
  assert.equal(filed(`${head}"ts":"2024-12-02T04:19:59.123456Z","uid":"C1","id.orig_h":"10.0.2.57"}`, recv), '2024-12-02T04:19:59.123Z');
  assert.equal(filed(`${head}"ts":1733113199.123,"uid":"C1","id.orig_h":"10.0.2.57"}`, recv), '2024-12-02T04:19:59.123Z');
  assert.equal(filed(`${head}"_system_name":"zeek-01","ts":1733113199.123,"uid":"C1"}`, recv), '2024-12-02T04:19:59.123Z');
  assert.equal(filed('{"_path":"conn","ts":1733113199.123}', recv), '2024-12-02T04:19:59.123Z');
  assert.equal(filed('{"_path": "conn", "ts": 1733113199.123, "uid": "C1"}', recv), '2024-12-02T04:19:59.123Z');
  assert.equal(filed('{"_path":"a\\"b,\\\\","_n":-1.5e3,"_ok":true,"ts":1733113199.123}', recv), '2024-12-02T04:19:59.123Z');
  assert.equal(filed('<14>{"_path":"conn","ts":1733113199.123}', recv), '2024-12-02T04:19:59.123Z');
  // `ts` first, as before
  assert.equal(filed('{"ts":1733113199.123,"uid":"C1"}', recv), '2024-12-02T04:19:59.123Z');
});

test('Zeek JSON: `ts` is looked for only among the first keys, near the line\'s start', () => {
  const recv = Date.UTC(2026, 11, 2, 4, 20);
  const at = iso(recv);
  const keys = (n: number) => Array.from({ length: n }, (_, k) => `"_k${k}":1,`).join('');
  assert.equal(filed(`{${keys(8)}"ts":1733113199.123}`, recv), '2024-12-02T04:19:59.123Z');
  assert.equal(filed(`{${keys(9)}"ts":1733113199.123}`, recv), at);
  assert.equal(filed(`{"_path":"${'x'.repeat(600)}","ts":1733113199.123}`, recv), at);
  assert.equal(filed('{"msg":"has \\"ts\\":1733113199.123 inside","x":1}', recv), at);
  assert.equal(filed('{"_path":{"ts":1733113199.123},"ts":1733113199.123}', recv), at);
  assert.equal(filed('{"_path":"conn","tsx":1733113199.123}', recv), at);
  assert.equal(filed('{"_path":"conn","ts":"not a time"}', recv), at);
  assert.equal(filed('{"_path":"conn" "ts":1733113199.123}', recv), at);
  assert.equal(filed('{"_path":"unterminated', recv), at);
});

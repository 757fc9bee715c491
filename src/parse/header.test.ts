/** Syslog headers that devices and application loggers write in their own ways. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from './index.js';

const parse = (line: string, receivedAt: number) => {
  const ev = parseLine({ line, receivedAt, source: 't' }, { entities: false });
  return { time: new Date(ev.time).toISOString(), host: ev.host, app: ev.app, message: ev.message, format: ev.format };
};

test('cisco: a zone name after the time (`show-timezone`) sets the offset and is never the app', () => {
  const recv = Date.UTC(2024, 2, 1, 6);
  const msg = '%SYS-5-CONFIG_I: Configured from console';
  assert.deepEqual(parse(`<189>57: *Mar  1 01:02:03.456 UTC: ${msg}`, recv), { time: '2024-03-01T01:02:03.456Z', host: null, app: null, message: msg, format: 'rfc3164' });
  assert.deepEqual(parse(`<189>57: *Mar  1 01:02:03.456 CET: ${msg}`, recv), { time: '2024-03-01T00:02:03.456Z', host: null, app: null, message: msg, format: 'rfc3164' });
  assert.deepEqual(parse(`<189>57: Mar  1 01:02:03.456 EDT: ${msg}`, recv).time, '2024-03-01T05:02:03.456Z');
  assert.deepEqual(parse(`<189>57: Mar  1 01:02:03 CEST: ${msg}`, recv).time, '2024-02-29T23:02:03.000Z');
  assert.deepEqual(parse(`<189>57: Mar  1 10:02:03 JST: ${msg}`, recv).time, '2024-03-01T01:02:03.000Z');
  // an unknown zone before a Cisco message is still a zone, read at the configured offset (UTC here)
  assert.deepEqual(parse(`<189>57: *Mar  1 01:02:03.456 XYZ: ${msg}`, recv), { time: '2024-03-01T01:02:03.456Z', host: null, app: null, message: msg, format: 'rfc3164' });
  // an unknown capitalized word before anything else is a tag, as before
  assert.deepEqual(parse('<13>Mar  1 01:02:03 ABC: hello', recv).app, 'ABC');
});

test('app logs: a level word after an ISO time is no host (the line is an app log, timed by its leading time)', () => {
  const recv = Date.UTC(2024, 5, 1, 11);
  for (const level of ['INFO', 'ERROR', 'warn', 'Warning', 'DEBUG', 'TRACE', 'NOTICE', 'ERR', 'CRIT', 'CRITICAL', 'FATAL']) {
    const ev = parse(`2024-06-01T10:00:00Z ${level} db: connection refused`, recv);
    assert.equal(ev.host, null, level);
    assert.equal(ev.format, 'raw', level);
    assert.equal(ev.time, '2024-06-01T10:00:00.000Z', level);
  }
  // a host is still a host
  assert.deepEqual(parse('2024-06-01T10:00:00Z myhost sshd[1]: Accepted password for bob', recv).host, 'myhost');
  assert.deepEqual(parse('<14>Jan  2 10:00:00 information app: x', recv).host, 'information');
  // with a PRI the line is syslog, without a host
  assert.deepEqual(parse('<11>2024-06-01T10:00:00Z ERROR db: connection refused', recv), {
    time: '2024-06-01T10:00:00.000Z', host: null, app: null, message: 'ERROR db: connection refused', format: 'rfc3164',
  });
});

test('pri without a syslog header: timed by the leading time of the rest, as the same line without the PRI', () => {
  const recv = Date.UTC(2024, 5, 3, 12);
  const line = '2024-06-01 10:00:00,123 INFO myapp: user=alice logged in';
  assert.equal(parse(line, recv).time, '2024-06-01T10:00:00.123Z');
  assert.deepEqual(parse(`<14>${line}`, recv), { time: '2024-06-01T10:00:00.123Z', host: null, app: null, message: line, format: 'rfc3164' });
  assert.equal(parse('<14>{"timestamp":"2024-06-01T10:00:00.000+0000","event_type":"alert"}', recv).time, '2024-06-01T10:00:00.000Z');
  assert.equal(parse(`<14>\ufeff${line}`, recv).time, '2024-06-01T10:00:00.123Z');
  // no leading time: the receive time, as before
  assert.equal(parse('<14>hello 2024-06-01 10:00:00', recv).time, '2024-06-03T12:00:00.000Z');
});

test('colour codes (journald, coloured daemons) are in no header field, and raw keeps them byte for byte', () => {
  const recv = Date.UTC(2024, 9, 12);
  const full = (line: string) => parseLine({ line, receivedAt: recv, source: 't' });
  const want = { time: '2024-10-11T22:14:15.000Z', host: 'web01', app: 'sshd', message: 'Accepted password for bob from 203.0.113.9 port 22 ssh2', format: 'rfc3164' };
  for (const line of [
    '<34>Oct 11 22:14:15 web01 \x1b[32msshd\x1b[0m[4242]: Accepted password for bob from 203.0.113.9 port 22 ssh2',
    '<34>Oct 11 22:14:15 \x1b[1mweb01\x1b[0m sshd[4242]: Accepted password for bob from 203.0.113.9 port 22 ssh2',
    '<34>Oct 11 22:14:15 web01 sshd[4242]: Accepted password for \x1b[33mbob\x1b[0m from \x1b[1m203.0.113.9\x1b[0m port 22 ssh2',
    '\x1b[2mOct 11 22:14:15\x1b[0m web01 \x1b[32msshd\x1b[0m[4242]: \x1b[32mAccepted password for bob from 203.0.113.9 port 22 ssh2\x1b[0m',
  ]) {
    assert.deepEqual(parse(line, recv), want, JSON.stringify(line));
    const ev = full(line);
    assert.equal(ev.raw, line);
    assert.equal(ev.pid, '4242');
    assert.deepEqual(ev.entities.map((e) => `${e.kind}:${e.value}`), ['ip:203.0.113.9', 'port:22', 'user:bob']);
  }
  const ev = full('<34>1 2024-10-11T22:14:15Z \x1b[1mweb01\x1b[0m \x1b[32msshd\x1b[0m \x1b[2m4242\x1b[0m - [x ip="\x1b[1m10.0.0.1\x1b[0m"] hi');
  assert.deepEqual([ev.format, ev.host, ev.app, ev.pid, ev.structured, ev.message], ['rfc5424', 'web01', 'sshd', '4242', { x: { ip: '10.0.0.1' } }, 'hi']);
  // a line that is no syslog is kept whole, codes and all, as its message
  const raw = '\x1b[31mERROR\x1b[0m disk full';
  assert.deepEqual([full(raw).format, full(raw).message], ['raw', raw]);
});

test("a PAN-OS firewall's line, which has no syslog tag, has the app panos: with a header, a PRI alone or bare; a tag or another CSV keeps its own", () => {
  const recv = Date.UTC(2024, 11, 2, 4, 10, 30);
  const pan = '1,2024/12/02 04:10:00,016401002737,TRAFFIC,end,2561,2024/12/02 04:09:58,10.0.2.57,198.51.100.220,0.0.0.0,0.0.0.0,allow-out,,,ssl';
  const threat = '1,2024/12/02 04:11:00,016401002737,THREAT,url,2561,2024/12/02 04:10:59,10.0.2.57,198.51.100.220,0.0.0.0';
  assert.equal(parse(`<14>Dec  2 04:10:05 fw01 ${pan}`, recv).app, 'panos');
  assert.equal(parse(`<14>Dec  2 04:10:05 fw01 ${pan}`, recv).host, 'fw01');
  assert.equal(parse(`Dec  2 04:10:05 fw01 ${threat}`, recv).app, 'panos');
  assert.equal(parse(`<14>${pan}`, recv).app, 'panos');
  assert.equal(parse(pan, recv).app, 'panos');
  // a program that logs such a line keeps its name; CSV of another kind has no app
  assert.equal(parse(`<14>Dec  2 04:10:05 fw01 relay: ${pan}`, recv).app, 'relay');
  assert.equal(parse('<14>Dec  2 04:10:05 fw01 53,,,1000000301,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,460,10.0.2.2,10.0.2.15,53742,22', recv).app, null);
  assert.equal(parse('1,2024/12/02 04:10:00,016401002737,traffic,end', recv).app, null);
});

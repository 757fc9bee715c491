import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine, trustedTime } from './index.js';

const at = (line: string) => parseLine({ line, receivedAt: 1, source: 't' }).time;

test('Zeek TSV and JSON, Suricata EVE: the record time, not the receive time', () => {
  assert.equal(at('1521053384.406235\tCmt5uE1JxRH3zRkYh6\t10.47.1.10\t53155\t10.47.1.1\t53\tudp\t4097\texample.com'), 1521053384406);
  assert.equal(at('{"ts":1521053384.406235,"uid":"C1","id.orig_h":"10.47.1.10"}'), 1521053384406);
  assert.equal(at('{"ts":"2018-03-14T18:49:44.406235Z","uid":"C1"}'), Date.UTC(2018, 2, 14, 18, 49, 44, 406));
  assert.equal(at('{"timestamp":"2018-03-14T18:49:44.406235+0000","flow_id":1,"event_type":"flow"}'), Date.UTC(2018, 2, 14, 18, 49, 44, 406));
  // Squid's native access.log: the time, then duration, client and result code
  assert.equal(at('1521053384.406    245 10.47.1.10 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html'), 1521053384406);
  assert.equal(at('1521053384.406 12 10.47.1.10 TCP_TUNNEL/200 5120 CONNECT example.com:443 bob HIER_DIRECT/93.184.216.34 -'), 1521053384406);
});

test("Apache and nginx access logs (common, combined, vhost_combined): the bracketed time with its own offset", () => {
  assert.equal(at('203.0.113.5 - - [30/Nov/2026:10:00:00 +0000] "GET /login.php HTTP/1.1" 200 512 "http://evil.example/x" "Mozilla/5.0"'), Date.UTC(2026, 10, 30, 10));
  assert.equal(at('10.0.0.5 - alice [30/Nov/2026:10:00:00 -0500] "GET http://evil.example/a HTTP/1.1" 200 512'), Date.UTC(2026, 10, 30, 15));
  assert.equal(at('2001:db8::5 - - [01/Dec/2026:23:59:59 +0930] "GET / HTTP/1.1" 200 5'), Date.UTC(2026, 11, 1, 14, 29, 59));
  assert.equal(at('www.example.com:443 203.0.113.5 - - [30/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 5'), Date.UTC(2026, 10, 30, 9));
  // look-alikes keep the receive time: no offset, a bad month, the bracket too far in, a date that does not exist
  assert.equal(at('203.0.113.5 - - [30/Nov/2026:10:00:00] "GET /"'), 1);
  assert.equal(at('203.0.113.5 - - [30/Foo/2026:10:00:00 +0000] "GET /"'), 1);
  assert.equal(at('a b c d e [30/Nov/2026:10:00:00 +0000]'), 1);
  assert.equal(at('203.0.113.5 - - [31/Nov/2026:10:00:00 +0000] "GET /"'), 1);
  assert.equal(at('203.0.113.5 - - [30/Nov/2026:10:00:00 +00'), 1);
  assert.equal(at('203.0.113.5 - - [30/Nov/2026:10:00:00 +2500] "GET /"'), 1, 'no zone is 25 hours off');
  assert.equal(at('203.0.113.5 - - [30/Nov/2026:10:00:00 +1400] "GET /"'), Date.UTC(2026, 10, 29, 20), 'Kiribati is');
});

test('numbers that only look like epoch seconds keep the receive time', () => {
  assert.equal(at('1521053384 no fraction'), 1);
  assert.equal(at('1521053384.5 followed by a space'), 1);
  assert.equal(at('1521053384.406 245 but no client and result code'), 1);
  assert.equal(at('1521053384.4062 245 10.47.1.10 TCP_MISS/200 four decimals'), 1);
  assert.equal(at('152105338.4\tnine digits'), 1);
  assert.equal(at('{"ts":"not a time"}'), 1);
  assert.equal(at('{"tsx":1521053384.4}'), 1);
});

test('the time a line is filed under: its own, unless none, before the epoch, or more than a day ahead of arrival', () => {
  const at = Date.UTC(2026, 10, 30, 12);
  assert.equal(trustedTime(Date.UTC(2018, 2, 24), at), Date.UTC(2018, 2, 24), 'an old log replayed keeps its time');
  assert.equal(trustedTime(at + 23 * 3600_000, at), at + 23 * 3600_000, 'a clock a little ahead is believed');
  assert.equal(trustedTime(at + 25 * 3600_000, at), at, 'a day ahead is a wrong clock or year');
  assert.equal(trustedTime(Number.NaN, at), at);
  assert.equal(trustedTime(-1, at), at);
  // shard paths hold a four-digit year: year 10000 is never a line's time, even beside a receive time at the end of 9999
  const late = Date.UTC(9999, 11, 31, 23);
  assert.equal(trustedTime(Date.UTC(10000, 0, 1, 1), late), late);
});

test('an offset after a space: +hh:mm, or +hhmm as Ruby and %z write it', () => {
  const noon = Date.UTC(2026, 0, 1, 12);
  assert.equal(at('2026-01-01 07:00:00 -05:00 web-01 app: started'), noon);
  assert.equal(at('2026-01-01 07:00:00 -0500 web-01 app: started'), noon);
  assert.equal(at('2026-01-01 17:30:00 +0530 web-01 app: started'), noon);
  // five digits are no offset: the time is read as it stands
  assert.equal(at('2026-01-01 12:00:00 -05001 web-01 app: started'), noon);
});

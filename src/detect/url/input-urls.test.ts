/** An input to score is a URL, scored as it is, or a log line whose URLs are the ones the live scorer finds in it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingsSink } from '../detector.js';
import { inputUrls, isLogLine, lineUrls } from './input-urls.js';
import { UrlLiveScorer } from './live.js';
import { alwaysFlagged, zeekSslTsv } from './testing.js';

const SQUID = '1700000000.123    45 10.0.0.5 TCP_MISS/200 512 GET http://example.com/a.js - HIER_DIRECT/1.2.3.4 application/javascript';
const CONNECT = '1704189602.456     12 10.0.2.58 TCP_TUNNEL/200 5120 CONNECT Login-Verify-Portal.info:443 corp%5Cbob HIER_DIRECT/203.0.113.81 -';
const EVE_HTTP = '{"timestamp":"2024-01-02T10:00:00.000000+0000","event_type":"http","src_ip":"10.0.2.57","http":{"hostname":"Files.Example.net","url":"/dl/setup.exe","http_method":"GET"}}';

test('a URL is scored as it is: no whitespace once trimmed, whatever else it holds', () => {
  for (const u of ['http://example.com/a.js', ' http://example.com/a.js \r', '\thttp://a.com/x', 'example.com/a b'.replace(' ', '%20'), 'not-a-url', 'http://a.com/\0x', '']) {
    assert.equal(isLogLine(u), false, JSON.stringify(u));
    assert.equal(inputUrls(u), null, JSON.stringify(u));
  }
});

test('an input holding whitespace, or a JSON record, is a log line: its URLs in findings\' form, each once, in the line\'s order', () => {
  const cases: [string, string[]][] = [
    [SQUID, ['example.com/a.js']],
    // Squid's HTTPS tunnel and TLS records: the server name as `<name>/`
    [CONNECT, ['login-verify-portal.info/']],
    [zeekSslTsv('update.googleapis.com'), ['update.googleapis.com/']],
    // an HTTP record keeps host and path apart; a JSON record is a line without a space in it too
    [EVE_HTTP, ['files.example.net/dl/setup.exe']],
    ['{"msg":"no url"}', []],
    // two spellings of one URL are one; a second URL follows in its place
    ['GET http://A.tk:80/x then http://a.tk/x and https://b.tk/y.', ['a.tk/x', 'b.tk/y']],
    ['http://b.com/\tx\ry', ['b.com/']],
    // whitespace and no URL: a sentence, a URL without a scheme in prose, a syslog line
    ['not a url', []],
    ['see example.com/a b', []],
    ['Jan  2 10:00:03 host sshd[812]: Accepted password for bob from 10.0.0.5 port 22', []],
  ];
  for (const [line, urls] of cases) {
    assert.equal(isLogLine(line), true, line);
    assert.deepEqual(lineUrls(line), urls, line);
    assert.deepEqual(inputUrls(line), urls, line);
  }
});

test('a log line\'s URLs are the ones the live scorer scores for it', async () => {
  const lines = [SQUID, CONNECT, EVE_HTTP, zeekSslTsv('update.googleapis.com'), 'GET http://A.tk:80/x then http://a.tk/x and https://b.tk/y.', 'a ftp://files.example.org/pub/x.iso b'];
  for (const line of lines) {
    const model = alwaysFlagged();
    const sink: FindingsSink = { record: () => undefined };
    const live = new UrlLiveScorer({ detector: model, sink });
    live.offer([line], 1_700_000_000_000);
    await live.flush();
    await live.close();
    assert.deepEqual(lineUrls(line), model.scored, line);
  }
});

test('with url.tlsNames false a line names no TLS server name or CONNECT host, as the live scorer reads it; its other URLs stay', async () => {
  const mixed = `${CONNECT} then http://a.tk/x`;
  for (const line of [CONNECT, zeekSslTsv('update.googleapis.com'), mixed, SQUID]) {
    const model = alwaysFlagged();
    const live = new UrlLiveScorer({ detector: model, sink: { record: () => undefined }, tlsNames: false });
    live.offer([line], 1_700_000_000_000);
    await live.flush();
    await live.close();
    assert.deepEqual(lineUrls(line, false), model.scored, line);
    assert.deepEqual(inputUrls(line, false), model.scored, line);
  }
  assert.deepEqual(lineUrls(CONNECT, false), []);
  assert.deepEqual(lineUrls(mixed, false), ['a.tk/x']);
  assert.deepEqual(lineUrls(mixed), ['a.tk/x', 'login-verify-portal.info/'], 'true, the default, as before');
});

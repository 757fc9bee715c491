/** scoreInputs: a URL as the detector scores it, a log line by the highest of its URLs (naming it), no URL as URL_NOT_FOUND; in input order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScoreResult } from '../detector.js';
import { scoreInputs, type InputScorer } from './score-inputs.js';
import { trainFixtureModel, zeekSslTsv } from './testing.js';
import { UrlDetector } from './url-detector.js';

/** A detector whose score is the URL's length / 128 (capped at 1; exact in a Float32Array too); blank is URL_EMPTY. It records what it was asked. */
function lengthScorer(): InputScorer & { asked: string[][] } {
  const score = (u: string): number => Math.min(1, u.length / 128);
  const asked: string[][] = [];
  return {
    asked,
    score: async (urls) => {
      asked.push([...urls]);
      return urls.map((subject): ScoreResult => (subject.trim() === '' ? { subject, error: { code: 'URL_EMPTY', message: 'url: empty string; give a URL' } } : { subject, score: score(subject), explanation: { summary: `len ${subject.length}`, detail: null } }));
    },
    scoreFast: async (urls) => {
      asked.push([...urls]);
      return Float32Array.from(urls, (u) => (u.trim() === '' ? 0 : score(u)));
    },
  };
}

test('scoreInputs: URLs as the detector scores them, log lines by their highest URL, in input order, one batch', async () => {
  const d = lengthScorer();
  const line = 'GET http://a.tk/x then http://b.tk/longer-path?q=1 ok';
  const inputs = ['http://one.example/', line, 'no url here', '', 'GET http://only.tk/ 200'];
  const got = await scoreInputs(d, inputs);
  assert.deepEqual(d.asked, [['http://one.example/', 'a.tk/x', 'b.tk/longer-path?q=1', '', 'only.tk/']], 'every input\'s URLs go as one batch');
  assert.deepEqual(got.map((r) => r.subject), inputs);
  assert.deepEqual(got[0], { subject: 'http://one.example/', score: 19 / 128, explanation: { summary: 'len 19', detail: null } }, 'a URL\'s result is the detector\'s, nothing added');
  assert.deepEqual(got[1], {
    subject: line,
    item: line,
    scored: 'b.tk/longer-path?q=1',
    score: 20 / 128,
    urls: [
      { url: 'a.tk/x', score: 6 / 128 },
      { url: 'b.tk/longer-path?q=1', score: 20 / 128 },
    ],
    explanation: { summary: 'len 20', detail: null },
  });
  assert.equal(got[2]!.error!.code, 'URL_NOT_FOUND');
  assert.equal(got[2]!.item, 'no url here');
  assert.equal(got[2]!.score, undefined);
  assert.equal(got[3]!.error!.code, 'URL_EMPTY');
  assert.deepEqual(got[4], { subject: inputs[4], item: inputs[4], scored: 'only.tk/', score: 8 / 128, explanation: { summary: 'len 8', detail: null } }, 'one URL: no urls list');
});

test('scoreInputs without explanations: the fast path, the same results less the explanations', async () => {
  const d = lengthScorer();
  const inputs = ['http://one.example/', 'GET http://a.tk/x then http://b.tk/longer-path?q=1 ok', 'no url here', ' '];
  const slow = await scoreInputs(d, inputs);
  const fast = await scoreInputs(d, inputs, false);
  assert.deepEqual(fast, slow.map(({ explanation: _, ...r }) => r));
  // of equal scores, the first URL is the one named
  const tie = await scoreInputs(d, ['x http://aa.tk/ http://bb.tk/'], false);
  assert.equal(tie[0]!.scored, 'aa.tk/');
});

test('scoreInputs with the url detector: a squid line scores exactly as the URL it names, and a bare URL as before', async () => {
  const d = UrlDetector.load(trainFixtureModel('ngram'));
  try {
    const url = 'http://paypal-abcd.tk/login/signin.php1';
    const squid = `1700000000.123    45 10.0.0.5 TCP_MISS/200 512 GET ${url} - HIER_DIRECT/1.2.3.4 text/html`;
    const [bare, line] = await scoreInputs(d, [url, squid]);
    assert.equal(line!.score, bare!.score);
    assert.deepEqual(bare, d.scoreOne(url));
    assert.equal(line!.scored, 'paypal-abcd.tk/login/signin.php1');
    const fast = await scoreInputs(d, [url, squid], false);
    assert.equal(fast[0]!.score, (await d.scoreFast([url]))[0], 'the fast path scores a URL as before');
    assert.equal(fast[1]!.score, fast[0]!.score);
  } finally {
    await d.close();
  }
});

test('scoreInputs with tlsNames false (url.tlsNames): a TLS record or CONNECT line names no URL, URL_NOT_FOUND saying why; true scores the name', async () => {
  const connect = '1704189602.456     12 10.0.2.58 TCP_TUNNEL/200 5120 CONNECT Login-Verify-Portal.info:443 - HIER_DIRECT/203.0.113.81 -';
  const inputs = [zeekSslTsv('update.googleapis.com'), connect, 'no url here', 'GET http://a.tk/x 200'];
  for (const explain of [true, false]) {
    const off = await scoreInputs(lengthScorer(), inputs, explain, false);
    assert.deepEqual(off.map((r) => r.error?.code ?? r.scored), ['URL_NOT_FOUND', 'URL_NOT_FOUND', 'URL_NOT_FOUND', 'a.tk/x']);
    assert.match(off[0]!.error!.message, /its TLS server name or CONNECT host is not read, as url\.tlsNames is false .*set url\.tlsNames to true to score it/);
    assert.match(off[1]!.error!.message, /as url\.tlsNames is false/);
    assert.doesNotMatch(off[2]!.error!.message, /tlsNames/, 'a line of no URL at all is told as before');
    const on = await scoreInputs(lengthScorer(), inputs, explain, true);
    assert.deepEqual(on.map((r) => r.error?.code ?? r.scored), ['update.googleapis.com/', 'login-verify-portal.info/', 'URL_NOT_FOUND', 'a.tk/x']);
    assert.deepEqual((await scoreInputs(lengthScorer(), inputs, explain)).map((r) => r.scored), on.map((r) => r.scored), 'true by default');
  }
});

/** POST /api/detect/url: scores with explanations, scores only, bad URLs as per-item errors, log lines by their URLs, validation, auth, absent without a detector. */
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { UrlDetector } from '../../detect/index.js';
import { trainFixtureModel, zeekSslTsv } from '../../detect/url/testing.js';
import type { DetectUrlResponse } from '../api.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';

test('POST /api/detect/url scores a batch in order, explains, and reports bad URLs per item', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  try {
    const urls = ['http://paypal-abcd.tk/login/signin.php1', 'https://docs.example.org/help/x.html', ''];
    const r = await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls } });
    assert.equal(r.statusCode, 200);
    const body = r.json<DetectUrlResponse>();
    assert.equal(body.modelVersion, d.modelVersion);
    assert.equal(body.threshold, d.threshold, 'the model\'s threshold when url.threshold is not set');
    assert.deepEqual(body.results.map((x) => x.subject), urls);
    assert.ok(body.results[0]!.score! > body.results[1]!.score!);
    assert.ok(body.results[0]!.explanation!.summary.startsWith('score '));
    assert.equal(body.results[2]!.error!.code, 'URL_EMPTY');
    const fast = await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls, explain: false } });
    const fb = fast.json<DetectUrlResponse>();
    assert.equal(fb.results[0]!.explanation, undefined);
    assert.ok(Math.abs(fb.results[0]!.score! - body.results[0]!.score!) < 1e-5);
    // an empty URL is the same per-item error with and without explanations
    assert.deepEqual(fb.results[2], body.results[2]);
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [{}] } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [], extra: 1 } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', payload: { urls } })).statusCode, 401);
  } finally {
    await app.close();
    await d.close();
  }
});

test('POST /api/detect/url: an item holding a space is a log line scored by the highest of its URLs, which it names; none is URL_NOT_FOUND', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  try {
    const bad = 'http://paypal-abcd.tk/login/signin.php1';
    const benign = 'https://docs.example.org/help/x.html';
    const squid = `1700000000.123    45 10.0.0.5 TCP_MISS/200 512 GET ${bad} - HIER_DIRECT/1.2.3.4 text/html`;
    const urls = [bad, benign, squid, `from ${benign} to ${bad}`, 'no url in this line'];
    for (const explain of [true, false]) {
      const r = await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls, explain } });
      assert.equal(r.statusCode, 200);
      const [u0, u1, line, two, none] = r.json<DetectUrlResponse>().results;
      assert.deepEqual([u0!.item, u0!.scored], [undefined, undefined], 'a URL\'s result is as before');
      assert.deepEqual([line!.subject, line!.item, line!.scored, line!.score, line!.urls], [squid, squid, 'paypal-abcd.tk/login/signin.php1', u0!.score, undefined]);
      assert.equal(line!.explanation === undefined, !explain);
      assert.deepEqual([two!.scored, two!.score], ['paypal-abcd.tk/login/signin.php1', u0!.score]);
      assert.deepEqual(two!.urls, [
        { url: 'docs.example.org/help/x.html', score: u1!.score },
        { url: 'paypal-abcd.tk/login/signin.php1', score: u0!.score },
      ]);
      assert.deepEqual([none!.subject, none!.item, none!.score, none!.error?.code], [urls[4], urls[4], undefined, 'URL_NOT_FOUND']);
    }
    // text/plain: a pasted access.log, one line an item
    const text = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: `${squid}\nnot a url\n` });
    assert.deepEqual(text.json<DetectUrlResponse>().results.map((x) => x.scored ?? x.error?.code), ['paypal-abcd.tk/login/signin.php1', 'URL_NOT_FOUND']);
  } finally {
    await app.close();
    await d.close();
  }
});

test('POST /api/detect/url is absent without a url detector', async () => {
  const app = await buildApp(fakeDeps());
  try {
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [] } })).statusCode, 404);
  } finally {
    await app.close();
  }
});

test('POST /api/detect/url: concurrent requests with the Bag-of-Bytes model each get their own scores', async () => {
  const d = UrlDetector.load(trainFixtureModel('bob'));
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  try {
    const post = async (urls: string[]): Promise<number[]> => (await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls, explain: false } })).json<DetectUrlResponse>().results.map((r) => r.score!);
    const benign = ['https://docs.example.org/help/x.html', 'shop.example.com/products/x'];
    const bad = ['http://paypal-abcd.tk/login/signin.php1', 'http://appleid-abcd.xyz/login/signin.php99'];
    const alone = [await post(benign), await post(bad)];
    assert.deepEqual(await Promise.all([post(benign), post(bad)]), alone);
  } finally {
    await app.close();
    await d.close();
  }
});

test('POST /api/detect/url refuses items that are not strings (no coercion), naming the first; text/plain is one URL a line', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  const post = (payload: unknown, type = 'application/json') => app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': type }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  try {
    for (const explain of [true, false]) {
      const mixed = await post({ urls: ['a', 5, true, null], explain });
      assert.equal(mixed.statusCode, 400);
      assert.equal(mixed.json().error.code, 'URL_INVALID');
      assert.match(mixed.json().error.message, /urls\[1\] is a number \(5\), not a string; send each URL as a JSON string/);
      assert.match((await post({ urls: ['a', null] })).json().error.message, /urls\[1\] is null/);
    }
    const one = await post({ urls: 'http://a.com/' });
    assert.equal(one.statusCode, 400);
    assert.match(one.json().error.message, /urls is a string, not a list; send \{"urls": \[/);
    const text = await post('http://paypal-abcd.tk/login/signin.php1\r\n\ndocs.example.org/\n', 'text/plain; charset=utf-8');
    assert.equal(text.statusCode, 200);
    const results = text.json<DetectUrlResponse>().results;
    assert.deepEqual(results.map((r) => r.subject), ['http://paypal-abcd.tk/login/signin.php1', '', 'docs.example.org/']);
    assert.equal(results[1]!.error!.code, 'URL_EMPTY');
    assert.ok(results[0]!.explanation !== undefined);
    const blank = await post('\n \n', 'text/plain');
    assert.equal(blank.statusCode, 400);
    assert.equal(blank.json().error.code, 'URL_NO_INPUT');
    const form = await post('urls=a', 'application/x-www-form-urlencoded');
    assert.equal(form.statusCode, 400);
    assert.deepEqual(form.json().error.details.accepted, ['application/json', 'text/plain']);
  } finally {
    await app.close();
    await d.close();
  }
});

/** `POST /api/detect/url` of `urls`, with and without explanations, on an app of the fixture model (and `deps`); each answer to `check`. */
async function postBoth(urls: string[], check: (body: DetectUrlResponse) => void, deps: { urlThreshold?: number; urlTlsNames?: boolean } = {}): Promise<void> {
  const d = UrlDetector.load(trainFixtureModel());
  const app = await buildApp(fakeDeps({ urlDetector: d, ...deps }));
  try {
    for (const explain of [true, false]) {
      const r = await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls, explain } });
      assert.equal(r.statusCode, 200);
      check(r.json<DetectUrlResponse>());
    }
  } finally {
    await app.close();
    await d.close();
  }
}

test('POST /api/detect/url answers with the threshold live scoring flags at: url.threshold when set', async () => {
  // before, the response named the model but not the score it is judged against
  await postBoth(['http://a.com/'], (body) => assert.equal(body.threshold, 0.5), { urlThreshold: 0.5 });
});

test('POST /api/detect/url: an item that is no web URL (javascript:, data:, mailto:, about:, a bare path) is the per-item error URL_NOT_WEB, as on the CLI', async () => {
  const urls = ['javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'mailto:a@b.com', 'about:blank', '/', 'http://a.com/'];
  await postBoth(urls, ({ results }) => {
    assert.deepEqual(results.map((x) => x.error?.code ?? 'scored'), ['URL_NOT_WEB', 'URL_NOT_WEB', 'URL_NOT_WEB', 'URL_NOT_WEB', 'URL_NOT_WEB', 'scored']);
    assert.deepEqual(results.map((x) => x.subject), urls);
  });
});

test('POST /api/detect/url: a blob: URL is scored as the web URL after blob: (detail.scored names it); blob:null/… is URL_NOT_WEB', async () => {
  // before, the item was scored as written (shipped n-gram model: blob:https://evil.tk/1234-abcd 0.907, its web URL 0.959)
  const urls = ['blob:https://evil.tk/1234-abcd', 'https://evil.tk/1234-abcd', 'blob:null/1234-abcd'];
  await postBoth(urls, ({ results }) => {
    assert.equal(results[0]!.score, results[1]!.score);
    assert.equal(results[2]!.error?.code, 'URL_NOT_WEB');
    if (results[0]!.explanation !== undefined) assert.equal((results[0]!.explanation.detail as { scored?: string }).scored, 'evil.tk/1234-abcd');
  });
});

test('POST /api/detect/url refuses a gzip (or xz, zstd…) body, text/plain or JSON, with or without Content-Encoding: gzip, which it does not decode', async () => {
  // before: 200, the gzip bytes scored as one URL (fixture model 0.445)
  const d = UrlDetector.load(trainFixtureModel());
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  try {
    const payload = gzipSync('http://paypal-abcd.tk/login/signin.php1\nhttps://docs.example.org/help/x.html\n');
    for (const encoding of [{}, { 'content-encoding': 'gzip' }]) {
      const r = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'text/plain', ...encoding }, payload });
      assert.equal(r.statusCode, 400);
      const { error } = r.json<{ error: { code: string; message: string } }>();
      assert.equal(error.code, 'URL_BODY_COMPRESSED');
      assert.match(error.message, /^request: the text\/plain body is gzip-compressed \(it starts with the bytes 1f 8b\), .*POST \/api\/detect\/url decodes no Content-Encoding .*send it uncompressed \(zcat first\)$/);
    }
    // the same for a JSON body (it got Fastify's "not valid JSON") and for other formats ingest tells (xz: scored as text)
    const json = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'application/json' }, payload: gzipSync(JSON.stringify({ urls: ['http://a.tk/'] })) });
    assert.equal(json.statusCode, 400);
    assert.equal(json.json<{ error: { code: string } }>().error.code, 'URL_BODY_COMPRESSED');
    assert.match(json.json<{ error: { message: string } }>().error.message, /^request: the JSON body is gzip-compressed .*read as JSON text/);
    const xz = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6]) });
    assert.equal(xz.statusCode, 400);
    assert.match(xz.json<{ error: { message: string } }>().error.message, /the text\/plain body is xz-compressed .*\(xz -dc first\)$/);
    // JSON that is not compressed is read as before, its mistakes said as before
    const bad = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"urls": [' });
    assert.equal(bad.statusCode, 400);
    assert.notEqual(bad.json<{ error: { code: string } }>().error.code, 'URL_BODY_COMPRESSED');
    const ok = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ urls: ['http://a.tk/'] }) });
    assert.equal(ok.json<DetectUrlResponse>().results.length, 1);
    const poisoned = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"urls": ["http://a.tk/"], "__proto__": {"x": 1}}' });
    assert.equal(poisoned.statusCode, 400, 'Fastify still refuses a __proto__ key');
    // the same text uncompressed is scored, two items
    const plain = await app.inject({ method: 'POST', url: '/api/detect/url', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'http://paypal-abcd.tk/login/signin.php1\nhttps://docs.example.org/help/x.html\n' });
    assert.equal(plain.json<DetectUrlResponse>().results.length, 2);
  } finally {
    await app.close();
    await d.close();
  }
});

test('POST /api/detect/url follows url.tlsNames: false, a zeek ssl or squid CONNECT line names no URL (URL_NOT_FOUND); true, its server name is scored', async () => {
  // before, the route read TLS names and CONNECT hosts whatever url.tlsNames said (live scoring followed it)
  const urls = [zeekSslTsv('update.googleapis.com'), '1704189602.456     12 10.0.2.58 TCP_TUNNEL/200 5120 CONNECT Login-Verify-Portal.info:443 - HIER_DIRECT/203.0.113.81 -'];
  await postBoth(urls, ({ results }) => {
    assert.deepEqual(results.map((x) => x.error?.code), ['URL_NOT_FOUND', 'URL_NOT_FOUND']);
    assert.match(results[0]!.error!.message, /url\.tlsNames is false/);
  }, { urlTlsNames: false });
  for (const deps of [{ urlTlsNames: true }, {}]) {
    await postBoth(urls, ({ results }) => assert.deepEqual(results.map((x) => x.scored), ['update.googleapis.com/', 'login-verify-portal.info/']), deps);
  }
});

test('POST /api/detect/url: a URL that names another host before @ keeps the model\'s score; the rule is detail.deception (explain: false: deception); an empty host is URL_NOT_WEB', async () => {
  // before: http://paypal.com@evil.tk/ answered as http://evil.tk/, nothing said of its userinfo; http:///x was scored as the host x
  const d = UrlDetector.load(trainFixtureModel());
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  try {
    const urls = ['http://paypal.com:pw@evil.tk/', 'http://evil.tk/', 'http:///x', 'blob:https:///x'];
    const full = (await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls } })).json<DetectUrlResponse>();
    assert.equal(full.results[0]!.score, full.results[1]!.score);
    assert.deepEqual((full.results[0]!.explanation!.detail as { deception: unknown }).deception, { rule: 'userinfo-host', userinfo: 'paypal.com:…', named: 'paypal.com', host: 'evil.tk' });
    assert.match(full.results[0]!.explanation!.summary, /userinfo deception/);
    assert.equal(full.results[0]!.deception, undefined);
    assert.deepEqual(full.results.slice(2).map((r) => r.error?.code), ['URL_NOT_WEB', 'URL_NOT_WEB']);
    const fast = (await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls, explain: false } })).json<DetectUrlResponse>();
    assert.deepEqual(fast.results[0]!.deception, { rule: 'userinfo-host', userinfo: 'paypal.com:…', named: 'paypal.com', host: 'evil.tk' });
    assert.equal(fast.results[1]!.deception, undefined);
    assert.deepEqual(fast.results.slice(2).map((r) => r.error?.code), ['URL_NOT_WEB', 'URL_NOT_WEB']);
    // a log line naming two: each in `deceptions` (the response schema passes it), with explanations or without
    const line = 'GET http://paypal.com:pw@evil.tk/a http://google.com@bad.tk/b 200';
    for (const explain of [true, false]) {
      const res = (await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [line], explain } })).json<DetectUrlResponse>();
      assert.deepEqual(
        res.results[0]!.deceptions,
        [
          { url: 'evil.tk/a', rule: 'userinfo-host', userinfo: 'paypal.com:…', named: 'paypal.com', host: 'evil.tk' },
          { url: 'bad.tk/b', rule: 'userinfo-host', userinfo: 'google.com', named: 'google.com', host: 'bad.tk' },
        ],
        `explain ${explain}`,
      );
    }
  } finally {
    await app.close();
    await d.close();
  }
});
test('POST /api/detect/url: an IDN homograph of a popular domain is detail.deception (explain: false: deception), rule idn-homograph; the response schema passes shown and looksLike', async () => {
  // before: no rule; the fixture n-gram model's popularity table lists lzudip.com, whose look-alike lzudір.com (Cyrillic і, р) was scored as any host
  const d = UrlDetector.load(trainFixtureModel('ngram'));
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  try {
    const expected = { rule: 'idn-homograph', host: 'xn--lzud-j6d5k.com', shown: 'lzud\u0456\u0440.com', looksLike: 'lzudip.com' };
    const urls = ['http://xn--lzud-j6d5k.com/login', 'http://lzudip.com/login'];
    const full = (await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls } })).json<DetectUrlResponse>();
    assert.deepEqual((full.results[0]!.explanation!.detail as { deception: unknown }).deception, expected);
    assert.match(full.results[0]!.explanation!.summary, /IDN homograph: the host xn--lzud-j6d5k\.com shows as/);
    assert.equal((full.results[1]!.explanation!.detail as { deception?: unknown }).deception, undefined);
    const fast = (await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls, explain: false } })).json<DetectUrlResponse>();
    assert.deepEqual(fast.results[0]!.deception, expected);
    assert.equal(fast.results[1]!.deception, undefined);
    const line = 'GET http://paypal.com:pw@evil.tk/a http://lzud\u0456\u0440.com/b 200';
    const res = (await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [line], explain: false } })).json<DetectUrlResponse>();
    assert.deepEqual(res.results[0]!.deceptions, [
      { url: 'evil.tk/a', rule: 'userinfo-host', userinfo: 'paypal.com:…', named: 'paypal.com', host: 'evil.tk' },
      { url: 'xn--lzud-j6d5k.com/b', ...expected },
    ]);
  } finally {
    await app.close();
    await d.close();
  }
});


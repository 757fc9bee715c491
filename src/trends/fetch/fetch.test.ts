/** The polite fetcher against a local server: limits, retries, conditional GETs, robots.txt and a SOCKS5 proxy. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Fetcher } from './fetcher.js';
import { httpGet } from './http-get.js';
import { HostSpacing } from './limiter.js';
import { serve, startFixtureServer, startSocks5, type FixtureServer } from '../testing.js';
import { isAppError } from '../../core/index.js';

let srv: FixtureServer;
before(async () => {
  srv = await startFixtureServer();
});
after(async () => {
  await srv.close();
});

const fast = { perHostIntervalMs: 0, backoffMs: 1, timeoutMs: 2000, respectRobots: false };

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
}

test('a slow server times out with FEED_TIMEOUT instead of stalling', async () => {
  srv.route('/slow', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('a'); // then never ends
  });
  assert.equal(await code(new Fetcher({ ...fast, timeoutMs: 200, retries: 0 }).get(`${srv.url}/slow`, null)), 'FEED_TIMEOUT');
});

test('a body over the size limit is cut off with FEED_TOO_LARGE (declared or streamed)', async () => {
  srv.route('/huge', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let n = 0;
    const pump = (): void => {
      while (n++ < 200) if (!res.write(chunk)) return void res.once('drain', pump);
      res.end();
    };
    pump();
  });
  srv.route('/declared', serve(Buffer.alloc(5000), 'text/plain'));
  const f = new Fetcher({ ...fast, maxBytes: 1024 * 1024, retries: 0 });
  assert.equal(await code(f.get(`${srv.url}/huge`, null)), 'FEED_TOO_LARGE');
  assert.equal(await code(new Fetcher({ ...fast, maxBytes: 100 }).get(`${srv.url}/declared`, null)), 'FEED_TOO_LARGE');
});

test('endless redirects stop at the limit with FEED_REDIRECTS; a short chain is followed', async () => {
  srv.route('/loop', (_req, res) => void res.writeHead(302, { location: '/loop' }).end());
  srv.route('/r1', (_req, res) => void res.writeHead(301, { location: '/r2' }).end());
  srv.route('/r2', (_req, res) => void res.writeHead(307, { location: `${srv.url}/final` }).end());
  srv.route('/final', serve('done', 'text/plain'));
  assert.equal(await code(new Fetcher({ ...fast, maxRedirects: 3 }).get(`${srv.url}/loop`, null)), 'FEED_REDIRECTS');
  const ok = await new Fetcher(fast).get(`${srv.url}/r1`, null);
  assert.equal(ok.kind, 'ok');
  if (ok.kind === 'ok') {
    assert.equal(ok.result.url, `${srv.url}/final`);
    assert.equal(ok.result.body.toString(), 'done');
  }
});

test('5xx and 429 are retried with backoff; 404 is not', async () => {
  let calls = 0;
  srv.route('/flaky', (_req, res) => {
    calls++;
    if (calls < 3) res.writeHead(calls === 1 ? 503 : 429).end();
    else res.writeHead(200).end('finally');
  });
  const r = await new Fetcher({ ...fast, retries: 3 }).get(`${srv.url}/flaky`, null);
  assert.equal(r.kind, 'ok');
  assert.equal(r.attempts, 3);
  srv.route('/gone', (_req, res) => void res.writeHead(404).end());
  const before404 = srv.hits.get('/gone') ?? 0;
  assert.equal(await code(new Fetcher({ ...fast, retries: 3 }).get(`${srv.url}/gone`, null)), 'FEED_HTTP_STATUS');
  assert.equal((srv.hits.get('/gone') ?? 0) - before404, 1);
  let fails = 0;
  srv.route('/down', (_req, res) => void (fails++, res.writeHead(500).end()));
  assert.equal(await code(new Fetcher({ ...fast, retries: 2 }).get(`${srv.url}/down`, null)), 'FEED_HTTP_RETRYABLE');
  assert.equal(fails, 3);
});

test('conditional GET: ETag and Last-Modified are sent back and a 304 is not_modified', async () => {
  srv.route('/cond', (req, res) => {
    if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Mon, 02 Jan 2023 10:00:00 GMT') res.writeHead(304).end();
    else res.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 02 Jan 2023 10:00:00 GMT' }).end('body');
  });
  const f = new Fetcher(fast);
  const first = await f.get(`${srv.url}/cond`, null);
  assert.equal(first.kind, 'ok');
  if (first.kind !== 'ok') return;
  assert.deepEqual(first.validators, { etag: '"v1"', lastModified: 'Mon, 02 Jan 2023 10:00:00 GMT' });
  const second = await f.get(`${srv.url}/cond`, first.validators);
  assert.equal(second.kind, 'not_modified');
});

test('robots.txt: a disallowed path is refused, an allowed one fetched, crawl-delay spaces requests', async () => {
  const robo = await startFixtureServer();
  try {
    robo.route('/robots.txt', serve('User-agent: *\nDisallow: /private\nCrawl-delay: 0.05\n', 'text/plain'));
    robo.route('/private/x', serve('secret', 'text/plain'));
    robo.route('/public', serve('hello', 'text/plain'));
    const f = new Fetcher({ ...fast, respectRobots: true });
    assert.equal(await code(f.get(`${robo.url}/private/x`, null)), 'FEED_ROBOTS_DENIED');
    assert.equal(robo.hits.get('/private/x'), undefined);
    assert.equal((await f.get(`${robo.url}/public`, null)).kind, 'ok');
    assert.equal(robo.hits.get('/robots.txt'), 1, 'robots.txt is fetched once per origin');
  } finally {
    await robo.close();
  }
});

test('robots.txt is checked for every redirect: a source that redirects to a disallowed path, on its host or another, is not fetched', async () => {
  const robo = await startFixtureServer();
  const other = await startFixtureServer();
  try {
    robo.route('/robots.txt', serve('User-agent: *\nDisallow: /private\n', 'text/plain'));
    robo.route('/redir-private', (_req, res) => void res.writeHead(302, { location: '/private/feed.xml' }).end());
    robo.route('/private/feed.xml', serve('<rss/>', 'application/rss+xml'));
    robo.route('/redir-other', (_req, res) => void res.writeHead(301, { location: `${other.url}/closed/feed.xml` }).end());
    robo.route('/redir-open', (_req, res) => void res.writeHead(302, { location: `${other.url}/open` }).end());
    other.route('/robots.txt', serve('User-agent: *\nDisallow: /closed\n', 'text/plain'));
    other.route('/closed/feed.xml', serve('<rss/>', 'application/rss+xml'));
    other.route('/open', serve('fine', 'text/plain'));
    const f = new Fetcher({ ...fast, respectRobots: true });
    try {
      await f.get(`${robo.url}/redir-private`, null);
      assert.fail('fetched');
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'FEED_ROBOTS_DENIED', String(e));
      assert.match(e.message, /disallows \/private\/feed\.xml \(.*\/redir-private redirects there\)/);
    }
    assert.equal(robo.hits.get('/private/feed.xml'), undefined, 'the disallowed target is never requested');
    assert.equal(await code(f.get(`${robo.url}/redir-other`, null)), 'FEED_ROBOTS_DENIED');
    assert.equal(other.hits.get('/closed/feed.xml'), undefined);
    assert.equal(other.hits.get('/robots.txt'), 1, "the target host's robots.txt is read");
    const ok = await f.get(`${robo.url}/redir-open`, null);
    assert.equal(ok.kind === 'ok' ? ok.result.body.toString() : ok.kind, 'fine');
    // robots not honoured: the redirect is followed as before
    assert.equal((await new Fetcher({ ...fast, respectRobots: false }).get(`${robo.url}/redir-private`, null)).kind, 'ok');
  } finally {
    await robo.close();
    await other.close();
  }
});

test('an onion url goes through the SOCKS5 proxy, which resolves the name; without a proxy it is refused', async () => {
  srv.route('/hidden', serve('<html><body><p>onion forum</p></body></html>', 'text/html'));
  const socks = await startSocks5(() => ({ host: '127.0.0.1', port: srv.port }));
  try {
    const onion = 'http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/hidden';
    const r = await new Fetcher({ ...fast, proxy: { host: '127.0.0.1', port: socks.port } }).get(onion, null);
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.match(r.result.body.toString(), /onion forum/);
    assert.deepEqual(socks.requested, ['abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion']);
    assert.equal(await code(new Fetcher(fast).get(onion, null)), 'FEED_PROXY_REQUIRED');
  } finally {
    await socks.close();
  }
  assert.equal(await code(new Fetcher({ ...fast, retries: 0, proxy: { host: '127.0.0.1', port: 1 } }).get(`${srv.url}/hidden`, null, true)), 'FEED_PROXY_FAILED');
});

test('a url where nothing listens fails with FEED_NETWORK saying so and what to check, not the errno alone', async () => {
  const err = await httpGet('http://127.0.0.1:1/feed.xml', { timeoutMs: 2000, maxBytes: 10, maxRedirects: 0, userAgent: 'x' }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(isAppError(err) && err.code === 'FEED_NETWORK', String(err));
  assert.match(err.message, /^fetch: http:\/\/127\.0\.0\.1:1\/feed\.xml failed: connect ECONNREFUSED 127\.0\.0\.1:1 \(nothing listens there: check the host and port of the url, or whether the site is up\)$/);
});

test('bad urls are refused without a request', async () => {
  assert.equal(await code(httpGet('not a url', { timeoutMs: 100, maxBytes: 10, maxRedirects: 0, userAgent: 'x' })), 'FEED_BAD_URL');
  assert.equal(await code(httpGet('ftp://example.org/x', { timeoutMs: 100, maxBytes: 10, maxRedirects: 0, userAgent: 'x' })), 'FEED_BAD_URL');
});

test('per-host spacing reserves slots interval apart, per host, on a fake clock', () => {
  let now = 1000;
  const sp = new HostSpacing(() => now);
  assert.deepEqual([sp.reserve('a', 100), sp.reserve('a', 100), sp.reserve('b', 100), sp.reserve('a', 100)], [0, 100, 0, 200]);
  now = 1150;
  assert.equal(sp.reserve('a', 100), 150);
  now = 5000;
  assert.equal(sp.reserve('a', 100), 0);
});

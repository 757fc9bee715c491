/** The collector end to end against a local server: every kind of source, bad input counted per source, dedupe, conditional GETs, the log sink. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import type { RawRecord, RecordSink } from '../core/index.js';
import { documentTime, TrendsCollector } from './collector.js';
import { DocStore } from './docstore.js';
import { parseCollectorConfig } from './sources.js';
import { fixture, serve, startFixtureServer, startSocks5 } from './testing.js';
import { isAppError } from '../core/index.js';

class ListSink implements RecordSink {
  readonly records: RawRecord[] = [];
  congested = false;
  async write(r: RawRecord[]): Promise<void> {
    this.records.push(...r);
  }
  whenDrained(): Promise<void> {
    return Promise.resolve();
  }
}

const FAST_FETCH = { perHostIntervalMs: 0, backoffMs: 1, retries: 1, timeoutMs: 500, maxBytes: 256 * 1024, maxRedirects: 3, respectRobots: true };

test('one cycle collects feeds, social timelines, pages and an onion page; bad sources are counted, not fatal', async () => {
  const srv = await startFixtureServer();
  const socks = await startSocks5(() => ({ host: '127.0.0.1', port: srv.port }));
  const store = new DocStore(':memory:');
  try {
    srv.route('/robots.txt', serve('User-agent: *\nDisallow: /private\n', 'text/plain'));
    srv.route('/rss', serve(fixture('rss.xml'), 'application/rss+xml', { etag: '"rss-1"' }));
    srv.route('/atom', serve(fixture('atom.xml'), 'application/atom+xml'));
    srv.route('/mastodon', serve(fixture('mastodon.json'), 'application/json'));
    srv.route('/reddit', serve(fixture('reddit.json'), 'application/json'));
    srv.route('/page', serve(fixture('page.html'), 'text/html; charset=utf-8'));
    const sjisFeed = `<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><language>ja</language><item><title>大手銀行にランサムウェア攻撃</title><link>http://jp.example/1</link><description>身代金を要求するランサムウェアの被害が確認された。</description></item></channel></rss>`;
    srv.route('/sjis', serve(iconv.encode(sjisFeed, 'Shift_JIS'), 'application/xml'));
    // the same story as rss item 2, reworded slightly: a near duplicate
    srv.route('/mirror', serve(fixture('rss.xml').toString().replace('Tue, 03 Jan 2023', 'Wed, 04 Jan 2023').replaceAll('http://news.example/a/', 'http://mirror.example/a/'), 'application/rss+xml'));
    srv.route('/malformed', serve(fixture('malformed.xml'), 'application/xml'));
    srv.route('/slow', (_req, res) => void res.writeHead(200).write('<rss>'));
    srv.route('/huge', serve(Buffer.alloc(300 * 1024, 0x20), 'text/html'));
    srv.route('/loop', (_req, res) => void res.writeHead(302, { location: '/loop' }).end());
    srv.route('/hidden', serve('<html lang="en"><body><article><p>Selling access to hacked corporate networks and DDoS for hire services on this forum.</p></article></body></html>', 'text/html'));
    const onion = 'http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/hidden';
    const cfg = parseCollectorConfig({
      proxy: `127.0.0.1:${socks.port}`,
      fetch: FAST_FETCH,
      sources: [
        { name: 'rss', kind: 'feed', url: `${srv.url}/rss` },
        { name: 'atom', kind: 'feed', url: `${srv.url}/atom` },
        { name: 'masto', kind: 'mastodon', url: `${srv.url}/mastodon` },
        { name: 'reddit', kind: 'reddit', url: `${srv.url}/reddit` },
        { name: 'page', kind: 'page', url: `${srv.url}/page` },
        { name: 'sjis', kind: 'feed', url: `${srv.url}/sjis` },
        { name: 'mirror', kind: 'feed', url: `${srv.url}/mirror` },
        { name: 'onion', kind: 'page', url: onion },
        { name: 'malformed', kind: 'feed', url: `${srv.url}/malformed` },
        { name: 'slow', kind: 'feed', url: `${srv.url}/slow` },
        { name: 'huge', kind: 'page', url: `${srv.url}/huge` },
        { name: 'loop', kind: 'feed', url: `${srv.url}/loop` },
        { name: 'private', kind: 'page', url: `${srv.url}/private/x` },
      ],
    });
    const sink = new ListSink();
    const c = new TrendsCollector(cfg, store, sink, (tokens) => ({ ddos: tokens.includes('ddos') ? 0.9 : 0.1 }));
    const report = await c.runCycle(true);
    assert.equal(report.sources, 13);
    const stats = new Map(c.sourceStats().map((s) => [s.name, s]));
    const errs = (n: string): Record<string, number> => stats.get(n)!.errors;
    assert.deepEqual(errs('malformed'), { FEED_MALFORMED: 1 });
    assert.deepEqual(errs('slow'), { FEED_TIMEOUT: 1 });
    assert.deepEqual(errs('huge'), { FEED_TOO_LARGE: 1 });
    assert.deepEqual(errs('loop'), { FEED_REDIRECTS: 1 });
    assert.deepEqual(errs('private'), { FEED_ROBOTS_DENIED: 1 });
    assert.equal(report.errors, 5);
    for (const ok of ['rss', 'atom', 'masto', 'reddit', 'page', 'sjis', 'onion', 'mirror']) assert.deepEqual(errs(ok), {}, ok);
    assert.equal(stats.get('rss')!.stored, 3);
    assert.equal(stats.get('mirror')!.stored + stats.get('rss')!.stored, 3, 'mirror items are near duplicates of rss items (whichever came first)');
    assert.equal(stats.get('mirror')!.duplicates + stats.get('rss')!.duplicates, 3);
    const docs = store.list(0, Number.MAX_SAFE_INTEGER, 100);
    const ja = docs.find((d) => d.source === 'sjis');
    assert.equal(ja?.title, '大手銀行にランサムウェア攻撃');
    assert.equal(ja?.lang, 'ja');
    const onionDoc = docs.find((d) => d.source === 'onion');
    assert.match(onionDoc?.text ?? '', /DDoS for hire/);
    assert.equal(onionDoc?.types['ddos'], 0.9);
    assert.equal(docs.find((d) => d.url === 'http://news.example/a/1')?.time, Date.UTC(2023, 0, 2, 10));
    // every stored document went to the log engine as one RFC 5424 line of app nml-trends
    assert.equal(sink.records.length, store.count());
    assert.ok(sink.records.every((r) => /^<14>1 \S+ trends nml-trends - doc \[trends@32473 id="\d+" source="/.test(r.line)));
    assert.ok(sink.records.some((r) => r.source === 'trends:onion' && r.line.includes('types="ddos"')));

    // second cycle: the ETag comes back as If-None-Match, the 304 stores nothing; URLs already stored are skipped
    srv.route('/rss', (req, res) => void (req.headers['if-none-match'] === '"rss-1"' ? res.writeHead(304).end() : res.writeHead(200).end(fixture('rss.xml'))));
    const before = store.count();
    const again = await c.runCycle(true);
    assert.equal(store.count(), before);
    assert.equal(again.stored, 0);
    const rss = c.sourceStats().find((s) => s.name === 'rss')!;
    assert.equal(rss.notModified, 1);
    assert.ok(c.sourceStats().find((s) => s.name === 'atom')!.duplicates >= 2);
    await c.stop();
  } finally {
    store.close();
    await socks.close();
    await srv.close();
  }
});

test('the scheduler fetches only due sources and a restart remembers fingerprints', async () => {
  const srv = await startFixtureServer();
  const store = new DocStore(':memory:');
  try {
    srv.route('/rss', serve(fixture('rss.xml'), 'application/rss+xml'));
    srv.route('/rss2', serve(fixture('rss.xml').toString().replaceAll('news.example', 'copy.example'), 'application/rss+xml'));
    let now = 1_000_000;
    const cfg = parseCollectorConfig({ fetch: { ...FAST_FETCH, respectRobots: false }, sources: [{ name: 'rss', kind: 'feed', url: `${srv.url}/rss`, intervalMs: 60_000 }] });
    const c = new TrendsCollector(cfg, store, null, null, () => now);
    assert.equal((await c.runCycle()).sources, 1);
    now += 30_000;
    assert.equal((await c.runCycle()).sources, 0);
    now += 31_000;
    assert.equal((await c.runCycle()).sources, 1);
    assert.equal(srv.hits.get('/rss'), 2);
    const cfg2 = parseCollectorConfig({ fetch: { ...FAST_FETCH, respectRobots: false }, sources: [{ name: 'rss2', kind: 'feed', url: `${srv.url}/rss2` }] });
    const restarted = new TrendsCollector(cfg2, store, null);
    await restarted.runCycle(true);
    assert.equal(restarted.sourceStats()[0]!.duplicates, 3, 'same texts under other URLs are near duplicates after a restart');
  } finally {
    store.close();
    await srv.close();
  }
});

test('a source that fetched fine after failing is no longer failing: its errors and last error stay as history', async () => {
  const srv = await startFixtureServer();
  const store = new DocStore(':memory:');
  try {
    let up = false;
    const good = serve(fixture('rss.xml'), 'application/rss+xml');
    const bad = serve(fixture('malformed.xml'), 'application/xml');
    srv.route('/flaky', (req, res) => (up ? good : bad)(req, res));
    let now = Date.UTC(2026, 11, 1, 23, 5);
    const cfg = parseCollectorConfig({ fetch: { ...FAST_FETCH, respectRobots: false }, sources: [{ name: 'flaky', kind: 'feed', url: `${srv.url}/flaky` }] });
    const c = new TrendsCollector(cfg, store, null, null, () => now);
    await c.runCycle(true);
    const failed = c.sourceStats()[0]!;
    assert.deepEqual({ failing: failed.failing, errors: failed.errors, lastErrorAt: failed.lastErrorAt }, { failing: true, errors: { FEED_MALFORMED: 1 }, lastErrorAt: now });
    const failedAt = now;
    up = true;
    now += 3_600_000;
    await c.runCycle(true);
    const back = c.sourceStats()[0]!;
    // it stayed "failing" (errors counted, lastError set) until nml restarted
    assert.equal(back.failing, false);
    assert.deepEqual(back.errors, { FEED_MALFORMED: 1 }, 'the count stays: since nml started');
    assert.equal(back.lastErrorAt, failedAt);
    assert.ok(back.lastError !== null && back.lastError.length > 0);
    assert.equal(back.lastFetchAt, now);
    up = false;
    now += 3_600_000;
    await c.runCycle(true);
    assert.deepEqual({ failing: c.sourceStats()[0]!.failing, lastErrorAt: c.sourceStats()[0]!.lastErrorAt }, { failing: true, lastErrorAt: now }, 'failing again');
  } finally {
    store.close();
    await srv.close();
  }
});

test('an item dated before 1970 is stored at its fetch time (and listed); one dated without a zone at that time in UTC', async () => {
  const srv = await startFixtureServer();
  const store = new DocStore(':memory:');
  try {
    const item = (n: number, date: string): string => `<item><title>ransomware report ${n}</title><link>http://old.example/${n}</link><description>story ${n} about a ransomware gang</description><pubDate>${date}</pubDate></item>`;
    const rss = `<rss version="2.0"><channel>${item(1, '0001-01-01T00:00:00Z')}${item(2, 'Sun, 20 Jul 1969 20:17:00 GMT')}${item(3, 'Tue, 02 Jan 2024 10:00:00')}${item(4, 'Tue, 02 Jan 2024 10:00:00 +0200')}${item(5, 'Mon, 01 Jan 2035 00:00:00 GMT')}${item(6, 'sometime last week')}${item(7, 'Fri, 05 Jan 2024 20:00:00 GMT')}</channel></rss>`;
    srv.route('/rss', serve(rss, 'application/rss+xml'));
    const fetchedAt = Date.UTC(2024, 0, 5);
    const cfg = parseCollectorConfig({ fetch: { ...FAST_FETCH, respectRobots: false }, sources: [{ name: 'rss', kind: 'feed', url: `${srv.url}/rss` }] });
    const collector = new TrendsCollector(cfg, store, null, null, () => fetchedAt);
    await collector.runCycle(true);
    const times = Object.fromEntries(store.list(0, Number.MAX_SAFE_INTEGER, 10).map((d) => [d.url, d.time]));
    assert.deepEqual(times, {
      'http://old.example/1': fetchedAt,
      'http://old.example/2': fetchedAt,
      'http://old.example/3': Date.UTC(2024, 0, 2, 10),
      'http://old.example/4': Date.UTC(2024, 0, 2, 8),
      'http://old.example/5': fetchedAt,
      'http://old.example/6': fetchedAt,
      'http://old.example/7': Date.UTC(2024, 0, 5, 20),
    });
    // stored as fetched, and counted (the collect summary and the sources table say so): 2035 is future-dated;
    // no date, an unreadable one, and the placeholders before 1970 are undated; hours ahead (7) is kept as given
    const st = collector.sourceStats()[0]!;
    assert.deepEqual({ futureDated: st.futureDated, undated: st.undated }, { futureDated: 1, undated: 3 });
    assert.equal(documentTime(-1, fetchedAt), fetchedAt);
    assert.equal(documentTime(0, fetchedAt), 0);
    assert.equal(documentTime(fetchedAt + 86_400_001, fetchedAt), fetchedAt, 'more than a day ahead of the fetch');
    assert.equal(documentTime(null, fetchedAt), fetchedAt);
  } finally {
    store.close();
    await srv.close();
  }
});

test('configuration errors name the field', () => {
  const bad = (v: unknown, re: RegExp): void =>
    assert.throws(() => parseCollectorConfig(v), (e: unknown) => isAppError(e) && e.code === 'TRENDS_CONFIG_INVALID' && re.test(e.message));
  bad({}, /sources/);
  bad({ sources: [{ name: 'a', kind: 'rss', url: 'http://x' }] }, /kind/);
  bad({ sources: [{ name: 'a', kind: 'feed', url: 'file:///etc/passwd' }] }, /url/);
  bad({ sources: [{ name: 'a', kind: 'feed', url: 'http://x' }, { name: 'a', kind: 'feed', url: 'http://y' }] }, /twice/);
  bad({ sources: [], proxy: 'nope' }, /proxy/);
  bad({ sources: [], fetch: { concurrency: 0 } }, /concurrency/);
  // a misspelt key is named, not ignored
  bad({ sources: [{ name: 'a', kind: 'feed', url: 'http://x', intervalMS: 60_000 }] }, /unknown key sources\[0\]\.intervalMS; sources\[0\] has name, kind, url, intervalMs, viaProxy/);
  bad({ sources: [], fetch: { timeout: 5 } }, /unknown key fetch\.timeout; fetch has concurrency,/);
  bad({ sources: [], proxie: '127.0.0.1:9050' }, /unknown key proxie; the top level has sources, fetch, proxy, tickMs/);
  // a value of the wrong kind is named too (they were ignored: "no" left robots.txt obeyed)
  bad({ sources: [], fetch: { respectRobots: 'no' } }, /fetch\.respectRobots must be true or false/);
  bad({ sources: [], fetch: { userAgent: 'a\r\nX-Evil: 1' } }, /fetch\.userAgent must be a one-line/);
  bad({ sources: [], tickMs: 10 }, /tickMs must be a number of milliseconds, at least 100/);
  const ok = parseCollectorConfig(JSON.parse(fixture('sources.json').toString()));
  assert.equal(ok.sources.length, 5);
  assert.deepEqual(ok.fetch.proxy, { host: '127.0.0.1', port: 9050 });
});

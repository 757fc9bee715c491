/** UrlLiveScorer: URLs found in raw lines, repeats not rescored, findings above threshold to the sink with an evidence query. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingsSink, NewFinding } from '../detector.js';
import { FindingsStore } from '../findings/store.js';
import { UrlLiveScorer } from './live.js';
import { findingUrl } from './line-urls.js';
import { ignoredHosts } from './ignore.js';
import { subQuery, urlEvidenceQuery } from './evidence-query.js';
import type { LiveUrlModel } from './live-options.js';
import { compileQuery, LineMatcher, LineTerms } from '../../search/index.js';
import { UrlDetector } from './url-detector.js';
import { alwaysFlagged, trainFixtureModel, zeekSslTsv } from './testing.js';

class FakeSink implements FindingsSink {
  readonly got: NewFinding[] = [];
  record(f: readonly NewFinding[]): void {
    this.got.push(...f);
  }
}

test('finds URLs in lines, scores each new one once, records those above the threshold', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  let scored = 0;
  const counting: LiveUrlModel = {
    name: d.name,
    modelVersion: d.modelVersion,
    threshold: d.threshold,
    scoreFast: async (u) => {
      scored += u.length;
      return d.scoreFast(u);
    },
    explainOne: (u) => d.explainOne(u),
  };
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: counting, sink, threshold: 0.5, batchSize: 2 });
  const bad = 'http://secure-login-zzzz.tk/webscr/verify.php?cmd=login&id=42';
  const good = 'https://docs.example.org/help/about-us.html';
  live.offer([`<13>proxy: GET ${bad} 200`, `GET ${good} 200`, 'no url here', `again ${bad}`], 1_700_000_000_000);
  await live.flush();
  live.offer([`later ${bad} "x"`], [1_700_000_060_000]);
  await live.flush();
  assert.equal(scored, 2, 'each distinct URL is scored once');
  const st = live.stats();
  assert.equal(st.lines, 5);
  assert.equal(st.urls, 4);
  assert.equal(st.cacheHits, 2);
  const mine = sink.got.filter((f) => f.entity === `url:${findingUrl(bad)}`);
  assert.ok(mine.length >= 1, `expected a finding for ${bad}: ${JSON.stringify(sink.got.map((f) => [f.entity, f.score]))}`);
  for (const f of sink.got) {
    assert.ok(f.score >= 0.5 && f.threshold === 0.5 && f.detector === 'url' && f.modelVersion === d.modelVersion);
    assert.equal(f.evidence.query, `${urlEvidenceQuery(f.entity.slice(4))} -app:nml-detect`, "the evidence, not the finding line");
    assert.ok(f.evidence.from < f.time && f.time < f.evidence.to);
    assert.ok(f.explanation.summary.length > 0);
  }
  assert.ok(!sink.got.some((f) => f.entity === `url:${findingUrl(good)}`));
  assert.ok(mine.some((f) => f.time === 1_700_000_060_000), 'a repeat sighting carries its own time');
  await live.close();
  await d.close();
});

test("with eventTime, a finding's times are its line's (asked only of lines that hold a URL); without, the receive time", async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const asked: string[] = [];
  const eventTime = (line: string, receivedAt: number) => {
    asked.push(line);
    return receivedAt - 86_400_000 * 365;
  };
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0, eventTime });
  const bad = 'http://secure-login-zzzz.tk/webscr/verify.php?cmd=login&id=42';
  live.offer(['no url here', `GET ${bad} 200`], 1_700_000_000_000);
  await live.flush();
  assert.deepEqual(asked, [`GET ${bad} 200`]);
  const f = sink.got.find((x) => x.entity === `url:${findingUrl(bad)}`)!;
  assert.equal(f.time, 1_700_000_000_000 - 86_400_000 * 365);
  assert.ok(f.evidence.from < f.time && f.time < f.evidence.to, 'the evidence window is around the line\'s own time');
  await live.close();
  await d.close();
});

test('the evidence query quotes backslashes and quotes', () => {
  assert.equal(subQuery('http://x/a"b\\c'), 'sub:"http://x/a\\"b\\\\c"');
});

test('a full queue drops and counts; a failing sink does not stop scoring', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const live = new UrlLiveScorer({ detector: d, sink: { record: () => { throw new Error('store down'); } }, threshold: 0, maxQueue: 2 });
  live.offer(['http://a.example/1 http://a.example/2 http://a.example/3']);
  await live.flush();
  const st = live.stats();
  assert.equal(st.dropped, 1);
  assert.equal(st.scored, 2);
  assert.equal(st.findings, 2);
  await d.close();
});

test('URLs on an ignored domain or its subdomains are neither scored nor reported; look-alikes are', async () => {
  let scored: string[] = [];
  const always: LiveUrlModel = {
    name: 'url',
    modelVersion: 'test',
    threshold: 0.5,
    scoreFast: async (u) => {
      scored = scored.concat(u);
      return new Float32Array(u.length).fill(0.99);
    },
    explainOne: () => ({ score: 0.99, detail: { logit: 4.6, weights: [], host: [0, 0], path: [0, 0], top: [] } }),
  };
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: always, sink, ignore: ['*.Example.com', 'www.docs.test'] });
  const urls = ['https://example.com/a', 'http://www.example.com/b', 'https://mail.eu.example.com:8443/c', 'https://docs.test/d', 'https://evil-example.com/e', 'https://example.com.evil.tk/f'];
  live.offer(urls.map((u) => `GET ${u} 200`), 1_700_000_000_000);
  await live.flush();
  assert.deepEqual(scored, ['evil-example.com/e', 'example.com.evil.tk/f'], 'scored as findings name them, without the scheme');
  assert.deepEqual(sink.got.map((f) => f.entity).sort(), ['url:evil-example.com/e', 'url:example.com.evil.tk/f']);
  assert.equal(live.stats().ignored, 4);
});

test('a URL seen again while it waits to be scored counts every sighting, however small the cache', async () => {
  for (const cacheSize of [100, 2, 1]) {
    const model = alwaysFlagged();
    const sink = new FakeSink();
    const live = new UrlLiveScorer({ detector: model, sink, cacheSize });
    const t = 1_700_000_000_000;
    const urls = ['http://a.example/x', 'http://b.example/y', 'http://c.example/z', 'http://d.example/w'];
    // every URL twice in one offer: the repeats come while the first sightings are still queued
    live.offer([...urls, ...urls].map((u) => `GET ${u} 200`), t);
    await live.flush();
    assert.equal(model.scored.length, urls.length, `cacheSize ${cacheSize}: each URL is scored once`);
    const store = new FindingsStore(':memory:');
    store.record(sink.got);
    const counts = Object.fromEntries(store.list({}).findings.map((f) => [f.entity, f.count]));
    assert.deepEqual(counts, Object.fromEntries(urls.map((u) => [`url:${findingUrl(u)}`, 2])), `cacheSize ${cacheSize}: both sightings counted`);
    store.close();
    // once scored the cache keeps at most cacheSize URLs: the rest are scored again when they come back
    live.offer([`GET ${urls[0]} 200`], t + 2);
    await live.flush();
    assert.equal(model.scored.length, cacheSize >= urls.length ? urls.length : urls.length + 1);
  }
});

test('the cache forgets the URL seen least recently: a sighting from the cache keeps a URL in it', async () => {
  const model = alwaysFlagged();
  const live = new UrlLiveScorer({ detector: model, sink: new FakeSink(), cacheSize: 2 });
  const t = 1_700_000_000_000;
  const seen = async (...hosts: string[]) => {
    for (const h of hosts) {
      live.offer([`GET http://${h}.example/p 200`], t);
      await live.flush();
    }
  };
  await seen('a', 'b', 'a', 'c'); // a from the cache, then c evicts b, not a
  assert.deepEqual(model.scored, ['a.example/p', 'b.example/p', 'c.example/p']);
  await seen('a', 'b');
  assert.deepEqual(model.scored.slice(3), ['b.example/p'], 'a stayed cached; b was forgotten and is scored again');
  assert.equal(live.stats().cacheHits, 2);
});

test('a burst of one URL past the sightings kept one by one while it waits is counted whole, its first and last times kept', async () => {
  const model = alwaysFlagged();
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: model, sink });
  const t = 1_700_000_000_000;
  const url = 'http://secure-update-paypal.account-verify.tk/signin/webscr.php?cmd=login';
  // 10,000 sightings over ten seconds in one offer each second: all but the first arrive while it is queued
  for (let sec = 0; sec < 10; sec++) live.offer(Array.from({ length: 1000 }, () => `GET ${url} 200`), t + sec * 1000);
  await live.flush();
  assert.equal(model.scored.length, 1, 'scored once');
  const store = new FindingsStore(':memory:');
  store.record(sink.got);
  const [f] = store.list({}).findings;
  assert.equal(f?.count, 10_000, 'every sighting counted (5,273 of 10,001 before)');
  assert.equal(f?.firstSeen, t);
  assert.equal(f?.lastSeen, t + 9000);
  store.close();
});

test('an IPv6 host with a port is one host with the same literal without: its group is the ip: finding', async () => {
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: alwaysFlagged(), sink, perHost: 1 });
  live.offer(['a', 'b', 'c'].map((p) => `x http://[2001:db8::1]:8080/${p} x`).concat(['x http://[2001:DB8::1]/d x']), 1_700_000_000_000);
  await live.flush();
  const hostRows = sink.got.filter((f) => !f.entity.startsWith('url:'));
  assert.deepEqual([...new Set(hostRows.map((f) => f.entity))], ['ip:2001:db8::1']);
  assert.equal((hostRows.at(-1)!.explanation.detail as { urls: number }).urls, 3);
});

test("past a host's budget, its flagged URLs are one finding for the host; explanations only for those reported one by one", async () => {
  const d = UrlDetector.load(trainFixtureModel());
  let explained = 0;
  const model: LiveUrlModel = { name: d.name, modelVersion: d.modelVersion, threshold: d.threshold, scoreFast: (u) => d.scoreFast(u), explainOne: (u) => (explained++, d.explainOne(u)) };
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: model, sink, threshold: 0, perHost: 3 });
  const t = 1_700_000_000_000;
  const kit = Array.from({ length: 40 }, (_, i) => `http://login-kit.example.net/p/${i}/verify.php?id=${i * 7919}`);
  const byIp = Array.from({ length: 5 }, (_, i) => `http://198.51.100.9/x${i}.exe`);
  live.offer([...kit, ...byIp].map((u) => `GET ${u} 200`), t);
  await live.flush();
  const one = sink.got.filter((f) => f.entity.startsWith('url:'));
  assert.equal(one.filter((f) => f.entity.includes('login-kit')).length, 3);
  assert.equal(one.filter((f) => f.entity.includes('198.51.100.9')).length, 3);
  assert.equal(explained, 6, 'only the URLs reported one by one are explained');
  const hostRows = sink.got.filter((f) => !f.entity.startsWith('url:'));
  const urlsOf = (entity: string): number => (hostRows.findLast((f) => f.entity === entity)!.explanation.detail as { urls: number }).urls;
  assert.equal(urlsOf('domain:login-kit.example.net'), 37);
  assert.equal(urlsOf('ip:198.51.100.9'), 2);
  assert.match(hostRows.find((f) => f.entity === 'domain:login-kit.example.net')!.evidence.query, /^domain:login-kit\.example\.net -app:/);
  assert.equal(live.stats().grouped, 39);
  // a URL already reported keeps its own row when seen again; the budget is spent until the host is quiet
  live.offer([`again ${kit[0]}`, `GET ${kit[39]} 200`], t + 60_000);
  await live.flush();
  assert.deepEqual(sink.got.slice(-2).map((f) => f.entity), [`url:${findingUrl(kit[0]!)}`, 'domain:login-kit.example.net']);
  // the host's row tells the whole stretch since it was last quiet, not the latest flush; kit[39] again is no new URL
  assert.match(sink.got.at(-1)!.explanation.summary, /^37 more URLs \(38 sightings\) on login-kit\.example\.net scored ≥ 0 since 2023-11-14 22:13:20 UTC; its first 3 flagged URLs are findings of their own, the rest are counted here until the host is quiet for 1 h; e\.g\. /);
  // an hour without a flagged URL: the host starts afresh
  live.offer([`GET ${kit[38]} 200`], t + 60_000 + 3_600_001);
  await live.flush();
  assert.deepEqual(sink.got.slice(-1).map((f) => f.entity), [`url:${findingUrl(kit[38]!)}`]);
});

test("a beacon's new URL every minute all day is its first URLs' rows and one row for the host, not a row a minute", async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0, perHost: 5 });
  const t = 1_700_000_000_000;
  for (let m = 0; m < 24 * 60; m++) live.offer([`GET http://update-chk-svc.example/api/v2/beacon?uid=174b672f&k=${(m * 7919).toString(16)} 200`], t + m * 60_000);
  await live.flush();
  const store = new FindingsStore(':memory:');
  store.record(sink.got.splice(0));
  const rows = store.list({ limit: 100 }).findings;
  assert.equal(rows.filter((f) => f.entity.startsWith('url:')).length, 5);
  const host = rows.find((f) => f.entity === 'domain:update-chk-svc.example')!;
  assert.equal(rows.length, 6, 'five URL rows and the host row');
  assert.equal(host.lastSeen, t + (24 * 60 - 1) * 60_000, "the host row's span covers the day");
  assert.match(host.explanation.summary, new RegExp(`^${24 * 60 - 5} more URLs on update-chk-svc\\.example .* since ${new Date(t + 5 * 60_000).toISOString().slice(0, 19).replace('T', ' ')} UTC;`));
  assert.equal(host.evidence.from, t + 5 * 60_000 - 86_400_000, 'the evidence search starts at the first URL summed (less the window)');
  assert.equal(live.stats().grouped, 24 * 60 - 5);
  assert.equal(host.count, 24 * 60 - 5, "the row's count is its sightings, not the flushes that recorded them");
  assert.equal(host.firstSeen, t + 5 * 60_000, 'first seen at the first URL summed, not the last of the first flush');
  // recorded again at every flush: each adds only the sightings since the one before
  for (let m = 0; m < 3; m++) {
    live.offer([`GET http://update-chk-svc.example/api/v2/beacon?uid=174b672f&k=next${m} 200`, `GET http://update-chk-svc.example/api/v2/beacon?uid=174b672f&k=again${m} 200`], t + (24 * 60 + m) * 60_000);
    await live.flush();
    store.record(sink.got.splice(0));
  }
  const later = store.find('url', 'domain:update-chk-svc.example')!;
  assert.equal(later.count, 24 * 60 - 5 + 6);
  assert.equal((later.explanation.detail as { sightings: number }).sightings, later.count, 'the count agrees with the sightings its explanation tells');
  assert.equal(later.firstSeen, t + 5 * 60_000);
  store.close();
});

test("a host's row counts its distinct URLs, and says how often they were seen when that is more", async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0, perHost: 2 });
  const t = 1_700_000_000_000;
  const urls = Array.from({ length: 6 }, (_, i) => `http://c2-node.example.org/gate.php?id=${i}`);
  // the first two are reported one by one; the other four are polled ten times each
  live.offer(urls.slice(0, 2).map((u) => `GET ${u} 200`), t);
  for (let r = 0; r < 10; r++) live.offer(urls.slice(2).map((u) => `GET ${u} 200`), t + (r + 1) * 60_000);
  await live.flush();
  const host = sink.got.findLast((f) => f.entity === 'domain:c2-node.example.org')!;
  assert.match(host.explanation.summary, /^4 more URLs \(40 sightings\) on c2-node\.example\.org scored/);
  assert.deepEqual(host.explanation.detail, { urls: 4, sightings: 40, examples: urls.slice(2, 5).map(findingUrl) }, 'examples are distinct URLs');
  // every URL distinct: no sightings in the text
  const once = new FakeSink();
  const live2 = new UrlLiveScorer({ detector: d, sink: once, threshold: 0, perHost: 1 });
  live2.offer(urls.map((u) => `GET ${u} 200`), t);
  await live2.flush();
  assert.match(once.got.at(-1)!.explanation.summary, /^5 more URLs on c2-node\.example\.org scored/);
  // past 10,000 distinct URLs of one host the count is a lower bound, and says so
  const many = new FakeSink();
  const live3 = new UrlLiveScorer({ detector: d, sink: many, threshold: 0, perHost: 1 });
  live3.offer(Array.from({ length: 10_002 }, (_, i) => `GET http://kit.example.org/p${i} 200`), t);
  await live3.flush();
  assert.match(many.got.at(-1)!.explanation.summary, /^at least 10000 more URLs \(10001 sightings\) on kit\.example\.org scored/);
  assert.equal((many.got.at(-1)!.explanation.detail as { urlsAtLeast?: boolean }).urlsAtLeast, true);
});

test('a sink that throws is counted and reported; scoring goes on', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const errors: unknown[] = [];
  const live = new UrlLiveScorer({ detector: d, threshold: 0, sink: { record: () => { throw new Error('database is locked'); } }, onError: (e) => errors.push(e) });
  live.offer(['GET http://a.example/x 200', 'GET http://b.example/y 200'], 1_700_000_000_000);
  await live.flush();
  assert.equal(live.stats().lost, 2);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /database is locked/);
  live.offer(['GET http://c.example/z 200'], 1_700_000_000_000);
  await live.flush();
  assert.equal(live.stats().scored, 3, 'scoring went on');
});

test('a PAN-OS URL-filtering log is scored: its scheme-less URL is found, and the evidence query finds the line', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0 });
  const url = 'secure-login-zzzz.tk/webscr/verify.php?cmd=login&id=42';
  const line = `<14>Jan  2 10:00:06 fw-pa-01 1,2024/01/02 10:00:06,016401002737,THREAT,url,2561,2024/01/02 10:00:06,10.0.2.57,203.0.113.80,198.51.100.1,203.0.113.80,allow-outbound,,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2024/01/02 10:00:06,242802,1,51234,80,41234,80,0x400000,tcp,alert,"${url}",(9999),unknown,informational,client-to-server,161`;
  live.offer([line], 1_700_000_000_000);
  await live.flush();
  assert.equal(live.stats().urls, 1);
  assert.deepEqual(sink.got.map((f) => f.entity), [`url:${findingUrl(url)}`]);
  assert.ok(matches(sink.got[0]!.evidence.query, line), 'the evidence query finds the line');
  await live.close();
  await d.close();
});

test('a blob: URL in a log line is scored as the web URL after blob:, the form nml score url scores, and the evidence query finds the line', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0 });
  const lines = ['<14>edr: download url="blob:https://evil-drop.tk/1234-abcd" file=invoice.iso', `<14>Jan  2 10:00:06 fw-pa-01 1,2024/01/02 10:00:06,016401002737,THREAT,url,2561,2024/01/02 10:00:06,10.0.2.57,203.0.113.80,198.51.100.1,203.0.113.80,allow-outbound,,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2024/01/02 10:00:06,242802,1,51234,80,41234,80,0x400000,tcp,alert,"blob:https://evil-drop.tk/1234-abcd",(9999),unknown,informational,client-to-server,161`];
  live.offer(lines, 1_700_000_000_000);
  await live.flush();
  assert.deepEqual([...new Set(sink.got.map((f) => f.entity))], ['url:evil-drop.tk/1234-abcd']);
  assert.equal(sink.got[0]!.score, (await d.scoreFast(['blob:https://evil-drop.tk/1234-abcd']))[0]);
  for (const line of lines) assert.ok(matches(sink.got[0]!.evidence.query, line), line);
  await live.close();
  await d.close();
});

test('one request logged by a proxy (with its scheme) and by PAN-OS (without) is one URL: scored once, one finding, evidence finding both lines', async () => {
  const model = alwaysFlagged();
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: model, sink });
  const url = 'secure-login-zzzz.tk/webscr/verify.php?cmd=login&id=42';
  const proxy = `1704189606.123 84 10.0.2.57 TCP_MISS/200 512 GET http://Secure-Login-ZZZZ.tk/webscr/verify.php?cmd=login&id=42 - HIER_DIRECT/203.0.113.80 text/html`;
  const panos = `<14>Jan  2 10:00:06 fw-pa-01 1,2024/01/02 10:00:06,016401002737,THREAT,url,2561,2024/01/02 10:00:06,10.0.2.57,203.0.113.80,198.51.100.1,203.0.113.80,allow-outbound,,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2024/01/02 10:00:06,242802,1,51234,80,41234,80,0x400000,tcp,alert,"${url}",(9999),unknown,informational,client-to-server,161`;
  live.offer([proxy, panos, `GET https://${url} 200`], 1_700_000_000_000);
  await live.flush();
  assert.deepEqual(model.scored, [url], 'scored once');
  assert.deepEqual([...new Set(sink.got.map((f) => f.entity))], [`url:${url}`]);
  for (const line of [proxy, panos]) assert.ok(matches(sink.got[0]!.evidence.query, line), `the evidence query finds ${line.slice(0, 30)}`);
  await live.close();
});

/** Does a search query match one raw line (the live tail's matcher, which agrees with search)? */
function matches(query: string, line: string): boolean {
  return new LineMatcher(compileQuery(query.replace(/ -app:\S+$/, ''))).matches(new LineTerms(line, () => ''));
}

test('HTTP records that keep host and path apart (EVE, Zeek) are scored, and their evidence query finds them', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0 });
  const eve = 'suricata[1]: {"timestamp":"2024-01-02T10:00:00.000000+0000","event_type":"http","src_ip":"10.0.2.57","dest_ip":"203.0.113.80","http":{"hostname":"secure-login-zzzz.tk","url":"/webscr/verify.php?cmd=login","http_method":"GET"}}';
  const zeek = ['1704189600.5', 'C1', '10.0.2.57', '51234', '203.0.113.80', '80', '1', 'GET', 'paypal-verify.example.net', '/signin', '-', '1.1'].join('\t');
  live.offer([eve, zeek, 'no url in this {"host":"web-01"} line'], 1_700_000_000_000);
  await live.flush();
  assert.equal(live.stats().urls, 2);
  const byEntity = new Map(sink.got.map((f) => [f.entity, f]));
  assert.deepEqual([...byEntity.keys()].sort(), ['url:paypal-verify.example.net/signin', 'url:secure-login-zzzz.tk/webscr/verify.php?cmd=login']);
  assert.ok(matches(byEntity.get('url:secure-login-zzzz.tk/webscr/verify.php?cmd=login')!.evidence.query, eve));
  assert.ok(matches(byEntity.get('url:paypal-verify.example.net/signin')!.evidence.query, zeek));
  assert.ok(!matches(byEntity.get('url:paypal-verify.example.net/signin')!.evidence.query, eve), 'and not the other record');
  // a URL with a scheme is searched without it: PAN-OS writes none (its lines were missed)
  assert.equal(urlEvidenceQuery('http://a.example/x'), `${subQuery('a.example')} ${subQuery('/x')}`);
  assert.equal(urlEvidenceQuery('HTTPS://a.example'), subQuery('a.example'));
  assert.equal(urlEvidenceQuery('a.example'), subQuery('a.example'));
  // a bare host by its host alone
  assert.equal(urlEvidenceQuery('a.example/'), subQuery('a.example'));
  assert.equal(urlEvidenceQuery('a.example/?'), `${subQuery('a.example')} ${subQuery('/?')}`);
  await live.close();
  await d.close();
});

test('TLS server names (EVE tls, Zeek ssl.log) and proxy tunnels (Squid CONNECT) are scored as bare hosts, their evidence query finds the record, and the option turns them off', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0 });
  const eve = 'suricata[1]: {"timestamp":"2024-01-02T10:00:00.000000+0000","event_type":"tls","src_ip":"10.0.2.57","dest_ip":"203.0.113.80","tls":{"sni":"secure-login-zzzz.tk","version":"TLS 1.2"}}';
  const zeek = zeekSslTsv('paypal-verify.example.net');
  // PAN-OS writes an HTTPS request as its host: the same URL as the server name, one entity
  const panos = `<14>Jan  2 10:00:06 fw-pa-01 1,2024/01/02 10:00:06,016401002737,THREAT,url,2561,2024/01/02 10:00:06,10.0.2.57,203.0.113.80,198.51.100.1,203.0.113.80,allow-outbound,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2024/01/02 10:00:06,242802,1,51234,443,41234,443,0x400000,tcp,alert,"paypal-verify.example.net/",(9999),unknown,informational,client-to-server,161`;
  const squid = '1704189602.456     12 10.0.2.58 TCP_TUNNEL/200 5120 CONNECT login-verify-portal.info:443 bob HIER_DIRECT/203.0.113.81 -';
  live.offer([eve, zeek, panos, squid], 1_700_000_000_000);
  await live.flush();
  assert.equal(live.stats().tlsNames, 3);
  assert.equal(live.stats().urls, 4);
  const byEntity = new Map(sink.got.map((f) => [f.entity, f]));
  assert.deepEqual([...byEntity.keys()].sort(), ['url:login-verify-portal.info/', 'url:paypal-verify.example.net/', 'url:secure-login-zzzz.tk/']);
  assert.ok(matches(byEntity.get('url:login-verify-portal.info/')!.evidence.query, squid));
  const q = byEntity.get('url:paypal-verify.example.net/')!.evidence.query;
  assert.ok(matches(q, zeek) && matches(q, panos), 'the host alone finds the TLS record and the PAN-OS log');
  assert.ok(matches(byEntity.get('url:secure-login-zzzz.tk/')!.evidence.query, eve));
  await live.close();
  const off = new UrlLiveScorer({ detector: d, sink: new FakeSink(), threshold: 0, tlsNames: false });
  off.offer([eve, zeek], 1_700_000_000_000);
  await off.flush();
  assert.equal(off.stats().urls, 0);
  await off.close();
  await d.close();
});

test('a model that fails on a batch: its URLs are counted dropped and the error reported, the scorer goes on', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const model: LiveUrlModel = {
    name: 'url',
    modelVersion: 'test',
    threshold: 0.5,
    scoreFast: async (u) => {
      if (calls++ === 0) throw new Error('inference failed');
      return new Float32Array(u.length).fill(0.99);
    },
    explainOne: () => ({ score: 0.99, detail: { logit: 4.6, weights: [], host: [0, 0], path: [0, 0], top: [] } }),
  };
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: model, sink, onError: (e) => errors.push(e) });
  live.offer(['GET http://a.example/x 200'], 1_700_000_000_000);
  await live.flush();
  assert.equal(live.stats().dropped, 1);
  assert.match(String(errors[0]), /inference failed/);
  live.offer(['GET http://a.example/x 200'], 1_700_000_000_001);
  await live.flush();
  assert.deepEqual(sink.got.map((f) => f.entity), ['url:a.example/x'], 'seen again, it is scored');
});

test("an explanation that throws: that URL is dropped and reported once, the batch's other URLs are scored and reported, nothing is left pending", async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const errors: unknown[] = [];
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on('unhandledRejection', onRejection);
  try {
    const model: LiveUrlModel = {
      name: 'url',
      modelVersion: 'test',
      threshold: 0.5,
      scoreFast: async (u) => Float32Array.from(u, () => 0.99),
      explainOne: (u) => {
        if (u.includes('boom')) throw new Error('explain failed');
        return d.explainOne(u);
      },
    };
    const sink = new FakeSink();
    const live = new UrlLiveScorer({ detector: model, sink, onError: (e) => errors.push(e), perHost: 1 });
    const t = 1_700_000_000_000;
    live.offer(['GET http://a.example/boom 200', 'GET http://b.example/x 200', 'GET http://c.example/y 200', 'again http://a.example/boom'], t);
    await live.flush();
    assert.deepEqual(sink.got.map((f) => f.entity), ['url:b.example/x', 'url:c.example/y']);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /explain failed/);
    assert.equal(live.stats().dropped, 1);
    // seen again: b and c are reported from the cache (they were not left pending), d is scored; the
    // failed URL is counted dropped without asking again
    live.offer(['GET http://b.example/x 200', 'GET http://c.example/y 200', 'GET http://d.example/z 200', 'GET http://a.example/boom 200'], t + 60_000);
    await live.flush();
    assert.deepEqual(sink.got.slice(2).map((f) => [f.entity, f.time]), [['url:b.example/x', t + 60_000], ['url:c.example/y', t + 60_000], ['url:d.example/z', t + 60_000]]);
    assert.equal(errors.length, 1, 'reported once');
    assert.equal(live.stats().dropped, 2);
    // in offer, from the cache: a URL summed past its host's budget (never explained) is explained once
    // the host has been quiet and starts afresh; that throw must not escape offer (the ingest path's `.then`)
    live.offer(['GET http://e.example/ok 200', 'GET http://e.example/boom2 200'], t + 120_000);
    await live.flush();
    assert.doesNotThrow(() => live.offer(['GET http://e.example/boom2 200'], t + 120_000 + 3_600_001));
    await live.flush();
    assert.equal(errors.length, 2);
    assert.match(String(errors[1]), /explain failed/);
    assert.equal(live.stats().dropped, 3);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(rejections, [], 'no unhandled rejection (Node 20 ends the process on one)');
  } finally {
    process.off('unhandledRejection', onRejection);
    await d.close();
  }
});

test('a restart gives a host already summed no fresh budget: its row seen within hostQuietMs in the store starts it past its budget', async () => {
  const model: LiveUrlModel = { name: 'url', modelVersion: 'test', threshold: 0.5, scoreFast: async (u) => Float32Array.from(u, () => 0.99), explainOne: () => ({ score: 0.99, detail: { logit: 4.6, weights: [], host: [0, 0], path: [0, 0], top: [] } }) };
  const store = new FindingsStore(':memory:');
  let t = 1_700_000_000_000;
  const run = async (live: UrlLiveScorer, tag: string, n = 10) => {
    for (let i = 0; i < n; i++) {
      live.offer([`GET http://beacon.example/c?q=${tag}-${i} 200`, `GET http://quiet.example/p${tag}${i} 200`].slice(0, i < 2 ? 2 : 1), (t += 60_000));
      await live.flush();
    }
    await live.close();
  };
  const rows = (prefix: string) => store.list({ limit: 1000 }).findings.filter((f) => f.entity.startsWith(prefix));
  // a fresh `nml serve` on the same findings.db each time; the store is the sink (and the lookup)
  await run(new UrlLiveScorer({ detector: model, sink: store, perHost: 3 }), 'a');
  assert.equal(rows('url:beacon').length, 3);
  assert.equal(rows('url:quiet').length, 2, 'a host within its budget has no summed row');
  const before = store.find('url', 'domain:beacon.example')!.count;
  // the lookup given apart from the sink, as nml serve does (its sink is guarded)
  await run(new UrlLiveScorer({ detector: model, sink: { record: (f) => store.record(f) }, known: store, perHost: 3 }), 'b');
  assert.equal(rows('url:beacon').length, 3, 'no fresh budget after the restart');
  assert.equal(store.find('url', 'domain:beacon.example')!.count, before + 10, "the new URLs are summed into the host's row, each counted once");
  assert.equal(rows('url:quiet').length, 4, 'a host without a summed row keeps its budget');
  // quiet for longer than hostQuietMs: the host starts afresh, as it would without the restart
  t += 3_600_001;
  await run(new UrlLiveScorer({ detector: model, sink: store, perHost: 3 }), 'c', 3);
  assert.equal(rows('url:beacon').length, 6);
  // a lookup that fails is reported, and the host keeps its budget
  const errors: unknown[] = [];
  const failing = new UrlLiveScorer({ detector: model, sink: new FakeSink(), known: { find: () => { throw new Error('database is closed'); } }, onError: (e) => errors.push(e) });
  failing.offer(['GET http://x.example/a 200'], t);
  await failing.flush();
  assert.match(String(errors[0]), /database is closed/);
  store.close();
});

test("past the distinct URLs kept over all hosts, a host's row counts its sightings, not 'at least 0 more URLs'", async () => {
  const model: LiveUrlModel = { name: 'url', modelVersion: 'test', threshold: 0.5, scoreFast: async (u) => Float32Array.from(u, () => 0.99), explainOne: () => ({ score: 0.99, detail: { logit: 4.6, weights: [], host: [0, 0], path: [0, 0], top: [] } }) };
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: model, sink, perHost: 1, distinctTotal: 5 });
  const t = 1_700_000_000_000;
  live.offer(Array.from({ length: 6 }, (_, i) => `GET http://first.example/p${i} 200`), t);
  await live.flush();
  assert.match(sink.got.findLast((f) => f.entity === 'domain:first.example')!.explanation.summary, /^5 more URLs on first\.example scored/);
  live.offer(['p0', 'p1', 'p2', 'p1'].map((p) => `GET http://second.example/${p} 200`), t);
  await live.flush();
  const row = sink.got.findLast((f) => f.entity === 'domain:second.example')!;
  assert.match(row.explanation.summary, /^3 more sightings of URLs \(distinct ones not counted past 5 over all hosts\) on second\.example scored ≥ 0\.5 since/);
  assert.deepEqual(row.explanation.detail, { urls: 0, urlsAtLeast: true, urlsNotCounted: true, sightings: 3, examples: ['second.example/p1', 'second.example/p2'] });
});

test('a trailing-dot host (example.com.) is the same host: ignored as example.com, one per-host budget', async () => {
  const ig = ignoredHosts(['example.com', 'Docs.Test.']);
  for (const u of ['http://example.com./x', 'http://a.example.com./x', 'https://EXAMPLE.COM..:8443/x', 'http://docs.test/x', 'docs.test./y']) assert.ok(ig(u), u);
  for (const u of ['http://example.com.evil.tk./x', 'http://notexample.com./x']) assert.ok(!ig(u), u);
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: alwaysFlagged(), sink, perHost: 1 });
  live.offer(['http://a.test/x', 'http://a.test./y', 'http://A.TEST./z'].map((u) => `GET ${u} 200`), 1_700_000_000_000);
  await live.flush();
  assert.deepEqual([...new Set(sink.got.map((f) => f.entity))], ['url:a.test/x', 'domain:a.test']);
});

test('a model without a usable threshold is refused, not left to flag nothing', () => {
  for (const threshold of [undefined, NaN, null]) {
    const model = { ...alwaysFlagged(), threshold: threshold as unknown as number };
    assert.throws(() => new UrlLiveScorer({ detector: model, sink: new FakeSink() }), { code: 'MODEL_INVALID', message: /model test has no usable threshold/ });
  }
  assert.throws(() => new UrlLiveScorer({ detector: alwaysFlagged(), sink: new FakeSink(), threshold: NaN }), { code: 'MODEL_INVALID', message: /url\.threshold is/ });
});

test("a live finding's evidence window reaches a day back and at most a minute past now, not a day into the future", async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const sink = new FakeSink();
  const live = new UrlLiveScorer({ detector: d, sink, threshold: 0 });
  const now = Date.now();
  live.offer(['GET http://secure-login-zzzz.tk/webscr/verify.php?cmd=login 200'], now);
  await live.flush();
  const f = sink.got[0]!;
  assert.equal(f.evidence.from, now - 86_400_000);
  assert.ok(f.evidence.to > now && f.evidence.to <= Date.now() + 60_000, `to ${f.evidence.to - now} ms past the line`);
  await live.close();
});

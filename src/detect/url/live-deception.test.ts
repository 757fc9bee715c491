/** Live scoring and the userinfo-deception rule: a finding at any score that names the rule, never the password. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingsSink, NewFinding } from '../detector.js';
import { UrlLiveScorer } from './live.js';
import { PopularityTable } from './popularity.js';
import { fixedScore } from './testing.js';

class Sink implements FindingsSink {
  readonly got: NewFinding[] = [];
  record(f: readonly NewFinding[]): void {
    this.got.push(...f);
  }
}

const model = fixedScore;

const T = 1_700_000_000_000;

test('below the threshold, a URL that names another host before @ is a finding that names the rule; its password is nowhere in it', async () => {
  // before: http://paypal.com@evil.tk/ made no finding (0.598914 < 0.964 with the shipped model) and said nothing of its userinfo
  const sink = new Sink();
  const live = new UrlLiveScorer({ detector: model(0.1), sink });
  live.offer(['GET http://paypal.com:hunter2@evil.tk/login 200', 'GET http://other.tk/ 200', 'GET https://john.smith@bitbucket.org/r.git 200'], T);
  await live.flush();
  assert.deepEqual(sink.got.map((f) => f.entity), ['url:evil.tk/login']);
  const f = sink.got[0]!;
  assert.equal(f.score, 0.1, "the model's score");
  assert.equal(f.threshold, 0.5);
  assert.match(f.explanation.summary, /userinfo deception: the URL names "paypal\.com" before @ but leads to evil\.tk/);
  assert.deepEqual((f.explanation.detail as { deception: unknown }).deception, { rule: 'userinfo-host', userinfo: 'paypal.com:…', named: 'paypal.com', host: 'evil.tk' });
  assert.ok(!JSON.stringify(sink.got).includes('hunter2'), 'the password part is not stored');
  assert.deepEqual([live.stats().cacheHits, live.stats().scored], [0, 3], 'the deceptive URL was scored at once, the others queued');
  // the same URL without userinfo, below the threshold, is no finding; with it again, one more
  live.offer(['GET http://evil.tk/login 200'], T + 1000);
  await live.flush();
  assert.equal(sink.got.length, 1);
  live.offer(['GET http://paypal.com@evil.tk/login 200'], T + 2000);
  await live.flush();
  assert.equal(sink.got.length, 2);
  assert.equal(sink.got[1]!.time, T + 2000);
  await live.close();
});

test("past its host's budget a deceptive URL is summed into the host's row, which names the rule; a campaign of many such paths is not a row per URL", async () => {
  // before: every distinct deceptive URL was a row of its own whatever its host's budget (50 paths, 50 rows)
  const sink = new Sink();
  const live = new UrlLiveScorer({ detector: model(0.1), sink, perHost: 3 });
  live.offer(Array.from({ length: 50 }, (_, i) => `GET http://paypal.com:pw${i}@evil.tk/p${i} 200`), T);
  await live.flush();
  const rows = new Map(sink.got.map((f) => [f.entity, f]));
  assert.deepEqual([...rows.keys()], ['url:evil.tk/p0', 'url:evil.tk/p1', 'url:evil.tk/p2', 'domain:evil.tk']);
  const host = rows.get('domain:evil.tk')!;
  assert.equal(host.score, 0.1, "the model's score, below the threshold");
  assert.equal(host.sightings, 47);
  assert.match(host.explanation.summary, /^47 more URLs on evil\.tk scored ≥ 0\.5 or named another host before @ since /);
  assert.match(host.explanation.summary, /47 sightings named another host before @ \(userinfo deception, a rule beside the model; the score is the model's\), e\.g\. "paypal\.com"$/);
  assert.deepEqual((host.explanation.detail as { deceived: number; deceptionNamed: string }).deceived, 47);
  assert.ok(!JSON.stringify(sink.got).includes('pw1'), 'no password part is stored');
  await live.close();
});

test('above the threshold, within the budget: a deceptive URL is its own row and names the rule; a later sighting past the budget without userinfo is summed', async () => {
  const sink = new Sink();
  const live = new UrlLiveScorer({ detector: model(0.9), sink, perHost: 1 });
  live.offer(['GET http://www.paypal.com@evil.tk/c 200'], T);
  await live.flush();
  live.offer(['GET http://evil.tk/d 200'], T + 1000);
  await live.flush();
  assert.deepEqual(sink.got.map((f) => f.entity), ['url:evil.tk/c', 'domain:evil.tk']);
  assert.match(sink.got[0]!.explanation.summary, /userinfo deception: the URL names "www\.paypal\.com" before @ but leads to evil\.tk/);
  assert.doesNotMatch(sink.got[1]!.explanation.summary, /deception|before @/);
  await live.close();
});

test('a later sighting of a deceptive URL without its userinfo keeps the explanation that names the rule (the store keeps the later one at an equal score)', async () => {
  const sink = new Sink();
  const live = new UrlLiveScorer({ detector: model(0.9), sink });
  live.offer(['GET http://paypal.com@evil.tk/c 200'], T);
  await live.flush();
  live.offer(['GET http://evil.tk/c 200'], T + 1000);
  await live.flush();
  assert.deepEqual(sink.got.map((f) => [f.entity, f.time]), [['url:evil.tk/c', T], ['url:evil.tk/c', T + 1000]]);
  for (const f of sink.got) assert.equal((f.explanation.detail as { deception?: { named: string } }).deception?.named, 'paypal.com');
  await live.close();
});

test('a deceptive URL on an ignored domain is neither scored nor reported', async () => {
  const sink = new Sink();
  const m = model(0.1);
  const live = new UrlLiveScorer({ detector: m, sink, ignore: ['corp.example'] });
  live.offer(['GET http://paypal.com@intranet.corp.example/ 200'], T);
  await live.flush();
  assert.deepEqual([sink.got.length, m.asked.length, live.stats().ignored], [0, 0, 1]);
  await live.close();
});

test('a URL queued for batch scoring and then scored at once (a later sighting names another host before @) counts once in `scored`', async () => {
  // before: scored 2 (scoreNow, then the batch scored it again and replaced its cached explanation)
  for (const score of [0.1, 0.9]) {
    const sink = new Sink();
    const live = new UrlLiveScorer({ detector: model(score), sink });
    live.offer(['GET http://evil.tk/login 200'], T);
    live.offer(['GET http://paypal.com@evil.tk/login 200'], T + 1000);
    await live.flush();
    const st = live.stats();
    assert.deepEqual([st.urls, st.scored, st.queued, st.dropped], [2, 1, 0, 0], `score ${score}`);
    // below the threshold only the deceptive sighting is a finding; at or above it the queued sighting is one too
    assert.deepEqual(sink.got.map((f) => f.time), score < 0.5 ? [T + 1000] : [T + 1000, T], `score ${score}`);
    for (const f of sink.got) assert.match(f.explanation.summary, /userinfo deception/);
    // a later sighting is a cache hit, not scored again
    live.offer(['GET http://evil.tk/login 200'], T + 2000);
    await live.flush();
    assert.deepEqual([live.stats().scored, live.stats().cacheHits], [1, 1], `score ${score}`);
  }
});

test('an IDN homograph of a popular domain (punycode or Unicode in the line) is a finding at any score that names the rule; past the budget the host row counts it', async () => {
  // before: xn--pypal-4ve.com scored like any host, no finding below the threshold, nothing said it imitates paypal.com
  const sink = new Sink();
  const m = { ...model(0.1), popularity: PopularityTable.fromDomains(['paypal.com', 'google.com']) };
  const live = new UrlLiveScorer({ detector: m, sink, perHost: 2 });
  live.offer(['GET http://xn--pypal-4ve.com/a 200', 'GET http://p\u0430ypal.com/b 200', 'GET http://paypal.com/c 200', 'GET http://m\u00fcnchen.de/ 200', 'GET http://xn--pypal-4ve.com/d 200'], T);
  await live.flush();
  assert.deepEqual(sink.got.map((f) => f.entity), ['url:xn--pypal-4ve.com/a', 'url:xn--pypal-4ve.com/b', 'domain:xn--pypal-4ve.com']);
  const f = sink.got[0]!;
  assert.equal(f.score, 0.1, "the model's score");
  assert.deepEqual((f.explanation.detail as { deception: unknown }).deception, { rule: 'idn-homograph', host: 'xn--pypal-4ve.com', shown: 'p\u0430ypal.com', looksLike: 'paypal.com' });
  assert.match(f.explanation.summary, /IDN homograph: the host xn--pypal-4ve\.com shows as "p\u0430ypal\.com", a look-alike of the popular paypal\.com/);
  const host = sink.got[2]!;
  assert.match(host.explanation.summary, /^1 more URL on xn--pypal-4ve\.com scored ≥ 0\.5 or imitated a popular domain since /);
  assert.match(host.explanation.summary, /; 1 sighting on an IDN homograph of "paypal\.com" \(a rule beside the model; the score is the model's\)$/);
  assert.deepEqual((host.explanation.detail as { homographs?: number; looksLike?: string }).looksLike, 'paypal.com');
  await live.close();
  // a model without a popularity table: the rule has nothing to compare with
  const quiet = new Sink();
  const bare = new UrlLiveScorer({ detector: model(0.1), sink: quiet });
  bare.offer(['GET http://xn--pypal-4ve.com/a 200'], T);
  await bare.flush();
  assert.equal(quiet.got.length, 0);
  await bare.close();
});

test("the userinfo rule reads the model's popularity table: a two-label user name under a country code fires only when the table vouches; a person's name never", async () => {
  // before: paypal.de@ and maria.lu@ both fired whatever the table (any known TLD read as a host)
  const lines = ['GET http://paypal.de@evil.tk/a 200', 'GET ftp://maria.lu@ftp.example.org/b 200'];
  const sink = new Sink();
  const live = new UrlLiveScorer({ detector: { ...model(0.1), popularity: PopularityTable.fromDomains(['paypal.com']) }, sink });
  live.offer(lines, T);
  await live.flush();
  assert.deepEqual(sink.got.map((f) => [f.entity, (f.explanation.detail as { deception?: { named: string } }).deception?.named]), [['url:evil.tk/a', 'paypal.de']]);
  await live.close();
  const bare = new Sink();
  const noTable = new UrlLiveScorer({ detector: model(0.1), sink: bare });
  noTable.offer(lines, T);
  await noTable.flush();
  assert.equal(bare.got.length, 0, 'without a table neither reads as a host');
  await noTable.close();
});

/** A URL finding's entity (findingUrl) and the `url.ignore` matcher (ignoredHosts): one URL however written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingsSink, NewFinding } from '../detector.js';
import { UrlLiveScorer } from './live.js';
import { findingUrl } from './line-urls.js';
import { ignoredHosts } from './ignore.js';
import { alwaysFlagged } from './testing.js';
import { compileQuery, LineMatcher, LineTerms } from '../../search/index.js';

/** Does a search query match one raw line (the live tail's matcher, which agrees with search)? */
function matches(query: string, line: string): boolean {
  return new LineMatcher(compileQuery(query.replace(/ -app:\S+$/, ''))).matches(new LineTerms(line, () => ''));
}

test('findingUrl: an empty path is /, the scheme\'s default port is dropped; other ports, queries and paths are kept', () => {
  const same: [string, string][] = [
    ['http://nopath-case.tk', 'nopath-case.tk/'],
    ['http://nopath-case.tk/', 'nopath-case.tk/'],
    ['HTTP://NoPath-Case.TK', 'nopath-case.tk/'],
    ['http://a.tk:80/x', 'a.tk/x'],
    ['http://a.tk/x', 'a.tk/x'],
    ['https://a.tk:443/x', 'a.tk/x'],
    ['https://a.tk:443', 'a.tk/'],
    // userinfo dropped (a password is not stored with a finding), trailing dots, a Unicode host in punycode
    ['http://u:p@a.tk:80/x', 'a.tk/x'],
    ['http://user@Secure-AppleID-verify.ml./x', 'secure-appleid-verify.ml/x'],
    ['http://bücher-login.tk/', 'xn--bcher-login-thb.tk/'],
    ['http://BÜCHER-login.tk:8080/a', 'xn--bcher-login-thb.tk:8080/a'],
    // decomposed (NFD: u and a combining U+0308), as some logs carry it: punycode's UTS-46 mapping composes it first
    ['http://bu\u0308cher-login.tk/', 'xn--bcher-login-thb.tk/'],
    ['http://[2001:db8::1]:80/x', '[2001:db8::1]/x'],
    // a blob: URL is the web URL of its origin, which made it (HTML smuggling)
    ['blob:https://Evil.tk/1234-abcd', 'evil.tk/1234-abcd'],
    ['BLOB:http://evil.tk:80/x', 'evil.tk/x'],
  ];
  for (const [url, entity] of same) assert.equal(findingUrl(url), entity, url);
  const kept: [string, string][] = [
    ['https://a.tk:80/x', 'a.tk:80/x'],
    ['http://a.tk:443/x', 'a.tk:443/x'],
    ['http://a.tk:8080/x', 'a.tk:8080/x'],
    ['a.tk:80/x', 'a.tk:80/x'],
    ['http://a.tk?q=1', 'a.tk?q=1'],
    ['http://[2001:db8::80]/x', '[2001:db8::80]/x'],
    ['a.tk/Path', 'a.tk/Path'],
  ];
  for (const [url, entity] of kept) assert.equal(findingUrl(url), entity, url);
});

test('live: two spellings of one URL are one finding, scored once, and its evidence query finds both lines', async () => {
  const model = alwaysFlagged();
  const got: NewFinding[] = [];
  const sink: FindingsSink = { record: (f) => void got.push(...f) };
  const live = new UrlLiveScorer({ detector: model, sink });
  const lines = ['GET http://nopath-case.tk 200', 'GET http://nopath-case.tk/ 200', 'GET http://a.tk:80/x 200', 'GET http://a.tk/x 200', 'GET https://a.tk:443/x 200'];
  live.offer(lines, 1_700_000_000_000);
  await live.flush();
  assert.deepEqual(model.scored, ['nopath-case.tk/', 'a.tk/x'], 'one score per URL');
  assert.deepEqual([...new Set(got.map((f) => f.entity))], ['url:nopath-case.tk/', 'url:a.tk/x']);
  const query = new Map(got.map((f) => [f.entity, f.evidence.query]));
  for (const line of lines.slice(0, 2)) assert.ok(matches(query.get('url:nopath-case.tk/')!, line), line);
  for (const line of lines.slice(2)) assert.ok(matches(query.get('url:a.tk/x')!, line), line);
  await live.close();
});

test('ignoredHosts: a Unicode entry covers its punycode host, as logs write it', () => {
  const ig = ignoredHosts(['bücher.de', '*.MÜNCHEN.de']);
  for (const u of ['http://xn--bcher-kva.de/', 'xn--bcher-kva.de/x', 'https://shop.xn--bcher-kva.de/a', 'http://xn--mnchen-3ya.de/', 'http://www.xn--mnchen-3ya.de/', 'http://bücher.de/x']) assert.ok(ig(u), u);
  for (const u of ['http://bucher.de/', 'http://xn--bcher-kva.de.evil.tk/']) assert.ok(!ig(u), u);
});

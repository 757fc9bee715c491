/** What a findings webhook message says: with the web UI's public address, links to the Alerts page on each finding (json and slack); without it, no links. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../detector.js';
import { alertsListHref, batchBody, findingHref, sampleBatch, type NotifyBatch } from './notify-message.js';

const NOW = Date.UTC(2026, 11, 7, 6, 0, 0);
/** entities whose characters a link must carry as they are: a URL's query and fragment, a literal %, +, and IPv6 colons */
const URL_ENTITY = 'url:evil.example/a b?x=1&y=%41+2#frag';
const IPV6_ENTITY = 'ip:2001:db8::7';

function finding(id: number, entity: string): Finding {
  const f = sampleBatch(NOW).findings[0]!.finding;
  return { ...f, id, entity };
}

const batch = (more = 0): NotifyBatch => ({ findings: [{ finding: finding(7, URL_ENTITY), raised: 'new' }, { finding: finding(8, IPV6_ENTITY), raised: 'reopened' }], more, moreIds: more > 0 ? [9, 10] : [] });

/** The entity and status the Alerts page reads from a link's address, as it reads them (URLSearchParams of location.search). */
function pageReads(href: string): { path: string; status: string | null; entity: string | null; sort: string | null } {
  const u = new URL(href);
  const params = new URLSearchParams(u.search);
  return { path: u.pathname, status: params.get('status'), entity: params.get('entity'), sort: params.get('sort') };
}

test("a finding's link opens the Alerts page on exactly its entity, every status, whatever characters the entity holds", () => {
  for (const entity of [URL_ENTITY, IPV6_ENTITY, 'url:a.example/%25%2F|<x>', 'domain:xn--bcher-kva.example']) {
    const href = findingHref('https://nml.example.com', entity);
    assert.deepEqual(pageReads(href), { path: '/alerts', status: 'all', entity, sort: null }, href);
    assert.doesNotMatch(href, /[|<> #]/, 'nothing that ends a Slack link or a bare address');
  }
  // a path under the address (a proxy's prefix) is kept, a trailing slash not doubled; the host as browsers write it
  assert.equal(findingHref('https://proxy.example/nml/', 'ip:10.0.0.1'), 'https://proxy.example/nml/alerts?status=all&entity=ip%3A10.0.0.1');
  assert.equal(findingHref('http://NML.Example.com:8080', 'ip:10.0.0.1'), 'http://nml.example.com:8080/alerts?status=all&entity=ip%3A10.0.0.1');
  // the list in its default order: raised or seen again first (the page's `sighted`, written without `sort`)
  assert.equal(alertsListHref('https://nml.example.com/'), 'https://nml.example.com/alerts?status=all');
});

test('json: with a public URL each finding has its link and a batch with more has moreLink; the text gives the addresses', () => {
  const body = JSON.parse(batchBody(batch(2), 'json', false, 'https://nml.example.com')) as { findings: Array<{ id: number; link: string }>; moreLink: string; moreWhere: string; text: string };
  assert.deepEqual(
    body.findings.map((f) => [f.id, pageReads(f.link).entity]),
    [
      [7, URL_ENTITY],
      [8, IPV6_ENTITY],
    ],
  );
  assert.equal(body.moreLink, 'https://nml.example.com/alerts?status=all');
  assert.match(body.moreWhere, /Alerts page/);
  assert.ok(body.text.includes(`(finding 7 ${body.findings[0]!.link}; search:`), body.text);
  assert.ok(body.text.includes(`see the Alerts page ${body.moreLink} of NML's web UI`), body.text);
  // no more: no moreLink
  assert.equal('moreLink' in (JSON.parse(batchBody(batch(0), 'json', false, 'https://nml.example.com')) as object), false);
});

test("slack: with a public URL each finding and the Alerts page are linked in Slack's <address|text>, which Mattermost reads too", () => {
  const { text } = JSON.parse(batchBody(batch(2), 'slack', false, 'https://nml.example.com')) as { text: string };
  const links = [...text.matchAll(/<(https:[^|>]+)\|([^>]+)>/g)].map((m) => [m[2], pageReads(m[1]!).entity]);
  assert.deepEqual(links, [
    ['finding 7', URL_ENTITY],
    ['finding 8', IPV6_ENTITY],
    ['the Alerts page', null],
  ]);
  // the test message links too: an operator sees that the address reaches the web UI
  const sample = JSON.parse(batchBody(sampleBatch(NOW), 'slack', true, 'https://nml.example.com')) as { text: string };
  assert.match(sample.text, /^NML test message: .*<https:\/\/nml\.example\.com\/alerts\?status=all&entity=url%3Anml-test\.invalid%2Fthis-is-a-test\|finding 0>/s);
});

test('without a public URL the messages have no links, as before', () => {
  for (const format of ['json', 'slack'] as const) {
    const text = batchBody(batch(2), format);
    assert.doesNotMatch(text, /"link"|moreLink|\/alerts\?|<http/, format);
    assert.equal(text, batchBody(batch(2), format, false, null));
  }
  const body = JSON.parse(batchBody(batch(2), 'json')) as { text: string };
  assert.ok(body.text.includes('(finding 7; search:'), body.text);
  assert.ok(body.text.endsWith("see the Alerts page of NML's web UI (sorted by Raised), or nml findings list --sort sighted"), body.text);
});

test("slack: a finding's own <, > and & are written as entities, so an entity cannot mention the channel or forge a link; json keeps them as they are", () => {
  const forged = 'url:evil.example/<!channel>?<https://phish.example|finding 7>&x=1';
  const b: NotifyBatch = { findings: [{ finding: { ...finding(7, forged), explanation: { summary: 'a <b> & c', detail: null }, evidence: { query: 'sub:"<!here>"', from: NOW, to: NOW } }, raised: 'new' }], more: 0, moreIds: [] };
  for (const publicUrl of [null, 'https://nml.example.com']) {
    const { text } = JSON.parse(batchBody(b, 'slack', false, publicUrl)) as { text: string };
    assert.ok(text.includes('url:evil.example/&lt;!channel&gt;?&lt;https://phish.example|finding 7&gt;&amp;x=1: a &lt;b&gt; &amp; c'), text);
    assert.ok(text.includes('search: sub:"&lt;!here&gt;"'), text);
    // the only <…> left are the message's own links
    assert.deepEqual(text.match(/<[^>]*>/g) ?? [], publicUrl === null ? [] : [`<${findingHref(publicUrl, forged)}|finding 7>`]);
  }
  const json = JSON.parse(batchBody(b, 'json')) as { findings: Array<{ entity: string }>; text: string };
  assert.equal(json.findings[0]!.entity, forged);
  assert.ok(json.text.includes(forged));
});

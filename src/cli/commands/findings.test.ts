import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync, seedRelations } from '../testing.js';
import { FindingsStore, type NewFinding } from '../../detect/index.js';
import { Catalog } from '../../store/index.js';
import { findingUrls } from './findings.js';
import { onePerson } from './findings-who.js';

const nml = (args: string[]) => runCliSync(args, { input: '' });

function finding(detector: string, entity: string, time: number): NewFinding {
  return { detector, entity, score: 0.99, threshold: 0.98, modelVersion: 'test', time, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: time } };
}

test('nml findings: list, set with a note, and the false positives as URLs for training', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingscli-'));
  try {
    // a folder that holds no store is a mistyped --data (exit 2); a store the server has not run on yet, not (exit 1)
    const notStore = nml(['findings', 'list', '--data', dir]);
    assert.equal(notStore.code, 2, notStore.err);
    assert.match(notStore.err, /^nml: store: .* holds no NML data \(no catalog\.db\)/);
    const typo = nml(['findings', 'list', '--data', join(dir, 'typo')]);
    assert.equal(typo.code, 2, typo.err);
    assert.match(typo.err, /^nml: store: no data directory at .*typo/);
    new Catalog(dir, 60_000).close();
    const noneYet = nml(['findings', 'list', '--data', dir]);
    assert.equal(noneYet.code, 1, noneYet.err);
    assert.match(noneYet.err, /has no findings.db yet; 'nml serve' makes it/);
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([
      finding('url', 'url:https://payroll.example.com/login?next=%2F', 1_000),
      finding('url', 'domain:cdn.example.net', 2_000),
      finding('url', 'ip:2001:db8::7', 3_000),
      finding('syn', 'ip:203.0.113.9', 4_000),
      finding('url', 'url:http://evil.example/x', 5_000),
    ]);
    const ids = new Map(store.list({ limit: 10 }).findings.map((f) => [f.entity, f.id]));
    store.close();

    const list = nml(['findings', 'list', '--data', dir]);
    assert.equal(list.code, 0, list.err);
    assert.deepEqual(list.out.trim().split('\n').map((l) => l.replace(/ {2}\[[^\]]*\]$/, '').split(/\s+/).at(-1)), ['url:http://evil.example/x', 'ip:203.0.113.9', 'ip:2001:db8::7', 'domain:cdn.example.net', 'url:https://payroll.example.com/login?next=%2F']);
    for (const entity of ['url:https://payroll.example.com/login?next=%2F', 'domain:cdn.example.net', 'ip:2001:db8::7', 'ip:203.0.113.9']) {
      const set = nml(['findings', 'set', String(ids.get(entity)), 'false-positive', '--note', 'ours', '--by', 'night-shift', '--data', dir]);
      assert.equal(set.code, 0, set.err);
      assert.match(set.out, /is now false-positive/);
    }
    const open = nml(['findings', 'list', '--status', 'open', '--json', '--data', dir]).out.trim().split('\n').map((l) => JSON.parse(l) as { entity: string });
    assert.deepEqual(open.map((f) => f.entity), ['url:http://evil.example/x']);
    const fp = nml(['findings', 'list', '--status', 'false-positive', '--limit', '1', '--data', dir]);
    assert.match(fp.out, /false-positive +syn .*ip:203\.0\.113\.9 \(night-shift \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: ours\)/);

    const urls = nml(['findings', 'urls', '--data', dir]);
    assert.equal(urls.code, 0, urls.err);
    assert.deepEqual(urls.out.trim().split('\n'), ['[2001:db8::7]/', 'cdn.example.net/', 'https://payroll.example.com/login?next=%2F'], 'the URL detector\'s false positives only');
    assert.match(urls.err, /3 URLs of URL findings false-positive/);

    const evil = String(ids.get('url:http://evil.example/x'));
    assert.match(nml(['findings', 'history', evil, '--data', dir]).out, /is open; nobody has changed its status/);
    assert.equal(nml(['findings', 'set', evil, 'resolved', '--note', 'blocked\nat the proxy', '--by', 'carol', '--data', dir]).code, 0);
    const h = nml(['findings', 'history', evil, '--data', dir]);
    assert.match(h.out, /^\d{4}-\d\d-\d\dT[\d:]+Z {2}resolved +by carol: blocked at the proxy\n$/);
    const { at, ...rest } = JSON.parse(nml(['findings', 'history', evil, '--json', '--data', dir]).out) as { at: number };
    assert.ok(Math.abs(at - Date.now()) < 600_000);
    assert.deepEqual(rest, { by: 'carol', status: 'resolved', note: 'blocked\nat the proxy', cause: 'person' });
    assert.equal(nml(['findings', 'history', '9999', '--data', dir]).code, 1);
    const both = nml(['findings', 'set', `${ids.get('ip:203.0.113.9')},9999,${ids.get('domain:cdn.example.net')}`, 'acknowledged', '--data', dir]);
    assert.equal(both.code, 1);
    assert.equal(both.out.split('\n').filter((l) => l.includes('is now acknowledged')).length, 2);
    assert.match(both.err, /no finding with id 9999 \(the others were set\)/);
    assert.match(nml(['findings', 'list', '--status', 'acknowledged', '--data', dir]).out, /ip:203\.0\.113\.9 \(cli:\S+ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: ours\)/);
    // set again: said, and no second history entry
    const twice = nml(['findings', 'set', String(ids.get('ip:203.0.113.9')), 'acknowledged', '--data', dir]);
    assert.match(twice.out, /finding \d+ \(syn ip:203\.0\.113\.9\) was already acknowledged/);
    assert.equal(nml(['findings', 'history', String(ids.get('ip:203.0.113.9')), '--json', '--data', dir]).out.trim().split('\n').filter((l) => l.includes('"acknowledged"')).length, 1);
    assert.equal(nml(['findings', 'set', '9999', 'resolved', '--data', dir]).code, 1);
    assert.match(nml(['findings', 'set', 'abc', 'resolved', '--data', dir]).err, /'abc' is not a finding id/);
    // one status: a wrong one says so without asking for a list, and two are refused, not cut to the first
    const banana = nml(['findings', 'set', '9999', 'banana', '--data', dir]);
    assert.equal(banana.code, 2, "a usage error");
    assert.match(banana.err, /findings set: status "banana" is not one of open, .*; name one status/);
    const two = nml(['findings', 'set', String(ids.get('ip:203.0.113.9')), 'open,resolved', '--data', dir]);
    assert.equal(two.code, 2);
    assert.match(two.err, /findings set: status "open,resolved" names 2; name one status/);
    // every finding a filter matches: the URL detector's still open or acknowledged ones (the resolved one reopened to make two)
    assert.equal(nml(['findings', 'set', evil, 'open', '--data', dir]).code, 0);
    const before = new FindingsStore(join(dir, 'findings.db'));
    const wanted = before.list({ detector: 'url', status: ['open', 'acknowledged'], limit: 10 }).findings.map((f) => f.id).sort();
    before.close();
    const all = nml(['findings', 'set', 'all', 'resolved', '--detector', 'url', '--from-status', 'open,acknowledged', '--note', 'campaign over', '--data', dir]);
    assert.equal(all.code, 0, all.err);
    assert.ok(wanted.length >= 2, `${wanted.length} url findings to do`);
    assert.equal(all.out.trim(), `${wanted.length} findings now resolved`);
    const after = new FindingsStore(join(dir, 'findings.db'));
    assert.deepEqual(after.list({ status: ['resolved'], limit: 10 }).findings.filter((f) => f.triage.note === 'campaign over').map((f) => f.id).sort(), wanted);
    assert.equal(after.get(ids.get('ip:203.0.113.9')!)!.triage.status, 'acknowledged', 'another detector untouched');
    after.close();
    assert.match(nml(['findings', 'set', '1', 'resolved', '--detector', 'url', '--data', dir]).err, /choose findings for 'all'/);
    assert.match(nml(['findings', 'set', 'all', 'resolved', '--min-score', '2', '--data', dir]).err, /--min-score must be a score from 0 to 1, got '2'/);
    const bad = nml(['findings', 'set', String(ids.get('url:http://evil.example/x')), 'closed', '--data', dir]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /status "closed" is not one of open, acknowledged, resolved, false-positive/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findingUrls: a URL finding is its URL, a host summary the flagged URLs it kept (else <host>/), anything else none', () => {
  const none = { summary: '', detail: null };
  assert.deepEqual(findingUrls({ entity: 'url:a.example/b', explanation: none }), ['a.example/b']);
  const summed = { summary: '14 more URLs on a.example', detail: { urls: 14, sightings: 20, examples: ['a.example/login?x=1', 'a.example/pay', 7] } };
  assert.deepEqual(findingUrls({ entity: 'domain:a.example', explanation: summed }), ['a.example/login?x=1', 'a.example/pay'], 'the paths that were flagged, not the homepage');
  assert.deepEqual(findingUrls({ entity: 'domain:a.example', explanation: none }), ['a.example/']);
  assert.deepEqual(findingUrls({ entity: 'ip:198.51.100.1', explanation: { summary: '', detail: { examples: [] } } }), ['198.51.100.1/']);
  assert.deepEqual(findingUrls({ entity: 'ip:2001:db8::1', explanation: none }), ['[2001:db8::1]/']);
  assert.deepEqual(findingUrls({ entity: 'user:bob', explanation: none }), []);
});

test('nml findings who: who asked for a flagged host, who is behind a flagged address, and nobody for an outside one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingswho-'));
  try {
    seedRelations(dir); // the seed incident: alice's ws-alice (10.0.2.91) asks for bad-c2.example at 10:00:01
    const window = { from: Date.UTC(2024, 0, 2, 9, 59), to: Date.UTC(2024, 0, 2, 10, 10) };
    const store = new FindingsStore(join(dir, 'findings.db'));
    const at = (f: NewFinding): NewFinding => ({ ...f, evidence: { query: f.entity, ...window } });
    store.record([
      at(finding('url', 'url:http://bad-c2.example/beacon?id=7', window.to)),
      at(finding('syn', 'ip:10.0.2.91', window.to)),
      at(finding('syn', 'ip:203.0.113.9', window.to)),
      at(finding('url', 'url:http://nobody-asked.example/x', window.to)),
    ]);
    const ids = new Map(store.list({ limit: 10 }).findings.map((f) => [f.entity, f.id]));
    store.close();
    const id = (entity: string): string => String(ids.get(entity));

    const text = nml(['findings', 'who', [id('url:http://bad-c2.example/beacon?id=7'), id('ip:10.0.2.91'), id('ip:203.0.113.9'), id('url:http://nobody-asked.example/x')].join(','), '--data', dir]);
    assert.equal(text.code, 0, text.err);
    const blocks = text.out.split(/\n(?=finding )/);
    assert.equal(blocks.length, 4, text.out);
    // alice looked the name up and connected to its address; bob reached that address without a lookup of his own
    assert.match(
      blocks[0]!,
      /url:http:\/\/bad-c2\.example\/beacon\?id=7 .*\n {2}reached by 2 addresses:\n +3x {2}ip:10\.0\.2\.91 +last 2024-01-02T10:00:32Z {2}\(2 connections to 198\.51\.100\.66, 1 lookup\) {2}user alice; host ws-alice.*\n +1x {2}ip:10\.0\.2\.92 +last 2024-01-02T10:03:00Z {2}\(1 connection to 198\.51\.100\.66\) {2}user bob; host ws-bob/,
      'a lookup is said as one; a connection to the name\'s address names it',
    );
    assert.match(blocks[1]!, /ip:10\.0\.2\.91 .*\n {2}behind it: user alice; host ws-alice; mac 00:11:22:33:44:91$/);
    assert.match(blocks[2]!, /ip:203\.0\.113\.9 .*\n {2}an address outside the network: nobody to name/);
    assert.match(blocks[3]!, /no client seen asking for this host in its evidence window/);

    const json = nml(['findings', 'who', id('url:http://bad-c2.example/beacon?id=7'), '--json', '--data', dir]);
    assert.equal(json.code, 0, json.err);
    const row = JSON.parse(json.out) as { who: { entity: string; total: number; clients: { entity: string; identity: { users: string[] } }[] } };
    assert.equal(row.who.entity, 'domain:bad-c2.example');
    assert.equal(row.who.total, 2);
    assert.deepEqual(row.who.clients.map((c) => [c.entity, c.identity.users]), [['ip:10.0.2.91', ['alice']], ['ip:10.0.2.92', ['bob']]]);

    // an unknown id is said after the others, with exit 1; a word that is no id is refused first
    const some = nml(['findings', 'who', `${id('ip:10.0.2.91')},9999`, '--data', dir]);
    assert.equal(some.code, 1);
    assert.match(some.out, /behind it: user alice/);
    assert.match(some.err, /no finding with id 9999 \(the others are above\)/);
    assert.match(nml(['findings', 'who', '7x', '--data', dir]).err, /'7x' is not a finding id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml findings who names one person once: corp\\carol from a logon and carol from a firewall mapping', () => {
  assert.deepEqual(onePerson({ macs: [], users: ['corp\\carol', 'carol', 'dave@corp', 'dave', 'erin'], hosts: ['ws-3'] })!.users, ['corp\\carol', 'dave@corp', 'erin']);
  assert.equal(onePerson(null), null);
});

test('nml findings: --status repeated adds up (as a comma list does), in list and urls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingscli-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('url', 'url:http://a.example/x', 1_000), finding('url', 'url:http://b.example/y', 2_000), finding('url', 'url:http://c.example/z', 3_000)]);
    const ids = new Map(store.list({ limit: 10 }).findings.map((f) => [f.entity, f.id]));
    store.triageMany([ids.get('url:http://a.example/x')!], 'resolved', null, 'test');
    store.triageMany([ids.get('url:http://b.example/y')!], 'false-positive', null, 'test');
    store.close();
    const entities = (args: string[]): string[] => nml(['findings', 'list', '--json', '--data', dir, ...args]).out.trim().split('\n').map((l) => (JSON.parse(l) as { entity: string }).entity).sort();
    const both = ['url:http://a.example/x', 'url:http://c.example/z'];
    assert.deepEqual(entities(['--status', 'open', '--status', 'resolved']), both, 'both values, not the last alone');
    assert.deepEqual(entities(['--status', 'open,resolved']), both);
    const urls = nml(['findings', 'urls', '--status', 'resolved', '--status', 'false-positive', '--data', dir]);
    assert.equal(urls.code, 0, urls.err);
    assert.deepEqual(urls.out.trim().split('\n').sort(), ['http://a.example/x', 'http://b.example/y']);
    assert.deepEqual(nml(['findings', 'urls', '--data', dir]).out.trim().split('\n'), ['http://b.example/y'], 'the default alone: false-positive');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

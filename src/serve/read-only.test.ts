/**
 * The viewer role: reads what an analyst reads; triage and saving to the incident base are 403 and change
 * nothing (a session cannot ingest at all: its POSTs must be JSON, which /api/ingest does not take).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assistant, IncidentBase } from '../assist/index.js';
import { FindingsStore } from '../detect/index.js';
import { Articles, Blocklists, Investigator } from '../investigate/index.js';
import { AUTH } from './testing.js';
import { ALICE, login, webApp } from './web-testing.js';

const VIC = { username: 'vic', password: 'vic-password-1' };
const JSON_CT = { 'content-type': 'application/json' };

test('a viewer reads findings, searches and analyses a report, but cannot triage or save; an analyst and the token can', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-viewer-'));
  const findings = new FindingsStore(':memory:');
  findings.record([{ detector: 'url', entity: 'url:evil.example/x', score: 0.99, threshold: 0.9, modelVersion: 't', time: Date.now(), explanation: { summary: 's', detail: null }, evidence: { query: 'evil.example', from: 0, to: 1 } }]);
  const base = new IncidentBase(join(dir, 'incidents.db'));
  const { app, users, deps, close } = await webApp({ findings });
  const assistant = new Assistant({ base, logs: deps.searcher, now: () => 1_700_000_000_000 });
  // the app above has no assistant: a second one, with it, over the same users
  const { buildApp } = await import('./app.js');
  const investigator = new Investigator({
    relations: { edges: () => [], fanIn: () => new Map(), sourcesOf: () => new Map(), files: () => [] },
    blocklists: new Blocklists(join(dir, 'blocklists')),
    articles: new Articles(join(dir, 'articles')),
  });
  const withAssist = await buildApp({ ...deps, users, assistant, investigator });
  try {
    await users.add(VIC.username, VIC.password, 'viewer');
    const vic = await login(app, VIC);
    const id = findings.list().findings[0]!.id;
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: vic } })).json().user.role, 'viewer');
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings', headers: { cookie: vic } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/search?q=x', headers: { cookie: vic } })).statusCode, 200);

    const refused = [
      { method: 'PATCH', url: `/api/findings/${id}`, payload: { status: 'resolved' }, what: /triaging findings needs the analyst or admin role; 'vic' is a viewer/ },
      { method: 'PATCH', url: '/api/findings', payload: { ids: [id], status: 'resolved' }, what: /triaging findings/ },
      { method: 'PATCH', url: '/api/findings/matching', payload: { status: 'resolved', readAt: Date.now() }, what: /triaging findings/ },
    ] as const;
    for (const r of refused) {
      const res = await app.inject({ method: r.method, url: r.url, headers: { cookie: vic, ...JSON_CT }, payload: r.payload });
      assert.equal(res.statusCode, 403, `${r.method} ${r.url}: ${res.body}`);
      assert.equal(res.json().error.code, 'AUTH_FORBIDDEN');
      assert.match(res.json().error.message, r.what);
    }
    assert.equal(findings.get(id)!.triage.status, 'open', 'nothing triaged');

    const vicA = await login(withAssist, VIC);
    const report = 'Phishing mail from billing@evil.example to alice; the link http://evil.example/x was clicked on ws-0013.';
    const read = await withAssist.inject({ method: 'POST', url: '/api/assist/normalize', headers: { cookie: vicA, ...JSON_CT }, payload: { text: report } });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().saved, false);
    const save = await withAssist.inject({ method: 'POST', url: '/api/assist/normalize', headers: { cookie: vicA, ...JSON_CT }, payload: { text: report, save: true } });
    assert.equal(save.statusCode, 403);
    assert.match(save.json().error.message, /saving a report to the incident base/);
    // a reload reads the folders again, and its answer names the data directory's paths
    const reload = await withAssist.inject({ method: 'POST', url: '/api/pivot/reload', headers: { cookie: vicA, ...JSON_CT }, payload: {} });
    assert.equal(reload.statusCode, 403, reload.body);
    assert.match(reload.json().error.message, /reloading the blocklist and article folders needs the analyst or admin role/);
    const sources = await withAssist.inject({ method: 'GET', url: '/api/pivot/sources', headers: { cookie: vicA } });
    assert.equal(sources.statusCode, 200, 'reading the sources is allowed');
    // what is loaded, not where the server keeps it (a security review: a viewer read the data directory's paths)
    assert.equal(sources.json().blocklists.dir, null);
    assert.equal(sources.json().articles.dir, null);
    const byToken = (await withAssist.inject({ method: 'GET', url: '/api/pivot/sources', headers: AUTH })).json();
    assert.equal(typeof byToken.blocklists.dir, 'string', `the token still reads the folders: ${JSON.stringify(byToken.blocklists)}`);

    // an analyst and the API token are unchanged
    const alice = await login(app, ALICE);
    assert.equal((await app.inject({ method: 'PATCH', url: `/api/findings/${id}`, headers: { cookie: alice, ...JSON_CT }, payload: { status: 'acknowledged' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'a line\n' })).statusCode, 200);
  } finally {
    await withAssist.close();
    investigator.close();
    await close();
    base.close();
    findings.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { buildApp } from './app.js';
import { FindingsStore, type NewFinding } from '../detect/index.js';
import type { FindingsResponse } from './api.js';
import { AUTH, fakeDeps } from './testing.js';
import { ALICE, login, webApp } from './web-testing.js';

const T0 = 1_700_000_000_000;

function finding(i: number): NewFinding {
  return {
    detector: i % 2 === 0 ? 'url' : 'syn',
    entity: i % 2 === 0 ? `url:bad${i}.example/x` : `ip:198.51.100.${i}`,
    score: 0.5 + i / 100,
    threshold: 0.5,
    modelVersion: 'test',
    time: T0 + i * 60_000,
    explanation: { summary: `finding ${i}`, detail: null },
    evidence: { query: `ip:198.51.100.${i}`, from: T0, to: T0 + 3_600_000 },
  };
}

test('/api/findings: pages newest first, filters, one finding by id, errors', async () => {
  const store = new FindingsStore(':memory:');
  store.record(Array.from({ length: 7 }, (_, i) => finding(i)));
  const app = await buildApp(fakeDeps({ findings: store }));
  try {
    const get = (url: string, headers: Record<string, string> = AUTH) => app.inject({ method: 'GET', url, headers });
    assert.equal((await get('/api/findings', {})).statusCode, 401, 'authentication required');

    const first = (await get('/api/findings?limit=3')).json<FindingsResponse>();
    assert.deepEqual(first.findings.map((f) => f.entity), ['url:bad6.example/x', 'ip:198.51.100.5', 'url:bad4.example/x']);
    assert.ok(first.next);
    const second = (await get(`/api/findings?limit=3&cursor=${first.next}`)).json<FindingsResponse>();
    assert.deepEqual(second.findings.map((f) => f.entity), ['ip:198.51.100.3', 'url:bad2.example/x', 'ip:198.51.100.1']);

    const syn = (await get('/api/findings?detector=syn&sort=score&minScore=0.52')).json<FindingsResponse>();
    assert.deepEqual(syn.findings.map((f) => f.score), [0.55, 0.53]);
    // all recorded in one call, so equal in sightedAt: then newest id first, and the field is there
    const sighted = (await get('/api/findings?sort=sighted&limit=2')).json<FindingsResponse>();
    assert.deepEqual(sighted.findings.map((f) => f.entity), ['url:bad6.example/x', 'ip:198.51.100.5']);
    assert.ok(sighted.findings.every((f) => typeof f.sightedAt === 'number' && f.sightedAt > T0));
    assert.equal((await get('/api/findings?sort=newest')).statusCode, 400);
    const recent = (await get(`/api/findings?from=${T0 + 5 * 60_000}`)).json<FindingsResponse>();
    assert.equal(recent.findings.length, 2);

    const one = await get(`/api/findings/${first.findings[0]!.id}`);
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().explanation.summary, 'finding 6');
    // an id past 2^53 would be rounded to another: refused, not looked up
    const huge = await get('/api/findings/99999999999999999999');
    assert.equal(huge.statusCode, 400);
    assert.doesNotMatch(huge.body, /100000000000000000000/);
    const missing = await get('/api/findings/9999');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'FINDINGS_NOT_FOUND');
    const badCursor = await get('/api/findings?cursor=nope');
    assert.equal(badCursor.statusCode, 400);
    assert.equal(badCursor.json().error.code, 'FINDINGS_CURSOR_INVALID');
    assert.equal((await get('/api/findings?minScore=2')).statusCode, 400);
  } finally {
    await app.close();
    store.close();
  }
});

test('/api/findings?entity= lists one entity\'s findings exactly, pages, and counts them', async () => {
  const store = new FindingsStore(':memory:');
  store.record([...Array.from({ length: 7 }, (_, i) => finding(i)), { ...finding(1), detector: 'syn-flood' }, { ...finding(3), entity: 'ip:198.51.100.13' }]);
  const app = await buildApp(fakeDeps({ findings: store }));
  try {
    const get = (url: string) => app.inject({ method: 'GET', url, headers: AUTH });
    const first = (await get('/api/findings?entity=ip%3A198.51.100.1&limit=1')).json<FindingsResponse>();
    assert.deepEqual(first.findings.map((f) => f.entity), ['ip:198.51.100.1']);
    assert.ok(first.next, 'two detectors found it: a second page');
    const second = (await get(`/api/findings?entity=ip%3A198.51.100.1&limit=1&cursor=${first.next}`)).json<FindingsResponse>();
    assert.deepEqual([...first.findings, ...second.findings].map((f) => f.detector).sort(), ['syn', 'syn-flood']);
    assert.equal(second.next, undefined);
    assert.deepEqual((await get('/api/findings?entity=ip%3A198.51.100.3')).json<FindingsResponse>().findings.map((f) => f.entity), ['ip:198.51.100.3'], 'exact, not a prefix');
    assert.deepEqual((await get('/api/findings/counts?entity=ip%3A198.51.100.1')).json().counts, { open: 2, acknowledged: 0, resolved: 0, 'false-positive': 0 });
    assert.equal((await get('/api/findings?entity=')).statusCode, 400);
    // however a person writes it: a bare address, a long IPv6 form, a URL with its scheme and case
    store.record([{ ...finding(0), entity: 'ip:2001:db8::5' }, { ...finding(0), entity: 'url:evil.example/p' }]);
    const entities = async (e: string) => (await get(`/api/findings?entity=${encodeURIComponent(e)}`)).json<FindingsResponse>().findings.map((f) => f.entity);
    assert.deepEqual(await entities('198.51.100.3'), ['ip:198.51.100.3']);
    assert.deepEqual(await entities('ip:2001:0DB8:0:0:0:0:0:5'), ['ip:2001:db8::5']);
    assert.deepEqual(await entities('url:http://Evil.EXAMPLE:80/p'), ['url:evil.example/p']);
    assert.deepEqual((await get('/api/findings/counts?entity=198.51.100.1')).json().counts, { open: 2, acknowledged: 0, resolved: 0, 'false-positive': 0 });
  } finally {
    await app.close();
    store.close();
  }
});

test('/api/findings?sort=triaged lists what a person triaged last first; triagedSince keeps those triaged since, a time as from takes it', async () => {
  const store = new FindingsStore(':memory:');
  store.record(Array.from({ length: 5 }, (_, i) => finding(i)));
  const app = await buildApp(fakeDeps({ findings: store }));
  try {
    const get = (url: string) => app.inject({ method: 'GET', url, headers: AUTH });
    const id = (entity: string) => store.find(entity.startsWith('url:') ? 'url' : 'syn', entity)!.id;
    // the server's clock is T0 (fakeDeps): last week, then tonight
    store.triage(id('ip:198.51.100.1'), 'resolved', '', 'day', T0 - 7 * 86_400_000);
    store.triage(id('url:bad4.example/x'), 'resolved', 'blocked', 'night', T0 - 2 * 3_600_000);
    store.triage(id('url:bad0.example/x'), 'false-positive', '', 'night', T0 - 3_600_000);
    const entities = async (q: string) => {
      const r = await get(`/api/findings?${q}`);
      assert.equal(r.statusCode, 200, r.body);
      return r.json<FindingsResponse>().findings.map((f) => f.entity);
    };
    assert.deepEqual(await entities('sort=triaged&status=resolved,false-positive'), ['url:bad0.example/x', 'url:bad4.example/x', 'ip:198.51.100.1']);
    assert.deepEqual((await entities('sort=triaged')).slice(3), ['ip:198.51.100.3', 'url:bad2.example/x'], 'nobody set these: after, newest raised first');
    assert.deepEqual(await entities('sort=triaged&triagedSince=-12h'), ['url:bad0.example/x', 'url:bad4.example/x']);
    assert.deepEqual(await entities(`triagedSince=${new Date(T0 - 90 * 60_000).toISOString()}`), ['url:bad0.example/x']);
    const page = (await get('/api/findings?sort=triaged&limit=2')).json<FindingsResponse>();
    assert.deepEqual((await get(`/api/findings?sort=triaged&limit=10&cursor=${page.next}`)).json<FindingsResponse>().findings.length, 3, 'the cursor continues');
    const bad = await get('/api/findings?triagedSince=yesterday');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'TIME_SYNTAX');
    assert.match(bad.json().error.message, /^request: query parameter triagedSince: time: cannot read 'yesterday'/);
    assert.equal(bad.json().error.details.param, 'triagedSince');
    assert.equal((await get('/api/findings?triagedSince=')).statusCode, 400, 'empty is refused, not read as no filter');
  } finally {
    await app.close();
    store.close();
  }
});

test('/api/findings is absent when the node runs no findings store', async () => {
  const app = await buildApp(fakeDeps());
  const res = await app.inject({ method: 'GET', url: '/api/findings', headers: AUTH });
  assert.equal(res.statusCode, 404);
  await app.close();
});

test('PATCH /api/findings/:id: a logged-in analyst or the token triages a finding; the list filters by status', async () => {
  const store = new FindingsStore(':memory:');
  store.record(Array.from({ length: 4 }, (_, i) => finding(i)));
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const { app, close } = await webApp({ findings: store, now: () => T0 + 99_000, logger });
  try {
    const [a, b] = store.list({ sort: 'score', limit: 2 }).findings;
    const patch = (id: number, payload: unknown, headers: Record<string, string>) =>
      app.inject({ method: 'PATCH', url: `/api/findings/${id}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
    const cookie = await login(app);

    const fp = await patch(a!.id, { status: 'false-positive', note: 'the payroll vendor: checked with finance' }, { cookie });
    assert.equal(fp.statusCode, 200, fp.body);
    assert.deepEqual(fp.json().triage, { status: 'false-positive', note: 'the payroll vendor: checked with finance', by: ALICE.username, at: T0 + 99_000, reopenedAt: null, assignee: null, assignedAt: null });
    const ack = await patch(b!.id, { status: 'acknowledged' }, AUTH);
    assert.deepEqual(ack.json().triage, { status: 'acknowledged', note: '', by: 'api-token', at: T0 + 99_000, reopenedAt: null, assignee: null, assignedAt: null });
    const triaged = log.split('\n').filter((l) => l.includes('finding triaged')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(triaged.map((l) => [l.user, l.finding, l.status, l.noteLength]), [[ALICE.username, a!.id, 'false-positive', 40], ['api-token', b!.id, 'acknowledged', 0]]);
    assert.ok(!log.includes('payroll'), 'the note is never logged');

    const list = async (q: string) => (await app.inject({ method: 'GET', url: `/api/findings?${q}`, headers: AUTH })).json<FindingsResponse>();
    assert.deepEqual((await list('status=open')).findings.map((f) => f.triage.status), ['open', 'open']);
    assert.deepEqual((await list('status=false-positive,acknowledged&sort=score')).findings.map((f) => f.id), [a!.id, b!.id]);
    const history = await app.inject({ method: 'GET', url: `/api/findings/${a!.id}/history`, headers: { cookie } });
    assert.deepEqual(history.json(), { history: [{ at: T0 + 99_000, by: ALICE.username, status: 'false-positive', note: 'the payroll vendor: checked with finance', cause: 'person' }] });
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings/9999/history', headers: AUTH })).json().error.code, 'FINDINGS_NOT_FOUND');
    assert.equal((await app.inject({ method: 'GET', url: `/api/findings/${a!.id}/history` })).statusCode, 401);
    const counts = await app.inject({ method: 'GET', url: '/api/findings/counts', headers: { cookie } });
    assert.deepEqual(counts.json(), { counts: { open: 2, acknowledged: 1, resolved: 0, 'false-positive': 1 } });
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/findings/counts?detector=syn&minScore=0.52', headers: AUTH })).json().counts, { open: 0, acknowledged: 0, resolved: 0, 'false-positive': 1 });
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings/counts' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings/counts?status=open', headers: AUTH })).statusCode, 400, 'counts are by status already');
    // a detector typo is refused, naming the detectors (it listed nothing, as if there were no findings)
    const typo = await app.inject({ method: 'GET', url: '/api/findings?detector=syn-waves', headers: AUTH });
    assert.deepEqual([typo.statusCode, typo.json().error.code], [400, 'FINDINGS_UNKNOWN_DETECTOR']);
    assert.match(typo.json().error.message, /the detectors are .*syn-wave/);
    const badStatus = await app.inject({ method: 'GET', url: '/api/findings?status=open,closed', headers: AUTH });
    assert.equal(badStatus.statusCode, 400);
    assert.match(badStatus.json().error.message, /status "closed" is not one of open, acknowledged, resolved, false-positive/);

    const refused = [
      [await patch(a!.id, { status: 'closed' }, AUTH), 400],
      [await patch(a!.id, { status: 'resolved', note: 'x'.repeat(2001) }, AUTH), 400],
      [await patch(a!.id, { status: 'resolved', by: 'mallory' }, AUTH), 400],
      [await patch(9999, { status: 'resolved' }, AUTH), 404],
      [await patch(a!.id, { status: 'resolved' }, {}), 401],
    ] as const;
    assert.deepEqual(refused.map(([r]) => r.statusCode), refused.map(([, code]) => code), refused.map(([r]) => r.body).join('\n'));
    assert.equal(store.get(a!.id)!.triage.status, 'false-positive', 'refused changes change nothing');
    // many at once: one status; the note given to all, or each keeps its own when none is given
    const all = store.list({ limit: 10 }).findings.map((f) => f.id);
    const bulk = await app.inject({ method: 'PATCH', url: '/api/findings', headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ ids: [...all, 9999], status: 'acknowledged' }) });
    assert.equal(bulk.statusCode, 200, bulk.body);
    assert.deepEqual([bulk.json().missing, bulk.json().unchanged], [[9999], [b!.id]], 'the one acknowledged already is left as the token set it');
    assert.deepEqual(bulk.json().findings.map((f: { id: number; triage: { status: string; by: string } }) => [f.id, f.triage.status, f.triage.by]), all.map((id) => [id, 'acknowledged', id === b!.id ? 'api-token' : ALICE.username]));
    assert.equal(store.get(a!.id)!.triage.note, 'the payroll vendor: checked with finance', 'no note given: each keeps its own');
    const noted = await app.inject({ method: 'PATCH', url: '/api/findings', headers: AUTH, payload: { ids: [all[0], all[1]], status: 'resolved', note: 'scan wave blocked at the edge' } });
    assert.deepEqual(noted.json().findings.map((f: { triage: { note: string } }) => f.triage.note), ['scan wave blocked at the edge', 'scan wave blocked at the edge']);
    assert.ok(log.includes('"findings":2') && log.includes('findings triaged'));
    const same = await app.inject({ method: 'PATCH', url: '/api/findings', headers: AUTH, payload: { ids: [all[0], all[1]], status: 'resolved' } });
    assert.deepEqual([same.json().findings.length, same.json().unchanged], [2, [all[0], all[1]]], 'already so: found, unchanged, said');
    for (const bad of [{ ids: [], status: 'resolved' }, { ids: Array.from({ length: 1001 }, (_, i) => i + 1), status: 'resolved' }, { ids: [1], status: 'closed' }, { ids: ['x'], status: 'resolved' }]) {
      assert.equal((await app.inject({ method: 'PATCH', url: '/api/findings', headers: AUTH, payload: bad })).statusCode, 400, JSON.stringify(bad).slice(0, 80));
    }
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/findings', payload: { ids: [1], status: 'resolved' } })).statusCode, 401);
    // every finding a filter matches that has not changed since the page was read
    const matching = (payload: unknown, headers: Record<string, string> = AUTH) => app.inject({ method: 'PATCH', url: '/api/findings/matching', headers, payload: payload as object });
    // a change in the very millisecond of the read is not taken as seen (strict <): read a millisecond after the last one
    const lastChange = Date.now();
    while (Date.now() <= lastChange) await new Promise((r) => setTimeout(r, 1));
    const page = (await app.inject({ method: 'GET', url: '/api/findings?detector=url', headers: AUTH })).json<FindingsResponse>();
    assert.ok(Number.isInteger(page.readAt) && page.readAt <= Date.now(), 'the list says when it was read');
    const urls = store.list({ detector: 'url', limit: 10 }).findings;
    const byFilter = await matching({ match: { detector: 'url', status: 'acknowledged,resolved', readAt: page.readAt }, status: 'false-positive', note: 'test domains of the red team' }, { cookie, 'content-type': 'application/json' });
    assert.equal(byFilter.statusCode, 200, byFilter.body);
    assert.deepEqual(byFilter.json(), { changed: urls.length });
    assert.ok(urls.every((f) => store.get(f.id)!.triage.status === 'false-positive' && store.get(f.id)!.triage.by === ALICE.username));
    assert.ok(store.list({ detector: 'syn', limit: 10 }).findings.every((f) => f.triage.status !== 'false-positive' || f.id === a!.id), 'another detector untouched');
    assert.equal((await matching({ match: { readAt: 0 }, status: 'open' })).json().changed, 0, 'nothing recorded by then');
    assert.ok(log.includes('findings triaged by filter') && !log.includes('red team'), 'logged without the note');
    for (const bad of [{ match: {}, status: 'resolved' }, { match: { readAt: 1, status: 'closed' }, status: 'resolved' }, { match: { readAt: 1, where: '1=1' }, status: 'resolved' }, { match: { readAt: 1 }, status: 'gone' }]) {
      assert.equal((await matching(bad)).statusCode, 400, JSON.stringify(bad));
    }
    assert.equal((await matching({ match: { readAt: 1 }, status: 'resolved' }, {})).statusCode, 401);
    // a readAt after the server's clock would let findings that come meanwhile be closed unseen
    const future = await matching({ match: { readAt: Date.now() + 3_600_000 }, status: 'resolved' });
    assert.equal(future.statusCode, 400);
    assert.equal(future.json().error.code, 'FINDINGS_FILTER_INVALID');
    assert.match(future.json().error.message, /after the server's clock/);
    const form = await app.inject({ method: 'PATCH', url: `/api/findings/${a!.id}`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'status=resolved' });
    assert.notEqual(form.statusCode, 200, 'a cookie-authenticated change must be JSON (no cross-site form)');
  } finally {
    await close();
    store.close();
  }
});

test("/api/findings gives a SYN finding's source (evidence.source) and Hosts board page (board); a URL finding neither", async () => {
  const store = new FindingsStore(':memory:');
  store.record([{ ...finding(1), evidence: { query: 'ip:198.51.100.1', from: T0, to: T0 + 1000, source: { kind: 'interface', name: 'eth0' } } }, finding(2)]);
  const app = await buildApp(fakeDeps({ findings: store }));
  try {
    const list = (await app.inject({ method: 'GET', url: '/api/findings', headers: AUTH })).json<FindingsResponse>();
    const syn = list.findings.find((f) => f.detector === 'syn')!;
    assert.deepEqual(syn.evidence.source, { kind: 'interface', name: 'eth0' }, 'not dropped by the response schema');
    assert.equal(syn.board, '/hosts?ip=198.51.100.1');
    const url = list.findings.find((f) => f.detector === 'url')!;
    assert.equal(url.board, undefined);
    assert.equal(url.evidence.source, undefined);
    const one = (await app.inject({ method: 'GET', url: `/api/findings/${syn.id}`, headers: AUTH })).json<FindingsResponse['findings'][number]>();
    assert.equal(one.board, '/hosts?ip=198.51.100.1');
  } finally {
    await app.close();
    store.close();
  }
});

test('/api/findings: a URL finding on an internationalized host stored with the old one-spelling evidence is served with both spellings', async () => {
  const store = new FindingsStore(':memory:');
  store.record([{ ...finding(0), entity: 'url:xn--bcher-kva.de/login.php', evidence: { query: 'sub:"xn--bcher-kva.de" sub:"/login.php" -app:nml-detect', from: T0, to: T0 + 1 } }]);
  const app = await buildApp(fakeDeps({ findings: store }));
  try {
    const [f] = (await app.inject({ method: 'GET', url: '/api/findings', headers: AUTH })).json<FindingsResponse>().findings;
    assert.equal(f!.evidence.query, '(sub:"xn--bcher-kva.de" OR sub:"bücher.de" OR sub:"bu\u0308cher.de") sub:"/login.php" -app:nml-detect');
    const one = (await app.inject({ method: 'GET', url: `/api/findings/${f!.id}`, headers: AUTH })).json<{ evidence: { query: string } }>();
    assert.equal(one.evidence.query, f!.evidence.query);
  } finally {
    await app.close();
    store.close();
  }
});

test('PATCH /api/findings with infinite ids (Ajv coerces "Infinity" and 1e999 to numbers) is a 400 naming ids, not a 500', async () => {
  const store = new FindingsStore(':memory:');
  const app = await buildApp(fakeDeps({ findings: store }));
  try {
    for (const payload of ['{"ids":"Infinity","status":"open"}', '{"ids":[1e999],"status":"open"}']) {
      const res = await app.inject({ method: 'PATCH', url: '/api/findings', headers: { ...AUTH, 'content-type': 'application/json' }, payload });
      assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
      assert.equal(res.json().error.code, 'HTTP_BAD_REQUEST');
      assert.equal(res.json().error.details.in, 'body');
      assert.match(res.json().error.details.param, /^ids/, 'ids, or ids.0 where the validator saw the number itself');
    }
  } finally {
    await app.close();
    store.close();
  }
});

test('PATCH /api/findings…: assigning to a user of the server (the status stays), refusing an unknown name; the lists and counts filter by assignee (me, none)', async () => {
  // one clock for the server and the store: readAt, sightings and changes on it
  let clock = T0 + 99_000;
  const store = new FindingsStore(':memory:', () => clock);
  store.record(Array.from({ length: 4 }, (_, i) => finding(i)));
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const { app, close, users } = await webApp({ findings: store, now: () => clock, logger });
  try {
    await users.add('carol', 'carol-password-1', 'analyst');
    await users.add('vera', 'vera-password-1', 'viewer');
    const cookie = await login(app);
    const json = { cookie, 'content-type': 'application/json' };
    const tok = { ...AUTH, 'content-type': 'application/json' };
    const [a, b, c, d] = store.list({ sort: 'id', limit: 4 }).findings.map((f) => f.id).reverse() as [number, number, number, number];
    store.triage(a, 'acknowledged', 'on it', 'dave', T0);
    const patch = (url: string, payload: unknown, headers: Record<string, string> = json) => app.inject({ method: 'PATCH', url, headers, payload: JSON.stringify(payload) });

    const mine = await patch(`/api/findings/${a}`, { assignee: ALICE.username });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(mine.json().triage, { status: 'acknowledged', note: 'on it', by: 'dave', at: T0, reopenedAt: null, assignee: ALICE.username, assignedAt: T0 + 99_000 }, 'the status, who set it and when stay');
    const history = (await app.inject({ method: 'GET', url: `/api/findings/${a}/history`, headers: AUTH })).json().history;
    assert.deepEqual(history.at(-1), { at: T0 + 99_000, by: ALICE.username, status: 'acknowledged', note: 'on it', cause: 'assignment', assignee: ALICE.username });
    assert.ok(log.includes(`"assignee":"${ALICE.username}"`), 'the assignment is logged');

    // an unknown name is refused with its code, nothing changed; so is an empty change or a note without a status
    const unknown = await patch(`/api/findings/${b}`, { assignee: 'carl' });
    assert.deepEqual([unknown.statusCode, unknown.json().error.code], [400, 'FINDINGS_ASSIGNEE_UNKNOWN']);
    assert.match(unknown.json().error.message, /^findings: no user 'carl' to assign to; name a user of this server .*or send assignee null to unassign$/);
    assert.equal((await patch('/api/findings', { ids: [b, c], assignee: 'carl', status: 'resolved' })).json().error.code, 'FINDINGS_ASSIGNEE_UNKNOWN');
    assert.equal(store.get(b)!.triage.status, 'open', 'a refused change changes nothing, its status neither');
    assert.equal((await patch(`/api/findings/${b}`, {})).json().error.code, 'FINDINGS_INVALID');
    assert.equal((await patch(`/api/findings/${b}`, { note: 'x' })).json().error.code, 'FINDINGS_INVALID');
    assert.equal((await patch(`/api/findings/${b}`, { assignee: '' })).statusCode, 400);
    // the same auth rules as a status change: no session, no change; a viewer reads only
    assert.equal((await patch(`/api/findings/${b}`, { assignee: 'carol' }, { 'content-type': 'application/json' })).statusCode, 401);
    const viewer = await login(app, { username: 'vera', password: 'vera-password-1' });
    assert.equal((await patch(`/api/findings/${b}`, { assignee: 'vera' }, { cookie: viewer, 'content-type': 'application/json' })).statusCode, 403);

    // many at once, with a status too; the token may assign as it may triage
    const bulk = await patch('/api/findings', { ids: [b, c, 9999], assignee: 'carol', status: 'acknowledged' }, tok);
    assert.equal(bulk.statusCode, 200, bulk.body);
    assert.deepEqual(bulk.json().findings.map((f: { triage: { assignee: string; status: string } }) => [f.triage.assignee, f.triage.status]), [['carol', 'acknowledged'], ['carol', 'acknowledged']]);
    assert.deepEqual(bulk.json().missing, [9999]);
    assert.deepEqual((await patch('/api/findings', { ids: [b], assignee: 'carol' }, tok)).json().unchanged, [b], 'already hers');

    const list = async (q: string, headers: Record<string, string> = { cookie }) => (await app.inject({ method: 'GET', url: `/api/findings?${q}`, headers })).json<FindingsResponse>().findings.map((f) => f.id).sort();
    assert.deepEqual(await list('assignee=me&status=open,acknowledged'), [a]);
    assert.deepEqual(await list('assignee=carol'), [b, c].sort());
    assert.deepEqual(await list('assignee=none'), [d]);
    assert.deepEqual(await list('assignee=me', AUTH), [], 'the token is no user: nothing is assigned to it');
    const counts = async (q: string) => (await app.inject({ method: 'GET', url: `/api/findings/counts?${q}`, headers: { cookie } })).json().counts;
    assert.deepEqual(await counts('assignee=carol'), { open: 0, acknowledged: 2, resolved: 0, 'false-positive': 0 });
    assert.deepEqual(await counts('assignee=none'), { open: 1, acknowledged: 0, resolved: 0, 'false-positive': 0 });
    assert.deepEqual(await counts('triagedSince=-1m'), { open: 0, acknowledged: 2, resolved: 0, 'false-positive': 0 }, 'counts take triagedSince: b and c were set at the server clock, a a day before');
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings/counts?triagedSince=yesterday-ish', headers: AUTH })).json().error.code, 'TIME_SYNTAX');

    // all that match: by assignee and triagedSince; a relative triagedSince is read at readAt, as the list was
    const readAt = clock + 1;
    const byFilter = await patch('/api/findings/matching', { match: { assignee: 'carol', readAt }, assignee: null });
    assert.deepEqual(byFilter.json(), { changed: 2 });
    assert.deepEqual(await list('assignee=none'), [b, c, d].sort());
    // two minutes after the list was read: its -1m still means a minute before the read
    clock += 120_000;
    const since = await patch('/api/findings/matching', { match: { triagedSince: '-1m', readAt }, status: 'resolved' });
    assert.deepEqual(since.json(), { changed: 2 });
    assert.deepEqual([b, c, a].map((id) => store.get(id)!.triage.status), ['resolved', 'resolved', 'acknowledged'], 'a was triaged a day before');
    assert.equal((await patch('/api/findings/matching', { match: { readAt }, assignee: 'carl' })).json().error.code, 'FINDINGS_ASSIGNEE_UNKNOWN');
  } finally {
    await close();
    store.close();
  }
});

test("findings are assigned only to a user who can act on them: a viewer is refused, saying why and what to do; GET /api/findings/assignees names analysts and admins, nothing else of them", async () => {
  const store = new FindingsStore(':memory:');
  store.record([finding(1), finding(2)]);
  const { app, close, users } = await webApp({ findings: store });
  try {
    await users.add('vera', 'vera-password-1', 'viewer');
    await users.add('boss', 'boss-password-1', 'admin');
    const cookie = await login(app);
    const json = { cookie, 'content-type': 'application/json' };
    const [a, b] = store.list({ sort: 'id' }).findings.map((f) => f.id) as [number, number];
    const patch = (url: string, payload: unknown) => app.inject({ method: 'PATCH', url, headers: json, payload: JSON.stringify(payload) });
    for (const [url, body] of [[`/api/findings/${a}`, { assignee: 'vera' }], ['/api/findings', { ids: [a, b], assignee: 'vera', status: 'acknowledged' }], ['/api/findings/matching', { match: { readAt: store.list().readAt }, assignee: 'vera' }]] as const) {
      const r = await patch(url, body);
      assert.deepEqual([r.statusCode, r.json().error.code], [400, 'FINDINGS_ASSIGNEE_VIEWER'], url);
      assert.match(r.json().error.message, /^findings: 'vera' has the viewer role, which reads only: they could not acknowledge or resolve what is assigned to them; assign it to an analyst or an admin, or have an admin give 'vera' the analyst role \(Users page, or 'nml user role vera analyst'\)$/);
    }
    assert.deepEqual([store.get(a)!.triage.assignee, store.get(a)!.triage.status], [null, 'open'], 'nothing changed');
    assert.equal((await patch(`/api/findings/${a}`, { assignee: 'boss' })).statusCode, 200, 'an admin may be');

    // the picker's list: names only, viewers left out; any logged-in user or the token reads it, nobody else
    const list = await app.inject({ method: 'GET', url: '/api/findings/assignees', headers: { cookie } });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(list.json(), { assignees: [ALICE.username, 'boss'].sort() });
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings/assignees', headers: AUTH })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings/assignees' })).statusCode, 401);
    const viewer = await login(app, { username: 'vera', password: 'vera-password-1' });
    assert.equal((await app.inject({ method: 'GET', url: '/api/findings/assignees', headers: { cookie: viewer } })).statusCode, 200, 'a viewer sees who has what');
  } finally {
    await close();
    store.close();
  }
});

test('a user removed by an admin: the findings assigned to them are unassigned, each history naming the user and who removed them', async () => {
  const store = new FindingsStore(':memory:');
  store.record([finding(1), finding(2), finding(3)]);
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const { app, close, users } = await webApp({ findings: store, logger });
  try {
    await users.add('carol', 'carol-password-1', 'analyst');
    await users.add('boss', 'boss-password-1', 'admin');
    const [a, b, c] = store.list({ sort: 'id' }).findings.map((f) => f.id) as [number, number, number];
    store.triage(a, 'acknowledged', 'on it', 'carol', T0);
    store.changeMany([a, b], { assignee: 'carol' }, 'carol', T0);
    store.assign(c, ALICE.username, ALICE.username, T0);
    const admin = await login(app, { username: 'boss', password: 'boss-password-1' });
    const del = await app.inject({ method: 'DELETE', url: '/api/users/carol', headers: { cookie: admin, 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(del.statusCode, 204, del.body);
    assert.deepEqual([a, b, c].map((id) => store.get(id)!.triage.assignee), [null, null, ALICE.username]);
    assert.equal(store.get(a)!.triage.status, 'acknowledged', 'the status stays');
    const history = (await app.inject({ method: 'GET', url: `/api/findings/${a}/history`, headers: AUTH })).json().history;
    assert.deepEqual({ ...history.at(-1), at: 0 }, { at: 0, by: 'boss', status: 'acknowledged', note: 'on it', cause: 'user-removed', assignee: null, removedUser: 'carol' });
    assert.match(log, /"target":"carol","unassigned":2,"msg":"user removed"/);
    // the last admin is refused first: nothing is unassigned then
    store.assign(b, 'boss', 'boss');
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/users/boss', headers: { cookie: admin, 'content-type': 'application/json' }, payload: '{}' })).json().error.code, 'USER_LAST_ADMIN');
    assert.equal(store.get(b)!.triage.assignee, 'boss');
  } finally {
    await close();
    store.close();
  }
});

test('a user an admin makes a viewer: the findings assigned to them are unassigned, each history naming the user and who changed the role; another role change leaves them', async () => {
  const store = new FindingsStore(':memory:');
  store.record([finding(1), finding(2), finding(3)]);
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const { app, close, users } = await webApp({ findings: store, logger });
  try {
    await users.add('carol', 'carol-password-1', 'analyst');
    await users.add('boss', 'boss-password-1', 'admin');
    const [a, b, c] = store.list({ sort: 'id' }).findings.map((f) => f.id) as [number, number, number];
    store.triage(a, 'acknowledged', 'on it', 'carol', T0);
    store.changeMany([a, b], { assignee: 'carol' }, 'carol', T0);
    store.assign(c, 'boss', 'boss', T0);
    const admin = { cookie: await login(app, { username: 'boss', password: 'boss-password-1' }), 'content-type': 'application/json' };
    const role = (name: string, r: string) => app.inject({ method: 'PATCH', url: `/api/users/${name}`, headers: admin, payload: JSON.stringify({ role: r }) });
    assert.equal((await role('carol', 'admin')).statusCode, 200);
    assert.deepEqual([a, b].map((id) => store.get(id)!.triage.assignee), ['carol', 'carol'], 'an admin may hold findings');
    const demote = await role('carol', 'viewer');
    assert.equal(demote.statusCode, 200, demote.body);
    assert.deepEqual([a, b, c].map((id) => store.get(id)!.triage.assignee), [null, null, 'boss']);
    assert.equal(store.get(a)!.triage.status, 'acknowledged', 'the status stays');
    const history = (await app.inject({ method: 'GET', url: `/api/findings/${a}/history`, headers: AUTH })).json().history;
    assert.deepEqual({ ...history.at(-1), at: 0 }, { at: 0, by: 'boss', status: 'acknowledged', note: 'on it', cause: 'user-demoted', assignee: null, demotedUser: 'carol' });
    assert.match(log, /"target":"carol","role":"viewer","passwordSet":false,"unassigned":2,"msg":"user changed"/);
    // a new password alone is no role change: nothing is unassigned (a finding handed to her before viewers were refused)
    store.assign(b, 'carol', 'boss', T0);
    const reset = await app.inject({ method: 'PATCH', url: '/api/users/carol', headers: admin, payload: JSON.stringify({ password: 'carol-password-2' }) });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.equal(store.get(b)!.triage.assignee, 'carol');
    // the last admin is refused first: nothing is unassigned then
    assert.equal((await role('boss', 'viewer')).json().error.code, 'USER_LAST_ADMIN');
    assert.equal(store.get(c)!.triage.assignee, 'boss');
  } finally {
    await close();
    store.close();
  }
});

test("'me' and 'none' cannot be new user names (the assignee filter's words); a user so named before keeps their account and findings, listing theirs with assignee=me", async () => {
  const store = new FindingsStore(':memory:');
  store.record([finding(1), finding(2)]);
  const { app, close, users } = await webApp({ findings: store });
  try {
    await users.add('boss', 'boss-password-1', 'admin');
    const admin = { cookie: await login(app, { username: 'boss', password: 'boss-password-1' }), 'content-type': 'application/json' };
    for (const name of ['me', 'none']) {
      const r = await app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: JSON.stringify({ name, role: 'analyst', password: 'whatever-long' }) });
      assert.deepEqual([r.statusCode, r.json().error.code], [400, 'USER_NAME_INVALID']);
      assert.match(r.json().error.message, new RegExp(`^user: '${name}' is reserved \\(the findings filter assignee=${name} means .+\\); choose another name$`));
    }
    // one made before the names were reserved (the store's file as an older server left it)
    await users.add('none-old', 'none-password-1', 'analyst');
    const db = new Database(join(dirname(users.firstPasswordFile), 'users.db'));
    db.prepare("UPDATE users SET name = 'none' WHERE name = 'none-old'").run();
    db.close();
    const none = await login(app, { username: 'none', password: 'none-password-1' });
    const [a, b] = store.list({ sort: 'id' }).findings.map((f) => f.id) as [number, number];
    const mine = await app.inject({ method: 'PATCH', url: `/api/findings/${a}`, headers: { cookie: none, 'content-type': 'application/json' }, payload: JSON.stringify({ assignee: 'none' }) });
    assert.equal(mine.json().triage.assignee, 'none', 'assignable: the body names a user, null is nobody');
    const list = async (q: string, cookie: string) => (await app.inject({ method: 'GET', url: `/api/findings?${q}`, headers: { cookie } })).json<FindingsResponse>().findings.map((f) => f.id);
    assert.deepEqual(await list('assignee=me', none), [a], 'they list theirs as me');
    assert.deepEqual(await list('assignee=none', admin.cookie), [b], 'for anyone, none is still nobody');
    assert.ok((await app.inject({ method: 'GET', url: '/api/findings/assignees', headers: { cookie: none } })).json().assignees.includes('none'));
  } finally {
    await close();
    store.close();
  }
});

test('a server with API tokens only has nobody to assign findings to', async () => {
  const store = new FindingsStore(':memory:');
  store.record([finding(1)]);
  const app = await buildApp(fakeDeps({ findings: store }));
  try {
    const id = store.list().findings[0]!.id;
    const r = await app.inject({ method: 'PATCH', url: `/api/findings/${id}`, headers: AUTH, payload: { assignee: 'carol' } });
    assert.deepEqual([r.statusCode, r.json().error.code], [400, 'FINDINGS_ASSIGNEE_UNKNOWN']);
    assert.match(r.json().error.message, /no user accounts \(API tokens only\)/);
    assert.equal((await app.inject({ method: 'PATCH', url: `/api/findings/${id}`, headers: AUTH, payload: { assignee: null } })).statusCode, 200, 'unassigning needs no user');
  } finally {
    await app.close();
    store.close();
  }
});

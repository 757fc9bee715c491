import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { AUTH, fakeDeps } from './testing.js';
import { Investigator, type RelationSource } from '../investigate/index.js';
import type { EdgeSummary } from '../store/index.js';

const T = Date.UTC(2024, 0, 2, 10);

/** A relation index of three edges: 10.0.2.91 → 198.51.100.66 ← 10.0.2.92. */
function fakeRelations(): RelationSource & { calls: unknown[] } {
  const edges: (EdgeSummary & { from: string })[] = [
    { from: 'ip:10.0.2.91', kind: 'flow', direction: 'out', other: 'ip:198.51.100.66', first: T, last: T + 1000, count: 3 },
    { from: 'ip:10.0.2.92', kind: 'flow', direction: 'out', other: 'ip:198.51.100.66', first: T, last: T, count: 1 },
  ];
  const calls: unknown[] = [];
  return {
    calls,
    edges(entity, range, q = {}) {
      calls.push({ entity, range });
      const out: EdgeSummary[] = [];
      for (const { from, ...e } of edges) {
        if (from === entity && q.direction !== 'in') out.push(e);
        if (e.other === entity && q.direction !== 'out') out.push({ ...e, direction: 'in', other: from });
      }
      return out.filter((e) => q.kinds === undefined || q.kinds.includes(e.kind));
    },
    fanIn(dsts) {
      return new Map(dsts.map((dst) => [dst, edges.filter((e) => e.other === dst).length]));
    },
    sourcesOf(dsts) {
      return new Map(dsts.map((dst) => [dst, new Set(edges.filter((e) => e.other === dst).map((e) => e.from))]));
    },
    files: () => [{ start: T, end: T + 3_600_000 }],
  };
}

const get = (url: string) => ({ method: 'GET' as const, url, headers: AUTH });

test('pivot: neighbours by relation with evidence, in the range asked', async () => {
  const relations = fakeRelations();
  const deps = fakeDeps({ investigator: new Investigator({ relations }) });
  const app = await buildApp(deps);
  const res = await app.inject(get('/api/pivot?entity=ip:198.51.100.66&from=2024-01-02T09:00:00Z&to=2024-01-02T11:00:00Z&limit=1'));
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.entity, 'ip:198.51.100.66');
  assert.equal(body.from, Date.UTC(2024, 0, 2, 9));
  assert.deepEqual(body.groups.map((g: { relation: string; direction: string; total: number; neighbours: unknown[] }) => [g.relation, g.direction, g.total, g.neighbours.length]), [['flow', 'in', 2, 1]]);
  assert.deepEqual(body.groups[0].neighbours[0], {
    entity: 'ip:10.0.2.91',
    count: 3,
    first: T,
    last: T + 1000,
    blocklist: [],
    articles: 0,
    identity: { macs: [], users: [], hosts: [] },
    evidence: { q: 'ip:10.0.2.91 ip:198.51.100.66', from: T, to: T + 1001 },
  });
  assert.deepEqual(relations.calls[0], { entity: 'ip:198.51.100.66', range: { from: Date.UTC(2024, 0, 2, 9), to: Date.UTC(2024, 0, 2, 11) } });
  await app.close();
});

test('pivot scope: hosts that share destinations', async () => {
  const app = await buildApp(fakeDeps({ investigator: new Investigator({ relations: fakeRelations() }) }));
  const res = await app.inject(get('/api/pivot/scope?entity=10.0.2.91'));
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(body.hosts.map((h: { entity: string; shared: number }) => [h.entity, h.shared]), [['ip:10.0.2.92', 1]]);
  assert.deepEqual(body.hosts[0].destinations, [{ entity: 'ip:198.51.100.66', sources: 2, blocklisted: false }]);
  await app.close();
});

test('pivot: a bad entity, a missing one or a limit too high is a 400 naming the problem; no token is a 401', async () => {
  const app = await buildApp(fakeDeps({ investigator: new Investigator({ relations: fakeRelations() }) }));
  const bad = await app.inject(get('/api/pivot?entity=ip:999.1.1.1'));
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'PIVOT_BAD_ENTITY');
  assert.match(bad.json().error.message, /is not an ipv4 or ipv6 address/i);
  assert.equal((await app.inject(get('/api/pivot?entity=nonsense'))).json().error.code, 'PIVOT_BAD_ENTITY');
  assert.equal((await app.inject(get('/api/pivot'))).statusCode, 400);
  assert.equal((await app.inject(get('/api/pivot?entity=ip:10.0.0.1&limit=5000'))).statusCode, 400);
  assert.equal((await app.inject(get('/api/pivot?entity=ip:10.0.0.1&from=yesterday-ish'))).json().error.code, 'TIME_SYNTAX');
  assert.equal((await app.inject({ method: 'GET', url: '/api/pivot?entity=ip:10.0.0.1' })).statusCode, 401);
  await app.close();
});

test('pivot sources and reload report the blocklist and article folders; without an investigator there is no route', async () => {
  const app = await buildApp(fakeDeps({ investigator: new Investigator({ relations: fakeRelations() }) }));
  const s = (await app.inject(get('/api/pivot/sources'))).json();
  assert.deepEqual(s.blocklists.counts, { ips: 0, networks: 0, domains: 0 });
  const r = await app.inject({ method: 'POST', url: '/api/pivot/reload', headers: AUTH });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(typeof r.json().blocklists.loadedAt, 'number');
  await app.close();
  const none = await buildApp(fakeDeps());
  assert.equal((await none.inject(get('/api/pivot?entity=ip:10.0.0.1'))).statusCode, 404);
  await none.close();
});

test('pivot and scope send what a cut answer says: truncated groups, omitted identities, total hosts, unexamined destinations, the time budget, a missing folder', async () => {
  const real = new Investigator({ relations: fakeRelations() });
  const n = { entity: 'ip:10.0.2.91', count: 3, first: T, last: T, blocklist: [], articles: 0, identityOmitted: true as const, evidence: { q: 'x', from: T, to: T + 1 } };
  const investigator = {
    pivot: () => ({ entity: 'port:443', from: null, to: null, blocklist: [], articles: [], identity: null, groups: [{ relation: 'service', direction: 'in' as const, total: 1, neighbours: [n], truncated: true, readFrom: T }], truncated: true, timedOut: true as const, periods: 1, tookMs: 1 }),
    scope: () => ({
      entity: 'ip:10.0.2.91',
      from: null,
      to: null,
      destinations: 1,
      common: 0,
      skipped: 0,
      unexamined: 58_000,
      readFrom: T - 3_600_000,
      timedOut: true as const,
      totalHosts: 40,
      hosts: [{ entity: 'ip:10.0.2.92', score: 1, shared: 1, sharedBlocklisted: 0, destinations: [], identity: null, identityOmitted: true }],
      tookMs: 1,
    }),
    reload: () => real.reload(),
    status: () => real.status(),
    clients: real.clients.bind(real),
    identity: real.identity.bind(real),
  };
  const app = await buildApp(fakeDeps({ investigator }));
  const p = (await app.inject(get('/api/pivot?entity=port:443'))).json();
  assert.equal(p.truncated, true);
  assert.equal(p.timedOut, true);
  assert.deepEqual([p.groups[0].truncated, p.groups[0].readFrom, p.groups[0].neighbours[0].identityOmitted], [true, T, true]);
  const s = (await app.inject(get('/api/pivot/scope?entity=10.0.2.91'))).json();
  assert.equal(s.totalHosts, 40);
  assert.deepEqual([s.unexamined, s.readFrom, s.timedOut], [58_000, T - 3_600_000, true]);
  assert.equal(s.hosts[0].identityOmitted, true);
  const src = (await app.inject(get('/api/pivot/sources'))).json();
  assert.deepEqual([src.blocklists.missing, src.articles.missing], [true, true], 'no folders configured');
  await app.close();
});

test('pivot: a ranged count brings exactRange, the whole hours over which counts are exact, into the answer; up to now (null) where the hour is still running', async () => {
  // the index's hour 10:00–11:00 knows 1 line of the edge in 10:20–10:40 for sure and 4 that may be
  const relations: RelationSource = {
    ...fakeRelations(),
    edges: (entity, range) => (entity === 'ip:10.0.2.91' && range.from !== T ? [{ kind: 'flow', direction: 'out', other: 'ip:198.51.100.66', first: T + 1_200_000, last: T + 2_400_000, count: 1, countMax: 4 }] : []),
  };
  const url = `/api/pivot?entity=ip:10.0.2.91&from=${new Date(T + 1_200_000).toISOString()}&to=${new Date(T + 2_400_000).toISOString()}`;
  const answer = async (now: number) => {
    const app = await buildApp(fakeDeps({ investigator: new Investigator({ relations, now: () => now }) }));
    const res = await app.inject(get(url));
    await app.close();
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const past = await answer(T + 5 * 3_600_000);
  assert.equal(past.groups[0].neighbours[0].countMax, 4);
  assert.deepEqual(past.exactRange, { from: T, to: T + 3_600_000 });
  // at 10:50 the hour has not ended: 11:00 would be a time to come
  assert.deepEqual((await answer(T + 3_000_000)).exactRange, { from: T, to: null });
  // the whole hour: every count exact, nothing to widen
  const app = await buildApp(fakeDeps({ investigator: new Investigator({ relations, now: () => T + 5 * 3_600_000 }) }));
  const whole = (await app.inject(get(`/api/pivot?entity=ip:10.0.2.91&from=${new Date(T).toISOString()}&to=${new Date(T + 3_600_000).toISOString()}`))).json();
  await app.close();
  assert.equal('exactRange' in whole, false);
});

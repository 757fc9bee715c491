/**
 * The seed's example end to end, through real ingest: lines posted to /api/ingest are parsed by the
 * writer lanes, which fill the shards and the relation index; then /api/pivot from the infected host
 * shows the domain it resolved, the blocklisted address it connected to and the user behind it, the
 * pivot on that address shows the two other hosts (with their users), and scope of impact ranks them
 * above a host that only shares common destinations. Evidence searches find the lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, STORE_DEFAULTS, RelationIndex, ShardReader } from '../store/index.js';
import { compileQuery } from '../search/index.js';
import { buildApp } from '../serve/app.js';
import { AUTH, fakeDeps } from '../serve/testing.js';
import type { FindingClientsResponse, PivotResponse, ScopeResponse } from '../serve/api.js';
import { FindingsStore } from '../detect/index.js';
import { Articles, Blocklists, Investigator } from './index.js';
import { investigateFixtures } from './testing.js';
import { pathToFileURL } from 'node:url';

const FIXTURES = investigateFixtures();
/** Under `node --import tsx` worker threads need the tsx shim; from dist the built worker runs as is. */
const WRITER = import.meta.url.endsWith('.ts') ? pathToFileURL(join(FIXTURES, 'tsx-writer.worker.mjs')) : new URL('../writer.worker.js', import.meta.url);

interface Ingested {
  store: Store;
  get<T>(url: string): Promise<T>;
}

/**
 * A real store with two writer lanes and its relation index behind the HTTP API, `lines` posted to
 * /api/ingest (receive times just after the incident: event times more than a day ahead of them would
 * not be trusted); everything is closed and removed after `run`.
 */
async function withIngested(lines: string, investigatorOf: (relations: RelationIndex) => Investigator, findings: FindingsStore | null, run: (h: Ingested) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-seed-'));
  const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 2 }, WRITER);
  const relations = new RelationIndex(dir);
  const investigator = investigatorOf(relations);
  await investigator.reload();
  const app = await buildApp(fakeDeps({ ingest: store.writer, investigator, ...(findings === null ? {} : { findings }), now: () => Date.UTC(2024, 0, 2, 12) }));
  try {
    const ingest = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: lines });
    assert.equal(ingest.statusCode, 200, ingest.body);
    const get = async <T>(url: string): Promise<T> => {
      const r = await app.inject({ method: 'GET', url, headers: AUTH });
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as T;
    };
    await run({ store, get });
  } finally {
    await app.close();
    relations.close();
    investigator.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

import type { Identity } from './types.js';
/** the names of an identity, without when each was seen */
const names = (id: { macs: string[]; users: string[]; hosts: string[] } | null | undefined) => (id === null || id === undefined ? id : { macs: id.macs, users: id.users, hosts: id.hosts });

test('seed example: infected host, blocklisted destination, two more hosts, and the users behind them', async () => {
  // the infected host scanning the network, as the SYN detector would report it
  const findings = new FindingsStore(':memory:');
  const t = Date.UTC(2024, 0, 2, 10, 1);
  const explanation = { summary: 'scan', detail: null };
  findings.record([{ detector: 'syn', entity: 'ip:10.0.2.91', score: 0.99, threshold: 0.95, modelVersion: 'test', time: t, explanation, evidence: { query: 'ip:10.0.2.91', from: t - 3_600_000, to: t + 3_600_000 } }]);
  const lines = readFileSync(join(FIXTURES, 'seed-incident.log'), 'utf8');
  const blocklistsAndArticles = (relations: RelationIndex) => new Investigator({ relations, blocklists: new Blocklists(join(FIXTURES, 'blocklists')), articles: new Articles(join(FIXTURES, 'articles')) });
  await withIngested(lines, blocklistsAndArticles, findings, async ({ store, get }) => {
    const range = '&from=2024-01-02T09:00:00Z&to=2024-01-02T11:00:00Z';

    const infected = await get<PivotResponse>(`/api/pivot?entity=ip:10.0.2.91${range}`);
    assert.deepEqual(names(infected.identity), { macs: ['00:11:22:33:44:91'], users: ['alice'], hosts: ['ws-alice'] });
    assert.deepEqual(
      (infected.identity as Identity | null)?.seen?.map((s) => [s.kind, s.name, s.earlier ?? false]),
      [['mac', '00:11:22:33:44:91', false], ['user', 'alice', false], ['host', 'ws-alice', false]],
    );
    const group = (p: PivotResponse, relation: string, direction: 'out' | 'in') => p.groups.find((g) => g.relation === relation && g.direction === direction);
    const queried = group(infected, 'query', 'out')!.neighbours;
    assert.deepEqual(queried.map((n) => n.entity).sort(), ['domain:bad-c2.example', 'domain:www.example.com']);
    const bad = queried.find((n) => n.entity === 'domain:bad-c2.example')!;
    assert.deepEqual(bad.blocklist, [{ indicator: 'bad-c2.example', list: 'corp-deny' }]);
    assert.equal(bad.articles, 1);
    const flows = group(infected, 'flow', 'out')!.neighbours;
    assert.deepEqual(flows.map((n) => [n.entity, n.count, n.blocklist.length]), [['ip:198.51.100.66', 2, 1], ['ip:93.184.216.34', 1, 0]]);
    assert.equal(flows[0]!.first, Date.UTC(2024, 0, 2, 10, 0, 2));
    assert.equal(flows[0]!.last, Date.UTC(2024, 0, 2, 10, 0, 32));
    assert.deepEqual(flows[0]!.evidence, { q: 'ip:10.0.2.91 ip:198.51.100.66', from: flows[0]!.first, to: flows[0]!.last + 1 });

    // the evidence search finds exactly the two firewall lines
    const plan = compileQuery(flows[0]!.evidence.q);
    let found = 0;
    for (const s of store.catalog.list({ from: flows[0]!.evidence.from, to: flows[0]!.evidence.to })) {
      const r = new ShardReader(s.path);
      found += r.count(plan.fastFts);
      r.close();
    }
    assert.equal(found, 2);

    const dest = await get<PivotResponse>(`/api/pivot?entity=198.51.100.66${range}`);
    assert.deepEqual(dest.blocklist, [{ indicator: '198.51.100.66', list: 'corp-deny' }]);
    assert.deepEqual(dest.articles.map((a) => a.path), ['cobalt-report.md']);
    const into = [...group(dest, 'flow', 'in')!.neighbours, ...group(dest, 'alert', 'in')!.neighbours];
    assert.deepEqual(into.map((n) => [n.entity, n.identity?.users]).sort(), [
      ['ip:10.0.2.91', ['alice']],
      ['ip:10.0.2.92', ['bob']],
      ['ip:10.0.2.93', ['carol']],
    ]);
    assert.deepEqual(group(dest, 'resolve', 'in')!.neighbours.map((n) => n.entity), ['domain:bad-c2.example']);
    assert.deepEqual(group(dest, 'service', 'out')!.neighbours.map((n) => n.entity), ['port:443']);

    const scope = await get<ScopeResponse>(`/api/pivot/scope?entity=ip:10.0.2.91${range}`);
    assert.deepEqual(scope.hosts.map((h) => h.entity), ['ip:10.0.2.92', 'ip:10.0.2.93', 'ip:10.0.2.94']);
    assert.deepEqual(scope.hosts.map((h) => [h.sharedBlocklisted, h.identity?.users]), [[1, ['bob']], [1, ['carol']], [0, ['dave']]]);
    assert.ok(scope.hosts[1]!.score > scope.hosts[2]!.score);
    assert.equal(scope.hosts[0]!.destinations[0]!.entity, 'ip:198.51.100.66', 'the blocklisted shared destination is listed first');

    // a SYN finding on one of the network's own addresses names who is behind it; it lists no clients
    const who = await get<FindingClientsResponse>('/api/findings/clients?ids=1');
    assert.deepEqual({ ...who.who['1'], identity: names(who.who['1']?.identity) }, { entity: 'ip:10.0.2.91', total: 0, clients: [], identity: { macs: ['00:11:22:33:44:91'], users: ['alice'], hosts: ['ws-alice'] } });
    // the API carries when each name was seen
    assert.equal((who.who['1']?.identity as Identity | null | undefined)?.seen?.find((s) => s.name === 'alice')?.kind, 'user');
  });
  findings.close();
});

test('a URL finding pivots to the clients that asked for its host, and the users behind them (URL-filter and proxy logs alone)', async () => {
  const panUrl = (t: string, src: string, user: string, dst: string, action: string, url: string) =>
    `<14>Jan  2 ${t} fw-pa-01 1,2024/01/02 ${t},016401002737,THREAT,url,2561,2024/01/02 ${t},${src},${dst},198.51.100.1,${dst},allow-outbound,${user},,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2024/01/02 ${t},242802,1,51234,80,41234,80,0x400000,tcp,${action},"${url}",(9999),unknown,informational,client-to-server,161`;
  const lines = [
    panUrl('10:00:07', '10.0.2.57', 'corp\\alice', '203.0.113.80', 'alert', 'cdn-sync-telemetry.top/gate.php?id=4f2a'),
    panUrl('10:05:07', '10.0.2.57', 'corp\\alice', '203.0.113.80', 'alert', 'cdn-sync-telemetry.top/gate.php?id=4f2b'),
    panUrl('10:01:00', '10.0.2.58', 'corp\\bob', '203.0.113.80', 'block-url', 'cdn-sync-telemetry.top/gate.php?id=77'),
    panUrl('10:02:00', '10.0.2.59', 'corp\\dave', '93.184.216.34', 'alert', 'www.example.com/'),
    '<13>Jan  2 10:03:00 proxy-01 squid[812]: 1704189780.000     40 10.0.2.60 TCP_MISS/200 800 GET http://cdn-sync-telemetry.top/gate.php?id=9 carol HIER_DIRECT/203.0.113.80 text/html',
  ].join('\n');
  await withIngested(lines, (relations) => new Investigator({ relations }), null, async ({ get }) => {
    const range = '&from=2024-01-02T09:00:00Z&to=2024-01-02T13:00:00Z';
    // the entity a URL finding carries
    const finding = await get<PivotResponse>(`/api/pivot?entity=${encodeURIComponent('url:cdn-sync-telemetry.top/gate.php?id=4f2a')}${range}`);
    const asked = finding.groups.find((g) => g.relation === 'request' && g.direction === 'in')!.neighbours;
    assert.deepEqual(asked.map((n) => [n.entity, n.count, n.identity?.users]), [
      ['ip:10.0.2.57', 2, ['corp\\alice']],
      ['ip:10.0.2.60', 1, ['carol']],
      ['ip:10.0.2.58', 1, ['corp\\bob']],
    ]);
    // whether it got through is the flow edge beside it: bob's request was blocked
    const client = await get<PivotResponse>(`/api/pivot?entity=ip:10.0.2.58${range}`);
    assert.deepEqual(client.groups.find((g) => g.relation === 'blocked' && g.direction === 'out')!.neighbours.map((n) => n.entity), ['ip:203.0.113.80']);
    assert.deepEqual(client.groups.find((g) => g.relation === 'request' && g.direction === 'out')!.neighbours.map((n) => n.entity), ['domain:cdn-sync-telemetry.top']);

    const scope = await get<ScopeResponse>(`/api/pivot/scope?entity=ip:10.0.2.57${range}`);
    assert.deepEqual(scope.hosts.map((h) => h.entity), ['ip:10.0.2.58', 'ip:10.0.2.60'], 'bob shares the name and the address (blocked there); the proxy client the name only');
  });
});

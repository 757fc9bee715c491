/**
 * The clients of a URL finding's host through real ingest (writer lanes, relation index, the HTTP API):
 * a client that only looked the name up (dnsmasq `query`) is counted apart from one that fetched it
 * (squid `request`) and listed after it; the clients of a URL on a bare address come from the proxy's
 * requests for it as well as flows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Store, STORE_DEFAULTS, RelationIndex } from '../store/index.js';
import { buildApp } from '../serve/app.js';
import { AUTH, fakeDeps } from '../serve/testing.js';
import type { FindingClientsResponse } from '../serve/api.js';
import { FindingsStore } from '../detect/index.js';
import { Investigator } from './index.js';
import { investigateFixtures } from './testing.js';

const FIXTURES = investigateFixtures();
const WRITER = import.meta.url.endsWith('.ts') ? pathToFileURL(join(FIXTURES, 'tsx-writer.worker.mjs')) : new URL('../writer.worker.js', import.meta.url);
const FROM = Date.UTC(2024, 0, 2, 9);
const TO = Date.UTC(2024, 0, 2, 13);

/** `lines` ingested into a real store and relation index; `entities` recorded as URL findings over 09:00–13:00; their `who` by entity. */
async function whoOf(lines: string[], entities: string[]): Promise<Map<string, FindingClientsResponse['who'][string]>> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-who-'));
  const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 2 }, WRITER);
  const relations = new RelationIndex(dir);
  const investigator = new Investigator({ relations });
  await investigator.reload();
  const findings = new FindingsStore(':memory:');
  const base = { score: 0.99, threshold: 0.9, modelVersion: 't', time: FROM + 3_600_000, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: FROM, to: TO } };
  findings.record(entities.map((entity) => ({ ...base, detector: 'url', entity })));
  const app = await buildApp(fakeDeps({ ingest: store.writer, investigator, findings, now: () => Date.UTC(2024, 0, 2, 12) }));
  try {
    const ingest = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: lines.join('\n') });
    assert.equal(ingest.statusCode, 200, ingest.body);
    const ids = findings.list().findings.map((f) => f.id);
    const r = await app.inject({ method: 'GET', url: `/api/findings/clients?ids=${ids.join(',')}`, headers: AUTH });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<FindingClientsResponse>();
    return new Map(ids.map((id) => [findings.get(id)!.entity, body.who[String(id)]!]));
  } finally {
    await app.close();
    relations.close();
    investigator.close();
    await store.close();
    findings.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const squid = (t: string, client: string, url: string, user = '-') =>
  `<13>Jan  2 ${t} proxy-01 squid[812]: ${(Date.UTC(2024, 0, 2, Number(t.slice(0, 2)), Number(t.slice(3, 5)), Number(t.slice(6, 8))) / 1000).toFixed(3)}     40 ${client} TCP_MISS/200 800 GET ${url} ${user} HIER_DIRECT/203.0.113.80 text/html`;
const dnsmasq = (t: string, client: string, name: string) => `<30>Jan  2 ${t} dns-02 dnsmasq[1433]: query[A] ${name} from ${client}`;

test('DNS lookups are counted apart from requests, and clients that only looked the name up come after those that fetched it', async () => {
  const host = 'paypal.com.secure-login.verify-account.xyz';
  const lines = [
    ...['10:00:01', '10:00:02', '10:00:03'].map((t) => squid(t, '10.20.1.42', `http://${host}/login.php`)),
    dnsmasq('10:00:00', '10.20.1.42', host),
    ...['10:01:00', '10:02:00', '10:03:00', '10:04:00', '10:05:00'].map((t) => dnsmasq(t, '10.20.1.77', host)),
    ...['10:06:00', '10:07:00'].map((t) => dnsmasq(t, '10.20.1.15', host)),
  ];
  const who = (await whoOf(lines, [`url:${host}/login.php`])).get(`url:${host}/login.php`)!;
  assert.equal(who.total, 3);
  type Counted = { entity: string; count: number; requests?: number; connections?: number; lookups?: number };
  assert.deepEqual(
    (who.clients as Counted[]).map((c) => [c.entity, c.count, c.requests, c.connections, c.lookups]),
    [
      // fewer edges in all than .77, but the only one that fetched a page
      ['ip:10.20.1.42', 4, 3, 0, 1],
      ['ip:10.20.1.77', 5, 0, 0, 5],
      ['ip:10.20.1.15', 2, 0, 0, 2],
    ],
  );
});

test('the clients of a URL on a bare address are the proxy clients that asked for it', async () => {
  const url = 'http://203.0.113.200/wp-admin/install.php';
  const lines = [squid('10:00:01', '10.20.1.15', url), squid('10:00:02', '10.20.1.42', url), squid('10:00:03', '10.20.1.42', url), squid('10:00:04', '10.20.1.77', url)];
  const who = (await whoOf(lines, ['url:203.0.113.200/wp-admin/install.php'])).get('url:203.0.113.200/wp-admin/install.php')!;
  assert.equal(who.entity, 'ip:203.0.113.200');
  assert.deepEqual(who.clients.map((c) => [c.entity, c.count]), [['ip:10.20.1.42', 2], ['ip:10.20.1.77', 1], ['ip:10.20.1.15', 1]], 'the most recent first among equal counts');
});

test('Zeek http.log (JSON and TSV) and Suricata EVE http records with a bare address for Host give its clients too', async () => {
  const ts = (t: string) => Date.UTC(2024, 0, 2, Number(t.slice(0, 2)), Number(t.slice(3, 5)), Number(t.slice(6, 8))) / 1000;
  const host = '203.0.113.200';
  const lines = [
    `{"ts":${ts('10:00:01')},"uid":"C1","id.orig_h":"10.20.1.15","id.orig_p":41000,"id.resp_h":"${host}","id.resp_p":80,"trans_depth":1,"method":"GET","host":"${host}","uri":"/a.exe"}`,
    `${ts('10:00:02')}.5\tC2\t10.20.1.42\t41001\t${host}\t80\t1\tGET\t${host}:8080\t/a.exe\t-\t1.1\tcurl/8.0`,
    `{"timestamp":"2024-01-02T10:00:03.000000+0000","flow_id":1,"event_type":"http","src_ip":"10.20.1.77","src_port":41002,"dest_ip":"${host}","dest_port":80,"proto":"TCP","http":{"hostname":"${host}","url":"/a.exe","http_method":"GET"}}`,
  ];
  const entity = `url:${host}/a.exe`;
  const who = (await whoOf(lines, [entity])).get(entity)!;
  assert.equal(who.entity, `ip:${host}`);
  type Counted = { entity: string; requests?: number };
  assert.deepEqual((who.clients as Counted[]).map((c) => [c.entity, c.requests]).sort(), [['ip:10.20.1.15', 1], ['ip:10.20.1.42', 1], ['ip:10.20.1.77', 1]]);
});

test('the clients of an address count the requests for it (a proxy) beside the connections to it (flows)', () => {
  const inv = new Investigator({
    relations: {
      edges: (entity, _range, q) =>
        entity !== 'ip:203.0.113.200'
          ? []
          : [
              { other: 'ip:10.20.1.42', kind: 'request', direction: 'in' as const, count: 5, first: FROM, last: FROM + 10 },
              { other: 'ip:10.20.1.15', kind: 'request', direction: 'in' as const, count: 2, first: FROM, last: FROM + 20 },
              { other: 'ip:10.20.1.15', kind: 'flow', direction: 'in' as const, count: 1, first: FROM, last: FROM + 30 },
            ].filter((e) => q?.kinds === undefined || q.kinds.includes(e.kind)),
      fanIn: (dsts) => new Map(dsts.map((d) => [d, 3])),
      sourcesOf: () => new Map(),
      files: () => [],
    },
  });
  const c = inv.clients('url:203.0.113.200/wp-admin/install.php', { from: FROM, to: TO });
  assert.deepEqual(
    c.clients.map((x) => [x.entity, x.count, x.requests, x.connections, x.lookups]),
    [
      ['ip:10.20.1.42', 5, 5, 0, 0],
      ['ip:10.20.1.15', 3, 2, 1, 0],
    ],
  );
});

test("a name's clients include those that connected to an address it resolved to without a lookup of their own (via); an address many names share does not count", async () => {
  const ts = (t: string) => Date.UTC(2024, 0, 2, Number(t.slice(0, 2)), Number(t.slice(3, 5)), Number(t.slice(6, 8))) / 1000;
  const conn = (t: string, src: string, dst: string) => `{"ts":${ts(t)},"uid":"C${t.replace(/:/g, '')}","id.orig_h":"${src}","id.orig_p":41000,"id.resp_h":"${dst}","id.resp_p":443,"proto":"tcp","conn_state":"SF"}`;
  const reply = (t: string, name: string, ip: string) => `<30>Jan  2 ${t} dns-02 dnsmasq[1433]: reply ${name} is ${ip}`;
  const host = 'update.evil-cdn.example';
  const lines = [
    dnsmasq('10:00:00', '10.20.1.42', host),
    reply('10:00:00', host, '198.51.100.66'),
    // the name also resolves to a shared hosting address, which five other sites resolve to as well
    reply('10:00:00', host, '203.0.113.80'),
    ...['a', 'b', 'c', 'd', 'e'].map((s) => reply('10:00:01', `${s}.shop.example`, '203.0.113.80')),
    conn('10:00:05', '10.20.1.42', '198.51.100.66'),
    // no lookup of its own: the address cached, or resolved over HTTPS
    conn('10:30:00', '10.20.1.99', '198.51.100.66'),
    conn('10:31:00', '10.20.1.99', '198.51.100.66'),
    // a client of one of the other sites on the shared address
    conn('10:40:00', '10.20.1.50', '203.0.113.80'),
  ];
  const entity = `url:${host}/payload.bin`;
  const who = (await whoOf(lines, [entity])).get(entity)!;
  type Counted = { entity: string; count: number; requests: number; connections: number; lookups: number; via?: string[] };
  assert.deepEqual(
    (who.clients as Counted[]).map((c) => [c.entity, c.connections, c.lookups, c.via]).sort(),
    [
      ['ip:10.20.1.42', 1, 1, ['ip:198.51.100.66']],
      ['ip:10.20.1.99', 2, 0, ['ip:198.51.100.66']],
    ],
  );
  assert.equal(who.total, 2, 'the shared address\'s client is not one of this name\'s');
  assert.deepEqual(who.addresses, ['ip:198.51.100.66']);
  assert.deepEqual(who.sharedAddresses, ['ip:203.0.113.80']);
});

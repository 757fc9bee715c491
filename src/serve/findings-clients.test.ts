/** GET /api/findings/clients with a relation index that fails for one finding: that one says nothing, the others answer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { FindingsStore } from '../detect/index.js';
import { Investigator } from '../investigate/index.js';
import type { FindingClientsResponse } from './api.js';
import { AUTH, fakeDeps } from './testing.js';

test('a lookup that fails for one finding leaves it out; the others answer', async () => {
  const store = new FindingsStore(':memory:');
  const base = { score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_000, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: 2_000 } };
  store.record([
    { ...base, detector: 'url', entity: 'url:good.example/a' },
    { ...base, detector: 'url', entity: 'url:broken.example/a' },
  ]);
  const investigator = new Investigator({
    relations: {
      edges: (entity) => {
        if (entity === 'domain:broken.example') throw new Error('SQLITE_CORRUPT: a relation file');
        return entity === 'domain:good.example' ? [{ other: 'ip:198.51.100.7', kind: 'request', direction: 'in', count: 3, first: 10, last: 20 }] : [];
      },
      fanIn: () => new Map(),
      sourcesOf: () => new Map(),
      files: () => [],
    },
  });
  const app = await buildApp(fakeDeps({ findings: store, investigator }));
  try {
    const ids = store.list().findings.map((f) => f.id);
    const r = await app.inject({ method: 'GET', url: `/api/findings/clients?ids=${ids.join(',')}`, headers: AUTH });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<FindingClientsResponse>();
    const good = ids.find((id) => store.get(id)!.entity === 'url:good.example/a')!;
    assert.deepEqual(Object.keys(body.who), [String(good)]);
    assert.deepEqual(body.who[String(good)], { entity: 'domain:good.example', total: 1, clients: [{ entity: 'ip:198.51.100.7', count: 3, requests: 3, connections: 0, lookups: 0, last: 20, identity: null }], identity: null });
  } finally {
    await app.close();
    store.close();
  }
});

test('the clients of a name everyone asks for say they were read from a window (truncated, readFrom reach the reply)', async () => {
  const store = new FindingsStore(':memory:');
  store.record([{ score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_000, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: 10_000_000_000 }, detector: 'url', entity: 'url:popular.example/a' }]);
  // more edges in than the row budget over the whole range, few over the last minute
  const investigator = new Investigator({
    relations: {
      edges: (_entity, range) => [{ other: 'ip:198.51.100.7', kind: 'request', direction: 'in', count: 3, first: range.from ?? 0, last: 9_999_999_000 }],
      fanIn: (dsts, _kinds, range) => new Map(dsts.map((d) => [d, range.from !== null && range.from >= 10_000_000_000 - 60_000 ? 1 : Infinity])),
      sourcesOf: () => new Map(),
      files: () => [],
    },
  });
  const app = await buildApp(fakeDeps({ findings: store, investigator }));
  try {
    const id = store.list().findings[0]!.id;
    const body = (await app.inject({ method: 'GET', url: `/api/findings/clients?ids=${id}`, headers: AUTH })).json<FindingClientsResponse>();
    const who = body.who[String(id)]!;
    assert.equal(who.truncated, true);
    assert.equal(who.readFrom, 10_000_000_000 - 60_000);
    assert.equal(who.clients[0]!.entity, 'ip:198.51.100.7');
  } finally {
    await app.close();
    store.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.js';
import type { EnrichedHit } from '../deps.js';
import { AUTH, fakeDeps, fakeEnrich } from '../testing.js';

test('facets: top hosts over the newest matches, with how many were sampled of how many match', async () => {
  const hosts = ['web-1', 'web-1', 'web-2', null];
  const deps = fakeDeps({ enrich: (h): EnrichedHit => ({ ...fakeEnrich(h), host: hosts[h.rowid % 4]!, app: 'sshd' }) });
  const app = await buildApp(deps);
  try {
    const res = await app.inject({ method: 'GET', url: '/api/facets?q=sshd&field=host&sample=1000&limit=2', headers: AUTH });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.field, 'host');
    assert.deepEqual(body.sampled, { rows: 1000, total: 2500 });
    // ties by value: null (as 'null') before web-2
    assert.deepEqual(body.values, [{ value: 'web-1', count: 500 }, { value: null, count: 250 }]);
    assert.equal(deps.searcher.calls.find((c) => c.kind === 'page')!.limit, 1000);

    const apps = (await app.inject({ method: 'GET', url: '/api/facets?field=app', headers: AUTH })).json();
    assert.deepEqual(apps.values, [{ value: 'sshd', count: 2000 }], 'default sample 2000');
    for (const url of ['/api/facets', '/api/facets?field=user', '/api/facets?field=host&sample=99999']) {
      assert.equal((await app.inject({ method: 'GET', url, headers: AUTH })).statusCode, 400, url);
    }
  } finally {
    await app.close();
  }
});

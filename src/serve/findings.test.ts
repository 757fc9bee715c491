import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { FindingsStore, type NewFinding } from '../detect/index.js';
import type { FindingsResponse } from './api.js';
import { AUTH, fakeDeps } from './testing.js';

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
    const recent = (await get(`/api/findings?from=${T0 + 5 * 60_000}`)).json<FindingsResponse>();
    assert.equal(recent.findings.length, 2);

    const one = await get(`/api/findings/${first.findings[0]!.id}`);
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().explanation.summary, 'finding 6');
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

test('/api/findings is absent when the node runs no findings store', async () => {
  const app = await buildApp(fakeDeps());
  const res = await app.inject({ method: 'GET', url: '/api/findings', headers: AUTH });
  assert.equal(res.statusCode, 404);
  await app.close();
});

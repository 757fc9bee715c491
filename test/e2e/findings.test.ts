/** Findings through the real node: stored in <data>/findings.db, listed by the API, searchable as log lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { startNode } from '../../src/node.js';
import { api, eventually, tempDir, testConfig, tokenOf } from './helpers.js';

test('a recorded finding is listed by /api/findings and found by a search for its entity', async () => {
  const tmp = tempDir('nml-e2e-findings-');
  const node = await startNode(testConfig(tmp.dir), pino({ level: 'silent' }));
  try {
    const base = node.httpUrl!;
    const token = tokenOf(tmp.dir);
    const now = Date.now();
    const f = {
      detector: 'syn',
      entity: 'ip:203.0.113.99',
      score: 0.97,
      threshold: 0.5,
      modelVersion: 'test',
      time: now,
      explanation: { summary: 'sequence number equals the destination address', detail: null },
      evidence: { query: 'ip:203.0.113.99', from: now - 60_000, to: now + 60_000 },
    };
    node.findings.record([f]);
    node.findings.record([{ ...f, score: 0.8 }]);
    const listed = await api<{ findings: { entity: string; count: number; score: number }[] }>(base, token, '/api/findings');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.findings.map((x) => [x.entity, x.count, x.score]), [['ip:203.0.113.99', 2, 0.97]]);
    const count = async () => (await api<{ count: number }>(base, token, `/api/count?q=${encodeURIComponent('app:nml-detect ip:203.0.113.99')}`)).body.count;
    await eventually(async () => (await count()) === 1, 10_000, 'the first sighting is one searchable line');
  } finally {
    await node.stop();
    tmp.cleanup();
  }
});

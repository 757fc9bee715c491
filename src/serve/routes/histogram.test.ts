import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeRange } from '../../core/index.js';
import { bucketLayout, type HistogramResult } from '../../search/index.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';

/** Counts one per minute; records what it was asked. */
function fakeHistogram() {
  const calls: { q: string; range: Required<TimeRange>; buckets: number }[] = [];
  return {
    calls,
    async histogram(q: string, range: { from: number; to: number }, buckets: number): Promise<HistogramResult> {
      calls.push({ q, range, buckets });
      const l = bucketLayout(range, buckets);
      const counts = Array.from({ length: l.buckets }, (_, i) => i);
      const skipped = q === 'damaged' ? [{ file: 'shards/2026/11/30/10/0000-w0-0.db', from: 1, to: 2 }] : [];
      return { start: l.start, interval: l.interval, counts, total: counts.reduce((a, b) => a + b, 0), shardsSearched: 2, skipped, tookMs: 1 };
    },
  };
}

test('histogram: buckets with start times, the range as resolved, the total', async () => {
  const h = fakeHistogram();
  const deps = fakeDeps({ histogram: h });
  const app = await buildApp(deps);
  try {
    const res = await app.inject({ method: 'GET', url: '/api/histogram?q=sshd&from=-1h&to=now&buckets=60', headers: AUTH });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.from, deps.clock.t - 3600_000);
    assert.equal(body.to, deps.clock.t);
    assert.equal(body.interval, 60_000);
    assert.ok(body.buckets.length <= 61);
    assert.equal(body.buckets[1].t - body.buckets[0].t, 60_000);
    assert.equal(body.total, body.buckets.reduce((a: number, b: { count: number }) => a + b.count, 0));
    assert.deepEqual(h.calls[0], { q: 'sshd', range: { from: deps.clock.t - 3600_000, to: deps.clock.t }, buckets: 60 });
    assert.deepEqual(body.skipped, []);
    // damaged shards the searcher left out reach the client
    const partial = (await app.inject({ method: 'GET', url: '/api/histogram?q=damaged&from=-1h', headers: AUTH })).json();
    assert.deepEqual(partial.skipped, [{ file: 'shards/2026/11/30/10/0000-w0-0.db', from: 1, to: 2 }]);
    h.calls.pop();

    // no from: from the oldest stored line (storeStatsOf says 1); no to: now
    await app.inject({ method: 'GET', url: '/api/histogram', headers: AUTH });
    assert.equal(h.calls[1]!.range.from, 1);
    assert.equal(h.calls[1]!.buckets, 60);

    for (const url of ['/api/histogram?buckets=0', '/api/histogram?buckets=5000', '/api/histogram?from=soon']) {
      assert.equal((await app.inject({ method: 'GET', url, headers: AUTH })).statusCode, 400, url);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/histogram' })).statusCode, 401);
  } finally {
    await app.close();
  }
});

test('histogram: an infinite bucket count (Ajv let it through as a number) is a 400 naming buckets, not an endless loop', async () => {
  // no bucket layout here: the real one never returns for -Infinity
  const h = { calls: [] as number[], histogram: async (_q: string, _r: unknown, buckets: number): Promise<HistogramResult> => (h.calls.push(buckets), { start: 0, interval: 1, counts: [], total: 0, shardsSearched: 0, skipped: [], tookMs: 0 }) };
  const app = await buildApp(fakeDeps({ histogram: h }));
  try {
    for (const v of ['Infinity', '-Infinity', '1e999']) {
      const res = await app.inject({ method: 'GET', url: `/api/histogram?to=-1h&buckets=${v}`, headers: AUTH });
      assert.equal(res.statusCode, 400, `${v}: ${res.body}`);
      assert.equal(res.json().error.code, 'HTTP_BAD_REQUEST');
      assert.equal(res.json().error.details.param, 'buckets');
      assert.match(res.json().error.message, /buckets must be a finite number/);
    }
    assert.equal(h.calls.length, 0, 'the histogram was never asked');
  } finally {
    await app.close();
  }
});

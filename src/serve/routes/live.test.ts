import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.js';
import type { SourceStatsRow } from '../deps.js';
import { AUTH, fakeDeps } from '../testing.js';

test('live: rates from committed lines and received bytes, drops summed by reason, store and disk', async () => {
  let bytes = 0;
  // rates are timed by a monotonic clock; the wall clock only stamps the answer
  const mono = { t: 0 };
  const deps = fakeDeps({
    monotonic: () => mono.t,
    sourceStats: (): SourceStatsRow[] => [
      { name: 'udp:0.0.0.0:514', received: 10, bytes, drops: { queue_full: 1, kernel_rcvbuf: 2 } },
      { name: 'tcp:0.0.0.0:514', received: 5, bytes: 0, drops: { queue_full: 3 } },
    ],
  });
  const app = await buildApp(deps);
  try {
    const first = (await app.inject({ method: 'GET', url: '/api/live', headers: AUTH })).json();
    assert.equal(first.ingest.linesPerSecond, 0);
    deps.clock.t += 2000;
    mono.t += 2000;
    deps.committed.lines += 10_000;
    bytes += 1_000_000;
    const res = await app.inject({ method: 'GET', url: '/api/live', headers: AUTH });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.time, deps.clock.t);
    assert.equal(body.ingest.linesPerSecond, 5000);
    assert.equal(body.ingest.bytesPerSecond, 500_000);
    assert.equal(body.ingest.committed, 10_000);
    assert.deepEqual(body.drops, { queue_full: 4, oversize: 0, kernel_rcvbuf: 2, frame_error: 0, write_failed: 0 });
    assert.deepEqual(body.store, {
      shards: 4,
      bytes: 65536,
      lines: 1000,
      oldest: 1,
      newest: 2,
      diskFreeBytes: null,
      problems: ['store: shard shards/x.db is damaged (test)'],
      mergedShards: 1,
      compaction: { merges: 2, failures: 1, waiting: 1, lastMergeAt: 1_700_000_000_000, running: false },
    });
    assert.equal(body.sources.length, 2);
    assert.deepEqual(body.tail, { clients: 0 });
    assert.equal((await app.inject({ method: 'GET', url: '/api/live' })).statusCode, 401);
    // a wall clock stepped back a minute moves no rate
    deps.clock.t -= 60_000;
    mono.t += 1000;
    deps.committed.lines += 1000;
    assert.equal((await app.inject({ method: 'GET', url: '/api/live', headers: AUTH })).json().ingest.linesPerSecond, 11_000 / 3);
  } finally {
    await app.close();
  }
});

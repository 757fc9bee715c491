import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { escapeHelp, escapeLabelValue, formatMetrics } from './prometheus.js';
import { pino } from 'pino';
import { RateMeter } from './rate-meter.js';
import { StatsService } from './stats-service.js';
import type { SourceStatsRow } from './deps.js';
import { AUTH, fakeDeps, storeStatsOf } from './testing.js';

test('rate meter: 1-s and 60-s rates from sampled totals', () => {
  const m = new RateMeter(61_000);
  assert.equal(m.rate(1000), 0);
  m.sample(0, 0);
  assert.equal(m.rate(1000), 0, 'one sample is no rate');
  for (let s = 1; s <= 120; s++) m.sample(s * 1000, s <= 60 ? s * 100 : 6000 + (s - 60) * 1000);
  assert.equal(m.rate(1000), 1000);
  assert.equal(m.rate(60_000), 1000);
  m.sample(121_000, 66_000);
  assert.equal(m.rate(1000), 0, 'nothing committed in the last second');
  assert.ok(Math.abs(m.rate(60_000) - 59_000 / 60) < 1e-9);
  m.sample(121_000, 67_000);
  assert.equal(m.rate(1000), 1000, 'a sample at the same instant updates the newest total');
});

test('rate meter: a clock stepped back restarts the history instead of crediting its lines to one second', () => {
  const m = new RateMeter(61_000);
  let t = 1_700_000_000_000;
  let total = 0;
  for (let i = 0; i <= 70; i++, t += 1000, total += 100) m.sample(t, total);
  assert.equal(m.rate(1000), 100);
  t -= 30_000; // NTP steps the wall clock back 30 s
  m.sample(t, total);
  assert.equal(m.rate(1000), 0, 'one sample after the step: no rate yet');
  for (let i = 1; i <= 30; i++) {
    t += 1000;
    total += 100;
    m.sample(t, total);
    assert.equal(m.rate(1000), 100, `${i} s after the step`);
    assert.equal(m.rate(60_000), 100);
  }
});

test('stats service: rates follow the monotonic clock (the service is given no wall clock, so a step of it cannot move them)', () => {
  let mono = 5_000;
  let committed = 0;
  const deps = {
    storeStats: () => storeStatsOf(committed),
    sourceStats: () => [],
  };
  const svc = new StatsService(deps, pino({ enabled: false }), () => mono);
  for (let s = 0; s <= 61; s++) {
    mono = 5_000 + s * 1000;
    committed = s * 200;
    svc.snapshot();
  }
  assert.deepEqual(svc.snapshot().ingest.linesPerSecond, { last1s: 200, last60s: 200 });
});

test('/api/stats: store, sources, ingest rates and process', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const at = async (t: number, committed: number) => {
    deps.clock.t = t;
    deps.committed.lines = committed;
    const res = await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH });
    assert.equal(res.statusCode, 200);
    return res.json();
  };
  const t0 = deps.clock.t;
  await at(t0, 0);
  await new Promise((r) => setTimeout(r, 5));
  // rates are timed by the monotonic clock (see the stats service test); the injected wall clock,
  // here stepped back a minute, moves none of them
  const body = await at(t0 - 60_000, 12_800);
  const { linesPerSecond, ...counts } = body.ingest;
  assert.deepEqual(counts, { committed: 12_800, failed: 2, queued: 7 });
  assert.ok(linesPerSecond.last1s > 0 && Number.isFinite(linesPerSecond.last1s), `last1s ${linesPerSecond.last1s}`);
  assert.ok(linesPerSecond.last60s > 0 && Number.isFinite(linesPerSecond.last60s));
  assert.equal(body.store.shards, 4);
  assert.equal(body.store.committedLines, 12_800);
  assert.equal(body.store.queuedBytes, 700);
  assert.equal(body.store.unpreparedLines, 3);
  assert.deepEqual(body.store.problems, ['store: shard shards/x.db is damaged (test)']);
  assert.equal(body.store.retentionError, null);
  assert.deepEqual([body.store.retentionRemovedShards, body.store.retentionRemovedLines, body.store.retentionRemovedBytes], [5, 300_000, 14_500_000], 'what retention removed since start');
  assert.deepEqual(body.store.compaction, { merges: 2, shardsMerged: 117, rowsMerged: 90_000, failures: 1, deferred: 4, waiting: 1, lastMergeAt: 1_700_000_000_000, running: false }, 'what merges did since start');
  assert.equal(body.store.mergedShards, 1);
  assert.deepEqual(body.sources, [{ name: 'udp:0.0.0.0:514', received: 10, bytes: 900, drops: { queue_full: 1 } }]);
  assert.ok(body.process.uptimeS > 0 && body.process.rssBytes > 0);
  // what nml holds (RssAnon) apart from code and mapped files the kernel can reclaim (RssFile), on Linux
  if (process.platform === 'linux') assert.ok(body.process.anonBytes > 0 && body.process.fileBytes > 0 && body.process.anonBytes < body.process.rssBytes, JSON.stringify(body.process));
  // lines posted over HTTP are a source of their own (they showed nowhere), in /api/stats and /api/live
  const posted = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'one\ntwo\n' });
  assert.deepEqual(posted.json(), { accepted: 2 });
  const after = (await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH })).json();
  assert.deepEqual(after.sources.at(-1), { name: 'http:/api/ingest', received: 2, bytes: 8, drops: {}, notUtf8: 0 });
  const live = (await app.inject({ method: 'GET', url: '/api/live', headers: AUTH })).json();
  assert.ok(JSON.stringify(live).includes('http:/api/ingest'), 'the Live page\'s sources too');
  await app.close();
});

test('lines posted with bytes that are not UTF-8 are counted on the http source: /api/stats, /api/live and /metrics', async () => {
  const app = await buildApp(fakeDeps());
  try {
    const payload = Buffer.concat([Buffer.from('caf\xe9\nok\n', 'latin1'), Buffer.from('real \ufffd\n', 'utf8')]);
    const posted = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'text/plain' }, payload });
    assert.deepEqual(posted.json(), { accepted: 3, notUtf8: 1 });
    // bytes as received: U+FFFD is 3 bytes where the sender sent 1
    const row = { name: 'http:/api/ingest', received: 3, bytes: 17, drops: {}, notUtf8: 1 };
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH })).json().sources.at(-1), row);
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/live', headers: AUTH })).json().sources.at(-1), row);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body.split('\n');
    assert.ok(metrics.includes('nml_source_not_utf8_lines_total{source="http:/api/ingest"} 1'), 'in /metrics');
    assert.ok(metrics.includes('# TYPE nml_source_not_utf8_lines_total counter'));
  } finally {
    await app.close();
  }
});

test('prometheus text: HELP and TYPE per metric, escaped labels and help', () => {
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assert.equal(escapeHelp('x\\y\n"z"'), 'x\\\\y\\n"z"');
  const text = formatMetrics([
    { name: 'nml_x_total', type: 'counter', help: 'Xs.', samples: [{ value: 3 }, { labels: { a: 'q"1' }, value: Infinity }] },
    { name: 'nml_y', type: 'gauge', help: 'Ys.', samples: [] },
  ]);
  assert.equal(text, '# HELP nml_x_total Xs.\n# TYPE nml_x_total counter\nnml_x_total 3\nnml_x_total{a="q\\"1"} +Inf\n# HELP nml_y Ys.\n# TYPE nml_y gauge\n');
});

test('/metrics: the stats in exposition format, per-source labels escaped', async () => {
  const deps = fakeDeps({
    sourceStats: (): SourceStatsRow[] => [
      { name: 'file:/var/log/"odd"\\name\n', received: 5, bytes: 50, drops: { oversize: 2, queue_full: 0 } },
      { name: 'udp:0.0.0.0:514', received: 9, bytes: 90, drops: {} },
      { name: 'tcp:0.0.0.0:5514', received: 1, bytes: 10, drops: {}, refusedConnections: 4 },
    ],
  });
  deps.committed.lines = 1234;
  const app = await buildApp(deps);
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: AUTH });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const lines = res.body.split('\n');
  const odd = 'file:/var/log/\\"odd\\"\\\\name\\n';
  for (const expected of [
    '# HELP nml_ingest_committed_lines_total Lines committed to the store since start.',
    '# TYPE nml_ingest_committed_lines_total counter',
    'nml_ingest_committed_lines_total 1234',
    '# TYPE nml_ingest_queued_lines gauge',
    'nml_ingest_queued_lines 7',
    'nml_ingest_queued_bytes 700',
    'nml_store_unprepared_lines_total 3',
    'nml_store_retention_failed_files 0',
    '# TYPE nml_store_retention_removed_shards_total counter',
    'nml_store_retention_removed_shards_total 5',
    'nml_store_retention_removed_lines_total 300000',
    'nml_store_retention_removed_bytes_total 14500000',
    '# TYPE nml_store_merges_total counter',
    'nml_store_merges_total 2',
    'nml_store_merged_shards_total 117',
    'nml_store_merged_lines_total 90000',
    'nml_store_merge_failures_total 1',
    'nml_store_merges_deferred_total 4',
    'nml_store_shards 4',
    'nml_store_bytes 65536',
    'nml_store_rows 1000',
    `nml_source_received_lines_total{source="${odd}"} 5`,
    'nml_source_received_lines_total{source="udp:0.0.0.0:514"} 9',
    `nml_source_drops_total{source="${odd}",reason="oversize"} 2`,
    `nml_source_drops_total{source="${odd}",reason="queue_full"} 0`,
    'nml_source_refused_connections_total{source="tcp:0.0.0.0:5514"} 4',
    '# TYPE nml_process_anonymous_memory_bytes gauge',
  ]) {
    assert.ok(lines.includes(expected), `missing: ${expected}`);
  }
  assert.ok(!lines.some((l) => l.startsWith('nml_store_disk_free_bytes ')), 'an unknown value is left out, not reported as 0');
  if (process.platform === 'linux') assert.ok(lines.some((l) => /^nml_process_anonymous_memory_bytes \d+$/.test(l)), 'the anonymous part of the resident set');
  for (const l of lines) assert.match(l, /^(# (HELP|TYPE) nml_\w+ .+|nml_\w+(\{.*\})? -?[\d.e+]+|)$/);
  assert.ok(res.body.endsWith('\n'));
  await app.close();
});

test('the live URL detector counts in /api/stats and /metrics when it runs, and nothing when it does not', async () => {
  const url = { lines: 10, urls: 4, tlsNames: 1, cacheHits: 0, scored: 3, findings: 1, dropped: 1, queued: 2, ignored: 0, grouped: 0, lost: 0 };
  const app = await buildApp(fakeDeps({ detectorStats: () => ({ url }) }));
  try {
    const stats = await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH });
    assert.deepEqual(stats.json().detectors, { url });
    const lines = (await app.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body.split('\n');
    for (const expected of ['nml_url_live_urls_total{outcome="dropped"} 1', 'nml_url_live_urls_total{outcome="scored"} 3', 'nml_url_live_queued 2']) assert.ok(lines.includes(expected), `missing: ${expected}`);
    assert.ok(!lines.some((l) => l.startsWith('nml_url_live_urls_total{outcome="queued"}')), 'the queue is a gauge, not a counter');
  } finally {
    await app.close();
  }
  const without = await buildApp(fakeDeps());
  try {
    assert.equal((await without.inject({ method: 'GET', url: '/api/stats', headers: AUTH })).json().detectors, undefined);
    assert.ok(!(await without.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body.includes('nml_url_live'));
  } finally {
    await without.close();
  }
});

test("/api/stats: a source's connection and truncation counters when it has them", async () => {
  const row = { name: 'tcp:0.0.0.0:5514', received: 3, bytes: 30, drops: {}, truncated: 1, connections: 2, refusedConnections: 0, idleClosed: 4 };
  const app = await buildApp(fakeDeps({ sourceStats: () => [row, { name: 'file:/var/log/x', received: 0, bytes: 0, drops: {}, unreadable: 1 }] }));
  try {
    const body = (await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH })).json();
    assert.deepEqual(body.sources, [row, { name: 'file:/var/log/x', received: 0, bytes: 0, drops: {}, unreadable: 1 }]);
  } finally {
    await app.close();
  }
});

test('findings webhooks count in /api/stats and /metrics by their non-secret name, and nothing when none is configured', async () => {
  const hooks = [{ name: 'hooks.slack.com#0', sent: 4, failed: 1, dropped: 2, queued: 3 }];
  const app = await buildApp(fakeDeps({ notifyStats: () => hooks }));
  try {
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH })).json().findingsNotify, hooks);
    const lines = (await app.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body.split('\n');
    for (const expected of ['nml_findings_notify_sent_total{webhook="hooks.slack.com#0"} 4', 'nml_findings_notify_failed_total{webhook="hooks.slack.com#0"} 1', 'nml_findings_notify_dropped_total{webhook="hooks.slack.com#0"} 2', 'nml_findings_notify_queued{webhook="hooks.slack.com#0"} 3', '# TYPE nml_findings_notify_dropped_total counter']) {
      assert.ok(lines.includes(expected), `missing: ${expected}`);
    }
  } finally {
    await app.close();
  }
  const without = await buildApp(fakeDeps());
  try {
    assert.ok(!(await without.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body.includes('nml_findings_notify'));
  } finally {
    await without.close();
  }
});

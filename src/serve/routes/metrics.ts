/** `GET /metrics`: the numbers of `/api/stats` in Prometheus text format (scrape with a bearer token). */
import type { FastifyInstance } from 'fastify';
import type { StatsResponse } from '../api.js';
import { formatMetrics, PROMETHEUS_CONTENT_TYPE, type Metric, type MetricSample } from '../prometheus.js';
import { errorReplies } from '../schemas.js';
import type { StatsService } from '../stats-service.js';

function one(value: number | null): MetricSample[] {
  return value === null ? [] : [{ value }];
}

/** Stats snapshot -> metrics; counters end in `_total`. */
export function statsMetrics(s: StatsResponse): Metric[] {
  const received: MetricSample[] = [];
  const receivedBytes: MetricSample[] = [];
  const drops: MetricSample[] = [];
  const refused: MetricSample[] = [];
  const notUtf8: MetricSample[] = [];
  for (const src of s.sources) {
    if (src.refusedConnections !== undefined) refused.push({ labels: { source: src.name }, value: src.refusedConnections });
    received.push({ labels: { source: src.name }, value: src.received });
    receivedBytes.push({ labels: { source: src.name }, value: src.bytes });
    if (src.notUtf8 !== undefined) notUtf8.push({ labels: { source: src.name }, value: src.notUtf8 });
    for (const [reason, n] of Object.entries(src.drops)) drops.push({ labels: { source: src.name, reason }, value: n });
  }
  const rate = s.ingest.linesPerSecond;
  const url = s.detectors?.url;
  const urlMetrics: Metric[] =
    url === undefined
      ? []
      : [
          {
            name: 'nml_url_live_urls_total',
            type: 'counter',
            help: 'The live URL detector since start, by counter: lines read, urls found, tlsNames, cacheHits, scored, findings, dropped, ignored, grouped (summed into a host), lost (not stored).',
            samples: Object.entries(url)
              .filter(([k]) => k !== 'queued')
              .map(([outcome, value]) => ({ labels: { outcome }, value })),
          },
          { name: 'nml_url_live_queued', type: 'gauge', help: 'URLs waiting for the live URL detector.', samples: one(url.queued ?? null) },
        ];
  const hooks = s.findingsNotify ?? [];
  const perHook = (k: 'sent' | 'failed' | 'dropped'): MetricSample[] => hooks.map((h) => ({ labels: { webhook: h.name }, value: h[k] }));
  const notifyMetrics: Metric[] =
    hooks.length === 0
      ? []
      : [
          { name: 'nml_findings_notify_sent_total', type: 'counter', help: 'Findings webhook messages delivered since start, per webhook (host#index in findings.notify).', samples: perHook('sent') },
          { name: 'nml_findings_notify_failed_total', type: 'counter', help: 'Findings webhook messages given up after their retries (or refused with a 4xx) since start, per webhook; the server log says why, once per failure streak.', samples: perHook('failed') },
          { name: 'nml_findings_notify_dropped_total', type: 'counter', help: 'Findings webhook messages dropped unsent because the queue behind a slow or failing webhook was full (the oldest first), per webhook.', samples: perHook('dropped') },
          { name: 'nml_findings_notify_queued', type: 'gauge', help: 'Findings webhook messages waiting to be sent, per webhook.', samples: hooks.map((h) => ({ labels: { webhook: h.name }, value: h.queued })) },
        ];
  return [
    ...urlMetrics,
    ...notifyMetrics,
    ...backupMetrics(s.backup),
    ...watchMetrics(s.watches),
    { name: 'nml_ingest_committed_lines_total', type: 'counter', help: 'Lines committed to the store since start.', samples: one(s.ingest.committed) },
    { name: 'nml_ingest_failed_lines_total', type: 'counter', help: 'Lines not stored since start: those of every batch the store refused, and of an ingest request the lines after its refused batch.', samples: one(s.ingest.failed) },
    { name: 'nml_ingest_queued_lines', type: 'gauge', help: 'Lines waiting in the writer queue.', samples: one(s.ingest.queued) },
    { name: 'nml_ingest_queued_bytes', type: 'gauge', help: 'Text waiting in the writer queue, in bytes (UTF-16 code units: bytes for ASCII).', samples: one(s.store.queuedBytes) },
    {
      name: 'nml_ingest_lines_per_second',
      type: 'gauge',
      help: 'Committed lines per second, moving rate over the window.',
      samples: [{ labels: { window: '1s' }, value: rate.last1s }, { labels: { window: '60s' }, value: rate.last60s }],
    },
    { name: 'nml_store_shards', type: 'gauge', help: 'Shard files in the store.', samples: one(s.store.shards) },
    { name: 'nml_store_sealed_shards', type: 'gauge', help: 'Sealed (read-only) shard files.', samples: one(s.store.sealedShards) },
    { name: 'nml_store_bytes', type: 'gauge', help: 'Bytes of all shard files.', samples: one(s.store.bytes) },
    { name: 'nml_store_rows', type: 'gauge', help: 'Lines stored in all shards.', samples: one(s.store.rows) },
    { name: 'nml_store_unprepared_lines_total', type: 'counter', help: 'Lines stored raw, without fields or relations, because parsing them threw (a parser bug; the server log names the error).', samples: one(s.store.unpreparedLines) },
    { name: 'nml_store_retention_failed_files', type: 'gauge', help: 'Files the last retention pass could not delete and kept (each named in the server log).', samples: one(s.store.retentionFailed) },
    { name: 'nml_store_retention_removed_shards_total', type: 'counter', help: 'Shards retention removed since start (each pass that removed any is logged with why).', samples: one(s.store.retentionRemovedShards) },
    { name: 'nml_store_retention_removed_lines_total', type: 'counter', help: 'Lines in the shards retention removed since start.', samples: one(s.store.retentionRemovedLines) },
    { name: 'nml_store_retention_removed_bytes_total', type: 'counter', help: 'Bytes retention removed since start (shards and the relation index files removed with them).', samples: one(s.store.retentionRemovedBytes) },
    { name: 'nml_store_merges_total', type: 'counter', help: 'Closed hours merged into one shard since start (each is an info line in the server log).', samples: one(s.store.compaction.merges) },
    { name: 'nml_store_merged_shards_total', type: 'counter', help: 'Shards the merges since start replaced.', samples: one(s.store.compaction.shardsMerged) },
    { name: 'nml_store_merged_lines_total', type: 'counter', help: 'Lines of the shards the merges since start made.', samples: one(s.store.compaction.rowsMerged) },
    { name: 'nml_store_merge_failures_total', type: 'counter', help: 'Hours whose merge failed since start (each one of the store problems); their shards are searched as they are.', samples: one(s.store.compaction.failures) },
    { name: 'nml_store_merges_deferred_total', type: 'counter', help: 'Due hours a merge round left unmerged since start because a pinned search being read needed their shards as they are (one per hour and round; merged at a later round).', samples: one(s.store.compaction.deferred) },
    { name: 'nml_store_disk_free_bytes', type: 'gauge', help: 'Free bytes on the data directory\'s file system.', samples: one(s.store.diskFreeBytes) },
    { name: 'nml_source_received_lines_total', type: 'counter', help: 'Lines received per source, stored or dropped.', samples: received },
    { name: 'nml_source_received_bytes_total', type: 'counter', help: 'Bytes received per source.', samples: receivedBytes },
    { name: 'nml_source_not_utf8_lines_total', type: 'counter', help: 'Lines per source whose bytes were not UTF-8, stored with U+FFFD in their place: the sender uses another encoding (Latin-1 …); set it to send UTF-8.', samples: notUtf8 },
    { name: 'nml_source_drops_total', type: 'counter', help: 'Lines dropped per source and reason.', samples: drops },
    { name: 'nml_source_refused_connections_total', type: 'counter', help: 'Connections a TCP or TLS syslog source refused: past syslog.tcp.maxConnections or maxConnectionsPerAddress, or without a certificate the CA signed.', samples: refused },
    { name: 'nml_process_uptime_seconds', type: 'gauge', help: 'Seconds since the process started.', samples: one(s.process.uptimeS) },
    { name: 'nml_process_resident_memory_bytes', type: 'gauge', help: 'Resident set size of the process.', samples: one(s.process.rssBytes) },
    { name: 'nml_process_anonymous_memory_bytes', type: 'gauge', help: 'Resident memory not backed by a file (RssAnon: JavaScript heaps, SQLite page caches, buffers); the rest of the resident set is code and mapped files the kernel can reclaim. Linux only.', samples: one(s.process.anonBytes) },
  ];
}

/** The scheduled backups' metrics, when `backup.dir` is set: alert on the last success's age, and on failures. */
function backupMetrics(b: StatsResponse['backup']): Metric[] {
  if (b === undefined) return [];
  const seconds = (ms: number | null | undefined): number | null => (ms == null ? null : ms / 1000);
  return [
    { name: 'nml_backup_last_success_timestamp_seconds', type: 'gauge', help: 'When the newest verified backup of this data directory in backup.dir finished (seconds since 1970; read from the folder at start). Absent: none yet.', samples: one(seconds(b.lastSuccess?.at)) },
    { name: 'nml_backup_last_duration_seconds', type: 'gauge', help: 'How long the last scheduled backup run took, taking and verifying it, whether it succeeded or not. Absent: none since start.', samples: one(seconds(b.lastRun?.durationMs)) },
    { name: 'nml_backup_last_success_bytes', type: 'gauge', help: 'Bytes of the newest verified backup.', samples: one(b.lastSuccess?.bytes ?? null) },
    { name: 'nml_backup_last_run_ok', type: 'gauge', help: 'Whether the last scheduled backup run gave a verified backup (1) or failed (0; the server log and /api/stats say why). Absent: none since start.', samples: one(b.lastRun === null ? null : b.lastRun.ok ? 1 : 0) },
    { name: 'nml_backup_successes_total', type: 'counter', help: 'Scheduled backups taken and verified since start.', samples: one(b.successes) },
    { name: 'nml_backup_failures_total', type: 'counter', help: 'Scheduled backup runs that failed since start (each an error line in the server log, and a message to the findings webhooks without a detectors filter at the first of a streak).', samples: one(b.failures) },
    { name: 'nml_backup_kept', type: 'gauge', help: 'Verified backups of this data directory in backup.dir (at most backup.keep after a run).', samples: one(b.kept) },
    { name: 'nml_backup_running', type: 'gauge', help: 'Whether a scheduled backup runs now (1) or not (0).', samples: one(b.running ? 1 : 0) },
  ];
}

/** The watches' metrics, where the server has them: alert on errors rising. */
function watchMetrics(w: StatsResponse['watches']): Metric[] {
  if (w === undefined) return [];
  return [
    { name: 'nml_watches', type: 'gauge', help: 'Watches stored (saved queries counted on a schedule), by state: enabled or disabled.', samples: [{ labels: { state: 'enabled' }, value: w.enabled }, { labels: { state: 'disabled' }, value: w.watches - w.enabled }] },
    { name: 'nml_watch_evaluations_total', type: 'counter', help: 'Watch evaluations (counts of a watch\'s query over its window) since start, failed ones included.', samples: one(w.evaluations) },
    { name: 'nml_watch_errors_total', type: 'counter', help: 'Watch evaluations whose count failed since start (a damaged shard…): the watch keeps the error (GET /api/watches), the server log says it once per streak.', samples: one(w.errors) },
  ];
}

export function metricsRoutes(stats: StatsService) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/metrics',
      {
        schema: {
          summary: 'Prometheus metrics',
          tags: ['ops'],
          produces: [PROMETHEUS_CONTENT_TYPE],
          response: { 200: { type: 'string', description: 'text exposition format 0.0.4' }, ...errorReplies },
        },
      },
      async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(formatMetrics(statsMetrics(stats.snapshot()))),
    );
  };
}

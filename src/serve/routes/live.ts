/** `GET /api/live`: ingest rates, drops by reason, store size, disk and merges, sources: the live page's numbers. */
import type { FastifyInstance } from 'fastify';
import { DROP_REASONS } from '../../core/index.js';
import type { LiveResponse } from '../api.js';
import type { AppDeps } from '../deps.js';
import { RateMeter } from '../rate-meter.js';
import { backupStats, errorReplies, sourceStats } from '../schemas.js';
import { isViewer } from '../read-only.js';
import { backupForViewer, problemsForViewer } from '../viewer-paths.js';

export interface LiveRouteDeps extends Pick<AppDeps, 'storeStats' | 'sourceStats' | 'backupStats'> {
  now: () => number;
  /** ms from a clock that never goes back, for rates */
  monotonic: () => number;
  tailClients: () => number;
}

const RATE_WINDOW_MS = 5000;
const SAMPLE_EVERY_MS = 1000;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const nullableInt = { type: ['integer', 'null'] } as const;

/** Samples committed lines and received bytes once a second (and at each request) for moving rates. */
class LiveMeters {
  readonly lines = new RateMeter(61_000);
  readonly bytes = new RateMeter(61_000);
  constructor(private readonly deps: LiveRouteDeps) {}

  sample(): { store: ReturnType<AppDeps['storeStats']>; sources: ReturnType<AppDeps['sourceStats']> } {
    const store = this.deps.storeStats();
    const sources = this.deps.sourceStats();
    const t = this.deps.monotonic();
    this.lines.sample(t, store.committedLines);
    this.bytes.sample(t, sources.reduce((a, s) => a + s.bytes, 0));
    return { store, sources };
  }
}

export function liveRoutes(deps: LiveRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    const meters = new LiveMeters(deps);
    meters.sample();
    const timer = setInterval(() => {
      try {
        meters.sample();
      } catch (err) {
        app.log.warn({ err }, 'live: cannot sample counters');
      }
    }, SAMPLE_EVERY_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    app.get(
      '/api/live',
      {
        schema: {
          summary: 'ingest rate, drops by reason, shards and disk (poll about once a second)',
          tags: ['ops'],
          response: {
            200: {
              type: 'object',
              required: ['time', 'ingest', 'drops', 'store', 'sources', 'tail'],
              properties: {
                time: int,
                ingest: {
                  type: 'object',
                  properties: { linesPerSecond: num, linesPerSecond60s: num, bytesPerSecond: num, committed: int, failed: int, queued: int },
                },
                drops: { type: 'object', additionalProperties: int },
                store: {
                  type: 'object',
                  properties: {
                    shards: int,
                    bytes: int,
                    lines: int,
                    oldest: nullableInt,
                    newest: nullableInt,
                    diskFreeBytes: nullableInt,
                    problems: { type: 'array', items: { type: 'string' } },
                    mergedShards: int,
                    compaction: {
                      type: 'object',
                      properties: { merges: int, failures: int, waiting: int, lastMergeAt: nullableInt, running: { type: 'boolean' } },
                    },
                  },
                },
                sources: { type: 'array', items: sourceStats },
                tail: { type: 'object', properties: { clients: int } },
                backup: { ...backupStats, type: ['object', 'null'], description: 'the scheduled backups (backup.dir), as in /api/stats; null: none scheduled' },
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<LiveResponse> => {
        const { store, sources } = meters.sample();
        const backup = deps.backupStats?.() ?? null;
        // a viewer reads what the server does, not where it keeps it (viewer-paths.ts)
        const viewer = isViewer(req);
        const c = store.compaction;
        const drops: Record<string, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0]));
        for (const s of sources) for (const [reason, n] of Object.entries(s.drops)) drops[reason] = (drops[reason] ?? 0) + n;
        return {
          time: deps.now(),
          ingest: {
            linesPerSecond: meters.lines.rate(RATE_WINDOW_MS),
            linesPerSecond60s: meters.lines.rate(60_000),
            bytesPerSecond: meters.bytes.rate(RATE_WINDOW_MS),
            committed: store.committedLines,
            failed: store.failedLines,
            queued: store.queuedLines,
          },
          drops,
          store: {
            shards: store.shards,
            bytes: store.bytes,
            lines: store.rows,
            oldest: store.oldest,
            newest: store.newest,
            diskFreeBytes: store.diskFreeBytes,
            problems: viewer ? problemsForViewer(store.problems) : store.problems,
            mergedShards: store.mergedShards,
            compaction: { merges: c.merges, failures: c.failures, waiting: c.waiting, lastMergeAt: c.lastMergeAt, running: c.running },
          },
          sources,
          tail: { clients: deps.tailClients() },
          backup: backup !== null && viewer ? backupForViewer(backup) : backup,
        };
      },
    );
  };
}

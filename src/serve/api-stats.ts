/** `GET /api/stats`: store, sources, ingest and process numbers (`src/serve/routes/stats.ts`, `src/serve/stats-service.ts`). */
import type { ApiSourceStats } from './api.js';

export interface ApiStoreStats {
  shards: number;
  sealedShards: number;
  rows: number;
  bytes: number;
  committedLines: number;
  failedLines: number;
  queuedLines: number;
  /** text waiting in the writer queue (bytes for ASCII) */
  queuedBytes: number;
  /** lines stored raw, without fields or relations, because parsing them threw (a parser bug; the server log has the error) */
  unpreparedLines: number;
  /** the last retention pass: files it could not delete and kept (each named in the server log), and why it failed whole */
  retentionFailed: number;
  retentionError: string | null;
  /** what retention removed since start (each pass that removed anything is a line in the server log): shards, their lines, bytes (relation index files included) */
  retentionRemovedShards: number;
  retentionRemovedLines: number;
  retentionRemovedBytes: number;
  /** the newest 20 of the store's problems (a damaged shard, a failed retention or catalog write…), oldest first; also in the server log */
  problems: string[];
  diskFreeBytes: number | null;
  oldest: number | null;
  newest: number | null;
}

export interface StatsResponse {
  store: ApiStoreStats;
  sources: ApiSourceStats[];
  ingest: {
    /** committed lines per second over the last second and the last minute */
    linesPerSecond: { last1s: number; last60s: number };
    committed: number;
    failed: number;
    queued: number;
  };
  process: { uptimeS: number; rssBytes: number };
  /** the live URL scorer's counters (URLs found, scored, findings, dropped…), when it runs */
  detectors?: { url?: Record<string, number> };
}

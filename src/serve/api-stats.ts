/** `GET /api/stats`: store, sources, ingest and process numbers (`src/serve/routes/stats.ts`, `src/serve/stats-service.ts`). */

export interface ApiSourceStats {
  name: string;
  received: number;
  bytes: number;
  drops: Record<string, number>;
  /** stored shorter than sent (oversize heads, frames cut by a disconnect or a stop) */
  truncated?: number;
  /** open connections, and those refused at the limit or closed after `syslog.tcp.idleTimeoutMs` silent (tcp, tls) */
  connections?: number;
  refusedConnections?: number;
  idleClosed?: number;
  /** times a followed file could not be opened (EACCES, ELOOP…; logged with what to do) */
  unreadable?: number;
  /** lines stored with U+FFFD (�) in place of bytes that are not UTF-8: the sender uses another encoding */
  notUtf8?: number;
  /** followed files (files.follow): each one's path and the host its lines get where their header names none (null: none) */
  files?: { path: string; host: string | null }[];
}

/** One scheduled backup's outcome (times in ms since 1970): a verified backup in `folder`, or why not (`code`, `error`) */
export interface ApiBackupRun {
  ok: boolean;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  /** the verified backup's path; null when the run failed, and to a viewer */
  folder: string | null;
  files: number;
  bytes: number;
  code: string | null;
  /** a failed run's message; on a good run, a prune that failed */
  error: string | null;
  /** older backups removed after this one verified (their paths; empty to a viewer) */
  pruned: string[];
}

/** The scheduled backups (`backup.dir`), when configured: see docs/architecture.md, "Scheduled backups" */
export interface ApiBackupStats {
  /** `backup.dir`, resolved; null to a viewer (the server's folders are an operator's business) */
  dir: string | null;
  everyMs: number;
  keep: number;
  running: boolean;
  nextAt: number | null;
  /** the newest verified backup of this data directory (read from the folder at start, then each run's) */
  /** `folder` null to a viewer */
  lastSuccess: { at: number; folder: string | null; files: number; bytes: number; durationMs: number } | null;
  lastRun: ApiBackupRun | null;
  /** runs since start */
  successes: number;
  failures: number;
  /** runs failed since the last verified one: the failing streak (absent from a server before it) */
  failedInARow?: number;
  /** verified backups of this data directory in `dir` */
  kept: number;
}

export interface ApiStoreStats {
  shards: number;
  sealedShards: number;
  /** closed hours merged into one shard each (hour-<seq>.db): what the data directory holds, as `nml stats` shows it */
  mergedShards: number;
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
  /**
   * what the server's merges of closed hours did since it started (0 again at each start; each merge is an info line in
   * the server log, each failure one of the problems): hours merged, the shards they replaced and their lines, merges
   * that failed, due hours a round left unmerged because a pinned search being read needed them (one per hour and round;
   * merged at a later round), when the last one was swapped in (ms, null: none since start), and whether a round runs now
   */
  compaction: { merges: number; shardsMerged: number; rowsMerged: number; failures: number; deferred: number; waiting: number; lastMergeAt: number | null; running: boolean };
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
  /**
   * rssBytes: all resident memory; anonBytes (RssAnon) the part nml holds (heaps, SQLite caches) and
   * fileBytes (RssFile) code and mapped files the kernel can reclaim; both null off Linux (process-memory.ts)
   */
  process: { uptimeS: number; rssBytes: number; anonBytes: number | null; fileBytes: number | null };
  /** the live URL scorer's counters (URLs found, scored, findings, dropped…), when it runs */
  detectors?: { url?: Record<string, number> };
  /** each findings webhook's messages since start (`findings.notify`), by its non-secret name (`hooks.slack.com#0`), when any is configured */
  findingsNotify?: Array<{ name: string; sent: number; failed: number; dropped: number; queued: number }>;
  /** the scheduled backups, when `backup.dir` is set */
  backup?: ApiBackupStats;
  /** the watches (saved queries counted on a schedule): stored, enabled, evaluations and failed counts since start; absent where the server has none */
  watches?: { watches: number; enabled: number; evaluations: number; errors: number };
}

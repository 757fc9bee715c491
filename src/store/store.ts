/**
 * The store as one object: catalog + writer pool + retention, opened on a data directory. The writer
 * worker script is supplied by the caller (it joins parse and store; see src/writer.worker.ts).
 */
import { mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { RELATIONS_DIR } from './relation-files.js';
import { AppError } from '../core/index.js';
import { Catalog } from './catalog.js';
import { WriterPool } from './writer-pool.js';
import { DataDirLock } from './lock.js';
import { applyRetention, type RetentionPolicy, type RetentionResult } from './retention.js';

export interface StoreConfig {
  /** slot length: one shard file per slot and writer lane */
  slotMs: number;
  lanes: number;
  sealIdleMs: number;
  maxOpenShards: number;
  optimizeOnSeal: boolean;
  highWaterLines: number;
  maxLinesPerCommit: number;
  retention: RetentionPolicy;
  retentionCheckMs: number;
  /** the relation index beside the shards (docs/architecture.md, Investigation); periodMs divides a day */
  relations: { enabled: boolean; periodMs: number };
}

export const STORE_DEFAULTS: StoreConfig = Object.freeze({
  slotMs: 60_000,
  lanes: 2,
  sealIdleMs: 5_000,
  maxOpenShards: 4,
  optimizeOnSeal: false,
  highWaterLines: 400_000,
  maxLinesPerCommit: 200_000,
  retention: { maxAgeMs: null, maxBytes: null },
  retentionCheckMs: 60_000,
  relations: { enabled: true, periodMs: 3_600_000 },
});

export interface StoreStats {
  shards: number;
  sealedShards: number;
  rows: number;
  bytes: number;
  committedLines: number;
  failedLines: number;
  queuedLines: number;
  diskFreeBytes: number | null;
  oldest: number | null;
  newest: number | null;
}

export class Store {
  readonly catalog: Catalog;
  readonly writer: WriterPool;
  private readonly retentionTimer: NodeJS.Timeout | null;
  private readonly config: StoreConfig;
  readonly dataDir: string;
  private readonly lock: DataDirLock;
  lastRetention: RetentionResult = { removed: 0, removedBytes: 0 };

  constructor(dataDir: string, config: StoreConfig, writerWorkerUrl: URL, prepareOptions: unknown = {}) {
    this.dataDir = dataDir;
    this.config = config;
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (e) {
      throw new AppError('STORE_DATA_DIR', 'unavailable', `store: cannot create data directory ${dataDir}: ${(e as Error).message}`, { dataDir }, e);
    }
    this.lock = new DataDirLock(dataDir);
    this.lock.acquire();
    this.catalog = new Catalog(dataDir, config.slotMs);
    this.writer = new WriterPool({
      workerUrl: writerWorkerUrl,
      lanes: config.lanes,
      highWaterLines: config.highWaterLines,
      laneData: {
        shardSet: { dir: this.catalog.shardsDir, slotMs: config.slotMs, sealIdleMs: config.sealIdleMs, maxOpenShards: config.maxOpenShards, optimizeOnSeal: config.optimizeOnSeal },
        sealCheckMs: Math.min(1000, config.sealIdleMs),
        maxLinesPerCommit: config.maxLinesPerCommit,
        prepareOptions,
        relations: config.relations?.enabled === false ? null : { dir: join(dataDir, RELATIONS_DIR), periodMs: config.relations?.periodMs ?? STORE_DEFAULTS.relations.periodMs },
      },
      onShardEvents: (events) => this.catalog.apply(events),
    });
    const hasRetention = config.retention.maxAgeMs !== null || config.retention.maxBytes !== null;
    this.retentionTimer = hasRetention ? setInterval(() => this.runRetention(), config.retentionCheckMs) : null;
    this.retentionTimer?.unref();
  }

  runRetention(now = Date.now()): RetentionResult {
    this.lastRetention = applyRetention(this.catalog, this.config.retention, now, join(this.dataDir, RELATIONS_DIR));
    return this.lastRetention;
  }

  stats(): StoreStats {
    const summary = this.catalog.summary();
    let diskFreeBytes: number | null = null;
    try {
      const fs = statfsSync(this.dataDir);
      diskFreeBytes = fs.bavail * fs.bsize;
    } catch {
      // statfs unsupported here
    }
    return {
      ...summary,
      committedLines: this.writer.committedLines,
      failedLines: this.writer.failedLines,
      queuedLines: this.writer.queuedLines,
      diskFreeBytes,
    };
  }

  async close(): Promise<void> {
    if (this.retentionTimer !== null) clearInterval(this.retentionTimer);
    await this.writer.close();
    this.catalog.close();
    this.lock.release();
  }
}

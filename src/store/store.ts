/**
 * The store as one object: catalog + writer pool + retention, opened on a data directory. The writer
 * worker script is supplied by the caller (it joins parse and store; see src/writer.worker.ts).
 */
import { mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RELATIONS_DIR, recoverRelationFiles } from './relation-files.js';
import { AppError } from '../core/index.js';
import { Catalog } from './catalog.js';
import { DEFAULT_HIGH_WATER_BYTES, WriterPool } from './writer-pool.js';
import { DataDirLock } from './lock.js';
import { sweepWholeFileTemps, WHOLE_FILE_FOLDERS, type TempSweepReport } from './temp-sweep.js';
import { applyRetention, noRetention, type RetentionPolicy, type RetentionResult } from './retention.js';
import { rollupJobs, type FileStamp, type RollupJob, type RollupResult } from './relation-rollup.js';
import { Worker } from 'node:worker_threads';
import { COMPACTION_DEFAULTS, Compactor, type CompactionConfig, type CompactionOutcome, type CompactionStats, type MergeReport } from './compaction.js';

export interface StoreConfig {
  /** slot length: one shard file per slot and writer lane */
  slotMs: number;
  lanes: number;
  sealIdleMs: number;
  maxOpenShards: number;
  optimizeOnSeal: boolean;
  /**
   * a line of an hour that ended this long before it arrived goes to its writer lane's shard of the whole
   * hour, not of its minute (shard-set.ts): an old log imported makes one file an hour and lane. null: never
   */
  hourShardsAfterMs?: number | null;
  /**
   * each commit waits until the disk has it (SQLite synchronous=FULL), so an acknowledged line survives a
   * power loss or a kernel crash; false: only nml being killed (synchronous=OFF). Default true.
   */
  fsyncCommits?: boolean;
  highWaterLines: number;
  /** congested also past this much waiting text (long lines); default 256 MiB */
  highWaterBytes?: number;
  maxLinesPerCommit: number;
  retention: RetentionPolicy;
  retentionCheckMs: number;
  /**
   * the relation index beside the shards (docs/architecture.md, Investigation); periodMs divides a day.
   * Day roll-ups are looked for every `rollupCheckMs` (0: never) and built for days that ended and whose
   * files saw no write for `rollupSettleMs`; besides each day's prefix, aligned blocks of
   * `rollupBlockHours` (a divisor of 24, longer than a period) for questions about part of a day.
   */
  relations: { enabled: boolean; periodMs: number; rollupCheckMs?: number; rollupSettleMs?: number; rollupBlockHours?: number[] };
  /** merging a closed hour's shards into one (compaction.ts); `checkMs` 0: never */
  compaction?: Partial<CompactionConfig>;
}

export const STORE_DEFAULTS: StoreConfig = Object.freeze({
  slotMs: 60_000,
  lanes: 2,
  sealIdleMs: 5_000,
  maxOpenShards: 4,
  optimizeOnSeal: false,
  hourShardsAfterMs: 600_000,
  fsyncCommits: true,
  highWaterLines: 400_000,
  highWaterBytes: DEFAULT_HIGH_WATER_BYTES,
  maxLinesPerCommit: 200_000,
  retention: { maxAgeMs: null, maxBytes: null },
  retentionCheckMs: 60_000,
  relations: { enabled: true, periodMs: 3_600_000, rollupCheckMs: 300_000, rollupSettleMs: 600_000, rollupBlockHours: [2, 4] },
  compaction: COMPACTION_DEFAULTS,
});

/** One day folder's roll-up attempt: what buildDayRollup said, or why the worker failed. */
export interface RollupOutcome {
  dir: string;
  result?: RollupResult;
  error?: string;
}

const ROLLUP_WORKER = new URL(import.meta.url.endsWith('.ts') ? './rollup.worker.dev.mjs' : './rollup.worker.js', import.meta.url);

/** What the store tells its owner besides errors of a call. */
export interface StoreHooks {
  /**
   * A failure no caller sees (a catalog write, a retention delete, a writer lane that cannot start): the
   * server logs it. Without one it becomes a process warning. Either way `catalog.problems` keeps it.
   */
  onProblem?: (message: string) => void;
  /** A retention pass that removed shards: the server logs what went and why (deletions are never silent). */
  onRetention?: (report: RetentionReport) => void;
  /** A closed hour's shards merged into one (compaction.ts): the server logs it. A merge that fails is a problem instead. */
  onMerge?: (report: MergeReport) => void;
  /** Temporary files of whole-file writes a killed process left, removed at open (temp-sweep.ts): the server logs the count and the folder. */
  onTempFilesRemoved?: (report: TempSweepReport) => void;
}

/** What a retention pass removed, for the log; `/api/stats` and `/metrics` count the same since start. */
export interface RetentionReport {
  shards: number;
  lines: number;
  /** the shards' bytes and those of the relation index files removed with them */
  bytes: number;
  relationFiles: number;
  /** age: past retention.maxAgeMs; size: to get under retention.maxBytes */
  reason: 'age' | 'size' | 'age and size';
  /** the oldest line time still stored (ms), null when nothing is left */
  oldestKept: number | null;
  /** all of it in one sentence */
  message: string;
}

export interface StoreStats {
  shards: number;
  sealedShards: number;
  /** closed hours merged into one shard each (`hour-<seq>.db`) */
  mergedShards: number;
  rows: number;
  bytes: number;
  committedLines: number;
  failedLines: number;
  queuedLines: number;
  /** text waiting in the writer queue (UTF-16 code units: bytes for ASCII) */
  queuedBytes: number;
  /** lines stored raw because the line preparer threw for them (a parser bug), since start */
  unpreparedLines: number;
  /** the last retention pass: files it could not delete (kept), and why it stopped if it failed whole */
  retentionFailed: number;
  retentionError: string | null;
  /** what retention removed since start: shards, the lines they held, and bytes (relation index files included) */
  retentionRemovedShards: number;
  retentionRemovedLines: number;
  retentionRemovedBytes: number;
  /** what this process's merges of closed hours did since it started (0 at each start), and whether one runs now */
  compaction: CompactionStats;
  /** the newest of the store's problems (a damaged shard, a failed retention or catalog write…), oldest first */
  problems: string[];
  diskFreeBytes: number | null;
  oldest: number | null;
  newest: number | null;
}

/** the store's problems `stats()` carries at most (the catalog keeps 100; `nml stats` prints them all) */
const STATS_PROBLEMS = 20;

/**
 * Owner-only (rwx------, less the umask) for the data directory nml creates: it holds every stored log
 * line, the findings and the incident base, and was made 0755 with its files 0644, so any local user of
 * the host could read them. A folder that exists is left as the operator made it.
 */
export const DATA_DIR_MODE = 0o700;

/**
 * Makes the data directory (and folders above it), owner-only (DATA_DIR_MODE). A path that is a file, or under one, is told as the
 * read commands tell it (STORE_NOT_FOUND), not as mkdir's EEXIST or ENOTDIR.
 */
function createDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      let file = dataDir;
      while (!isFile(file) && dirname(file) !== file) file = dirname(file);
      if (isFile(file)) {
        const where = file === dataDir ? `${dataDir} is a file, not a data directory` : `${dataDir} cannot be a data directory: ${file} above it is a file`;
        throw new AppError('STORE_NOT_FOUND', 'bad_request', `store: ${where}; pass --data DIR of a directory that nml serve or nml ingest stores lines in`, { dataDir }, e);
      }
    }
    throw new AppError('STORE_DATA_DIR', 'unavailable', `store: cannot create data directory ${dataDir}: ${(e as Error).message}; check the path, that nml's user may write it and that its disk is not mounted read-only`, { dataDir }, e);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export class Store {
  readonly catalog: Catalog;
  readonly writer: WriterPool;
  private readonly retentionTimer: NodeJS.Timeout | null;
  private readonly config: StoreConfig;
  readonly dataDir: string;
  private readonly lock: DataDirLock;
  lastRetention: RetentionResult = noRetention();
  /** what every retention pass since start removed */
  private readonly retentionRemoved = { shards: 0, lines: 0, bytes: 0 };
  private readonly onRetention: StoreHooks['onRetention'];
  /** the last roll-up round's outcomes (empty until one ran) */
  lastRollups: RollupOutcome[] = [];
  private readonly rollupTimer: NodeJS.Timeout | null;
  private rollupRunning: { worker: Worker | null; done: Promise<RollupOutcome[]> } | null = null;
  private readonly rollupStamps = new Map<string, FileStamp[] | null>();
  private readonly compactor: Compactor;
  private readonly compactTimer: NodeJS.Timeout | null;

  constructor(dataDir: string, config: StoreConfig, writerWorkerUrl: URL, prepareOptions: unknown = {}, hooks: StoreHooks = {}) {
    this.dataDir = dataDir;
    this.config = config;
    this.onRetention = hooks.onRetention;
    createDataDir(dataDir);
    this.lock = new DataDirLock(dataDir);
    this.lock.acquire();
    try {
      this.catalog = new Catalog(dataDir, config.slotMs);
    } catch (e) {
      this.lock.release();
      throw e;
    }
    // like the catalog's shards: period files a killed writer left open are folded in before a lane starts
    const relations = recoverRelationFiles(join(dataDir, RELATIONS_DIR));
    for (const f of relations.failures) this.catalog.problem(`store: relation index file ${f} could not be recovered; its day's roll-ups wait for it (search reads it as it is)`);
    this.catalog.onProblem = hooks.onProblem ?? ((message: string) => process.emitWarning(message, { code: 'NML_STORE' }));
    // only now that this process holds the lock: no other store's write is under way in the folder
    for (const folder of WHOLE_FILE_FOLDERS) {
      const swept = sweepWholeFileTemps(join(dataDir, folder), this.catalog.onProblem);
      if (swept !== null) hooks.onTempFilesRemoved?.(swept);
    }
    // each commit waits for the disk unless configured otherwise (shards and relation files alike)
    const fsync = config.fsyncCommits ?? true;
    this.writer = new WriterPool({
      workerUrl: writerWorkerUrl,
      lanes: config.lanes,
      highWaterLines: config.highWaterLines,
      highWaterBytes: config.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES,
      laneData: {
        shardSet: { dir: this.catalog.shardsDir, slotMs: config.slotMs, sealIdleMs: config.sealIdleMs, maxOpenShards: config.maxOpenShards, optimizeOnSeal: config.optimizeOnSeal, fsyncCommits: fsync, hourShardsAfterMs: config.hourShardsAfterMs ?? null },
        sealCheckMs: Math.min(1000, config.sealIdleMs),
        maxLinesPerCommit: config.maxLinesPerCommit,
        prepareOptions,
        relations: config.relations?.enabled === false ? null : { dir: join(dataDir, RELATIONS_DIR), periodMs: config.relations?.periodMs ?? STORE_DEFAULTS.relations.periodMs, fsync },
      },
      onShardEvents: (events) => this.catalog.apply(events),
      onProblem: (message) => this.catalog.problem(message),
    });
    // before retention's first pass, which asks whether a merge runs
    const compaction = { ...COMPACTION_DEFAULTS, ...config.compaction };
    this.compactor = new Compactor(this.catalog, compaction, fsync, hooks.onMerge ?? null);
    const hasRetention = config.retention.maxAgeMs !== null || config.retention.maxBytes !== null;
    this.retentionTimer = hasRetention ? setInterval(() => this.runRetention(), config.retentionCheckMs) : null;
    this.retentionTimer?.unref();
    // a first pass now, as findings retention runs at start: limits set or lowered before a restart hold
    // at once, not one interval later (found writing docs/configuration.md); nothing is written yet
    if (hasRetention) this.runRetention();
    const rollupCheckMs = config.relations?.enabled === false ? 0 : (config.relations?.rollupCheckMs ?? STORE_DEFAULTS.relations.rollupCheckMs!);
    this.rollupTimer = rollupCheckMs > 0 ? setInterval(() => void this.rollUp(), rollupCheckMs) : null;
    this.rollupTimer?.unref();
    this.compactTimer = compaction.checkMs > 0 ? setInterval(() => void this.compact(), compaction.checkMs) : null;
    this.compactTimer?.unref();
  }

  /** Merges the closed hours' shards that are due (compaction.ts), in a child process. Never rejects. */
  compact(now = Date.now()): Promise<CompactionOutcome[]> {
    return this.compactor.run(now);
  }

  /**
   * Builds the day roll-ups that are due, in a worker thread (a day of 10M lines takes seconds); one
   * round at a time (a call while one runs gets that round). Never rejects: failures are outcomes.
   */
  rollUp(now = Date.now()): Promise<RollupOutcome[]> {
    if (this.rollupRunning !== null) return this.rollupRunning.done;
    const settleMs = this.config.relations?.rollupSettleMs ?? STORE_DEFAULTS.relations.rollupSettleMs!;
    const blockHours = (this.config.relations?.rollupBlockHours ?? STORE_DEFAULTS.relations.rollupBlockHours!).filter((h) => h * 3_600_000 > (this.config.relations?.periodMs ?? 3_600_000));
    let jobs: RollupJob[];
    try {
      jobs = rollupJobs(join(this.dataDir, RELATIONS_DIR), now, settleMs, blockHours, this.rollupStamps);
    } catch (e) {
      return Promise.resolve((this.lastRollups = [{ dir: join(this.dataDir, RELATIONS_DIR), error: (e as Error).message }]));
    }
    if (jobs.length === 0) return Promise.resolve([]);
    const running: { worker: Worker | null; done: Promise<RollupOutcome[]> } = { worker: null, done: Promise.resolve([]) };
    running.done = new Promise<RollupOutcome[]>((resolve) => {
      const outcomes: RollupOutcome[] = [];
      const worker = new Worker(ROLLUP_WORKER, { workerData: { jobs, now, settleMs } });
      running.worker = worker;
      worker.on('message', (m: RollupOutcome) => outcomes.push(m));
      worker.on('error', (e) => outcomes.push({ dir: jobs[outcomes.length]?.dir ?? '', error: e.message }));
      worker.on('exit', () => {
        this.rollupRunning = null;
        this.lastRollups = outcomes;
        resolve(outcomes);
      });
    });
    this.rollupRunning = running;
    return running.done;
  }

  /** One retention pass (the timer's body): never throws, a failure is in the result and the catalog's problems. */
  runRetention(now = Date.now()): RetentionResult {
    // not while shards are being merged: a source deleted under a running merge fails it (and the merge,
    // which attaches it, could make an empty file at its path); the next pass comes one interval later
    if (this.compactor.running) return this.lastRetention;
    // what a pass that fails part-way removed before it failed is counted and reported too
    const result = (this.lastRetention = noRetention());
    try {
      applyRetention(this.catalog, this.config.retention, now, join(this.dataDir, RELATIONS_DIR), result);
    } catch (e) {
      result.error = `store: the retention pass failed (${(e as Error).message}); the next one, in ${this.config.retentionCheckMs} ms, tries again`;
      this.catalog.problem(result.error);
    }
    if (result.removed > 0 || (result.forgottenLost ?? 0) > 0) this.reportRetention(result);
    return result;
  }

  private reportRetention(r: RetentionResult): void {
    this.retentionRemoved.shards += r.removed;
    this.retentionRemoved.lines += r.removedLines;
    this.retentionRemoved.bytes += r.removedBytes;
    if (this.onRetention === undefined) return;
    const { maxAgeMs, maxBytes } = this.config.retention;
    const reason = r.removedForAge === r.removed ? 'age' : r.removedForAge === 0 ? 'size' : 'age and size';
    const age = `past retention.maxAgeMs (${maxAgeMs} ms)`;
    const size = `to bring the data under retention.maxBytes (${maxBytes} bytes)`;
    const why = reason === 'age' ? age : reason === 'size' ? size : `${age} and ${size}`;
    const relationFiles = r.removedRelationFiles ?? 0;
    const withRelations = relationFiles > 0 ? ` and ${relationFiles} relation index file(s)` : '';
    let oldestKept: number | null = null;
    try {
      oldestKept = this.catalog.summary().oldest;
    } catch {
      // a size that cannot be read now: the report goes without the oldest time
    }
    const kept = oldestKept === null ? 'no line is left' : `the oldest line kept is from ${new Date(oldestKept).toISOString()}`;
    const lost = r.forgottenLost ?? 0;
    const forgot = lost > 0 ? `; ${lost} lost shard file(s) of that time are no longer named` : '';
    const message =
      r.removed > 0
        ? `store: retention removed ${r.removed} shard(s)${withRelations}, ${r.removedLines} line(s) and ${r.removedBytes} bytes, ${why}; ${kept}${forgot}`
        : `store: retention forgot ${lost} lost shard file(s) whose time is past retention.maxAgeMs (${maxAgeMs} ms): they are no longer named`;
    try {
      this.onRetention({ shards: r.removed, lines: r.removedLines, bytes: r.removedBytes, relationFiles, reason, oldestKept, message });
    } catch (e) {
      this.catalog.problem(`store: the retention report could not be delivered (${(e as Error).message}): ${message}`);
    }
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
      queuedBytes: this.writer.queuedBytes,
      unpreparedLines: this.writer.unpreparedLines,
      retentionFailed: this.lastRetention.failed ?? 0,
      retentionError: this.lastRetention.error ?? null,
      retentionRemovedShards: this.retentionRemoved.shards,
      retentionRemovedLines: this.retentionRemoved.lines,
      retentionRemovedBytes: this.retentionRemoved.bytes,
      compaction: this.compactor.stats(),
      problems: this.catalog.problems.slice(-STATS_PROBLEMS),
      diskFreeBytes,
    };
  }

  /**
   * Closes. `compact`: once the writers have sealed every shard, the closed hours that are due are merged
   * first (`nml ingest` of past days); their outcomes are returned. Otherwise a merge running is stopped.
   */
  async close(options: { compact?: boolean } = {}): Promise<CompactionOutcome[]> {
    if (this.retentionTimer !== null) clearInterval(this.retentionTimer);
    if (this.rollupTimer !== null) clearInterval(this.rollupTimer);
    if (this.compactTimer !== null) clearInterval(this.compactTimer);
    // an interrupted build leaves only a temporary file, removed by the next one
    await this.rollupRunning?.worker?.terminate();
    if (options.compact !== true) await this.compactor.close();
    let merged: CompactionOutcome[] = [];
    try {
      await this.writer.close();
      if (options.compact === true) {
        merged = await this.compactor.run();
        await this.compactor.close();
      }
      return merged;
    } finally {
      // a lane that failed to close its shards still leaves the directory to the next process
      this.catalog.close();
      this.lock.release();
    }
  }
}

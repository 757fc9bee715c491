/**
 * Compaction: the sealed shards of a closed UTC hour merged into one (`hour-<seq>.db`, shard-merge.ts).
 * One shard per minute and lane is right while lines arrive (small commits, prompt sealing), but a quiet
 * network leaves thousands of small ones: 2M lines spread over a day made 2,308 shards, and a rare-term
 * count read every one (700 ms, against 3 ms for the same lines in 41). An hour is merged once it ended
 * `settleMs` ago and every shard of it is sealed, when it holds at most `maxRows` lines (a busier hour's
 * shards are big already). Late lines for a merged hour make new minute shards; the next round merges
 * those with the hour's shard again. An hour that a pinned search being read needs as it is waits
 * (Compactor.run, `pinIdleMs`). Merges run in a child process (compact.child.ts says why); the catalog swaps the sources for
 * the merged shard in one transaction, and their files are deleted `graceMs` later (a search that listed
 * them before the swap may still open them), or at the next start.
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Catalog } from './catalog.js';
import type { ShardInfo } from './catalog-types.js';
import { HOUR_MS, mergedShardRelPath, parseShardRelPath } from './slots.js';
import type { MergeResult } from './shard-merge.js';

export interface CompactionConfig {
  /** how often due hours are looked for; 0: never */
  checkMs: number;
  /** an hour is merged this long after it ended (late lines and sealing settle first) */
  settleMs: number;
  /** hours holding more lines are left as they are */
  maxRows: number;
  /** how long a merge's sources stay on disk after the swap */
  graceMs: number;
  /**
   * an hour whose merge would refuse a pinned search (`asOf`) read within this long waits (see Compactor.run);
   * longer idle, the reader left; 0: merged regardless
   */
  pinIdleMs: number;
}

export const COMPACTION_DEFAULTS: CompactionConfig = Object.freeze({ checkMs: 300_000, settleMs: 600_000, maxRows: 4_000_000, graceMs: 300_000, pinIdleMs: 900_000 });

export interface MergeJob {
  hourStart: number;
  rel: string;
  path: string;
  seq: number;
  sources: { rel: string; path: string }[];
  /** the sources' bytes, as the catalog lists them */
  bytes: number;
  replaces: string[];
}

/** What the merge process (compact.child.ts) is sent, once. */
export interface MergeWork {
  jobs: MergeJob[];
  fsync: boolean;
}

/** What it answers for each job, in order. */
export interface MergeMessage {
  rel: string;
  result?: MergeResult;
  error?: string;
  ms: number;
}

/** One hour's merge: what it made, or why it failed (the hour's shards are then kept as they are). */
export interface CompactionOutcome {
  rel: string;
  hourStart: number;
  sources: number;
  rows?: number;
  error?: string;
}

/** A merge the catalog swapped in, for the server's log (one info line an hour merged): sizes and counts, never line contents. */
export interface MergeReport {
  /** the merged hour's start (ms, UTC) */
  hourStart: number;
  /** the merged shard, relative to the shards directory */
  rel: string;
  /** the shards it replaced */
  sources: number;
  rows: number;
  /** the sources' bytes, and the merged shard's */
  bytesBefore: number;
  bytesAfter: number;
  /** how long the merge took in its merge process */
  ms: number;
  /** all of it in one sentence */
  message: string;
}

/**
 * What this process's merges did since it started (the counts start at 0 at each start; `/api/stats`
 * `store.compaction`): hours merged, the shards they replaced and their lines, and merges that failed.
 */
export interface CompactionStats {
  /** hours merged into one shard */
  merges: number;
  /** the shards those merges replaced */
  shardsMerged: number;
  /** the lines of the shards they made */
  rowsMerged: number;
  /** hours whose merge failed, each also one of the store's problems (a merge process that failed whole counts once) */
  failures: number;
  /** due hours left unmerged by a round because a pinned search being read needed them as they are (one per hour and round) */
  deferred: number;
  /** due hours the last round left for a search being read: merged by a later round once none needs them */
  waiting: number;
  /** when the last merge was swapped in (ms), null when none was since start */
  lastMergeAt: number | null;
  /** whether a round of merges is running now */
  running: boolean;
}

/** an hour of at most this many shards, each spanning it whole, is left as it is (planMerges) */
export const WHOLE_HOUR_SHARDS_KEPT = 4;

/** The hours due for a merge, newest first (a shard whose slot runs past its hour's end keeps that hour unmerged). */
export function planMerges(shards: readonly ShardInfo[], now: number, config: CompactionConfig, isDamaged: (rel: string) => boolean, shardsDir: string): MergeJob[] {
  const hours = new Map<number, ShardInfo[]>();
  // hours with a slot across their end (a slot length that does not divide the hour) stay as they are
  const straddled = new Set<number>();
  for (const s of shards) {
    const hourStart = Math.floor(s.slotStart / HOUR_MS) * HOUR_MS;
    if (s.slotEnd > hourStart + HOUR_MS) straddled.add(hourStart);
    let list = hours.get(hourStart);
    if (list === undefined) hours.set(hourStart, (list = []));
    list.push(s);
  }
  const jobs: MergeJob[] = [];
  for (const [hourStart, list] of hours) {
    if (hourStart + HOUR_MS + config.settleMs > now || list.length < 2 || straddled.has(hourStart)) continue;
    if (list.some((s) => !s.sealed || isDamaged(s.rel))) continue;
    if (list.reduce((n, s) => n + s.rows, 0) > config.maxRows) continue;
    // a few shards of the whole hour each (lanes' hour shards, a merged one and a late lane's) are what a
    // merge would make: merging them again would re-index every line to save opening a file or three
    if (list.length <= WHOLE_HOUR_SHARDS_KEPT && list.every((s) => s.slotStart === hourStart && s.slotEnd === hourStart + HOUR_MS)) continue;
    const seq = 1 + Math.max(-1, ...list.map((s) => (parseShardRelPath(s.rel)?.merged === true ? s.seq : -1)));
    const rel = mergedShardRelPath(hourStart, seq);
    // time order, then lane and sequence: the merged rows keep this order among equal times
    const ordered = [...list].sort((a, b) => a.slotStart - b.slotStart || a.lane - b.lane || a.seq - b.seq);
    const replaces = new Set<string>();
    for (const s of ordered) {
      replaces.add(s.rel);
      for (const r of s.replaces ?? []) replaces.add(r);
    }
    const bytes = list.reduce((n, s) => n + s.bytes, 0);
    jobs.push({ hourStart, rel, path: join(shardsDir, rel), seq, sources: ordered.map((s) => ({ rel: s.rel, path: s.path })), bytes, replaces: [...replaces] });
  }
  return jobs.sort((a, b) => b.hourStart - a.hourStart);
}

const CHILD = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './compact.child.dev.mjs' : './compact.child.js', import.meta.url));
/** the last of the merge process's error output kept for the problem its failure reports */
const STDERR_KEEP = 2000;

/**
 * Runs merges in a child process, one round at a time, and applies each to the catalog as it comes.
 * `onMerge` hears of each merge applied (the server logs it); one that fails is a catalog problem.
 */
export class Compactor {
  private round: { child: ChildProcess; done: Promise<CompactionOutcome[]>; stopping: boolean } | null = null;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly doomed = new Set<string>();
  /** since start: see CompactionStats */
  private readonly totals = { merges: 0, shardsMerged: 0, rowsMerged: 0, failures: 0, deferred: 0, waiting: 0, lastMergeAt: null as number | null };

  constructor(
    private readonly catalog: Catalog,
    private readonly config: CompactionConfig,
    private readonly fsync: boolean,
    private readonly onMerge: ((report: MergeReport) => void) | null = null,
  ) {}

  /**
   * Merges the hours due now; a call while a round runs gets that round. Never rejects: failures are outcomes.
   * An hour whose merge would refuse the pin of a search being read (a commit into its shards after the
   * pin, the pin read within `pinIdleMs`) waits for a later round: decided here, on the main thread,
   * where searches note their pins (StoredBy.pinHeld), before the merge process starts. A pin first read (or
   * read again after `pinIdleMs` idle) while the round runs is refused once the merge is swapped in, as
   * before; a new pin is in practice never such a pin: a due hour's shards are sealed, their commits before it.
   */
  run(now = Date.now()): Promise<CompactionOutcome[]> {
    if (this.round !== null) return this.round.done;
    const due = planMerges(this.catalog.all(), now, this.config, (rel) => this.catalog.isDamaged(rel), this.catalog.shardsDir);
    const jobs = due.filter((j) => this.catalog.pinHeld(j.sources.map((s) => s.rel), now, this.config.pinIdleMs) === null);
    this.totals.waiting = due.length - jobs.length;
    this.totals.deferred += this.totals.waiting;
    if (jobs.length === 0) return Promise.resolve([]);
    const outcomes: CompactionOutcome[] = [];
    // no flags of this process (an `-e` script's --input-type, --inspect's port); stderr kept for the problem
    const child = fork(CHILD, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderr = (stderr + d).slice(-STDERR_KEEP)));
    const round = { child, done: Promise.resolve<CompactionOutcome[]>([]), stopping: false };
    round.done = new Promise<CompactionOutcome[]>((resolve) => {
      let ended = false;
      let failed = false;
      const fail = (why: string): void => {
        if (failed || ended || round.stopping) return;
        failed = true;
        // the hours not yet answered keep their shards as they are; the next round tries them again
        const message = `store: the shard merge process failed (${why}); the hours it had not merged yet are searched as they are, and tried again in the next round`;
        this.catalog.problem(message);
        this.totals.failures++;
        outcomes.push({ rel: '', hourStart: 0, sources: 0, error: message });
      };
      const end = (): void => {
        if (ended) return;
        ended = true;
        this.round = null;
        resolve(outcomes);
      };
      child.on('message', (m: MergeMessage) => {
        const job = jobs.find((j) => j.rel === m.rel)!;
        outcomes.push(m.result === undefined ? this.failed(job, m.error ?? 'unknown') : this.apply(job, m.result, m.ms));
      });
      // it could not be started (no 'exit' follows), or not be sent its work (it would wait for ever: stopped, and its 'exit' ends the round)
      child.on('error', (e) => {
        fail(e.message);
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) end();
        else child.kill();
      });
      child.on('exit', (code, signal) => {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        if (code !== 0 || outcomes.length < jobs.length) fail(`${signal !== null ? `killed by ${signal}` : `exit code ${code}`}${last === '' ? '' : `: ${last}`}`);
        end();
      });
    });
    child.send({ jobs, fsync: this.fsync } satisfies MergeWork);
    this.round = round;
    return round.done;
  }

  /** Whether a round of merges is running. */
  get running(): boolean {
    return this.round !== null;
  }

  /** What the merges of this process did since it started. */
  stats(): CompactionStats {
    return { ...this.totals, running: this.running };
  }

  /** Swaps the sources for the merged shard, unless one of them went meanwhile (retention): then the merge is dropped. */
  private apply(job: MergeJob, r: MergeResult, ms: number): CompactionOutcome {
    const listed = new Map(this.catalog.all().map((s) => [s.rel, s]));
    const gone = job.sources.filter((s) => listed.get(s.rel)?.sealed !== true);
    if (gone.length > 0) {
      removeFile(job.path);
      return this.failed(job, `${gone.length} of its shards went while it ran (retention); merged again later`);
    }
    const info: ShardInfo = {
      rel: job.rel,
      path: job.path,
      slotStart: job.hourStart,
      slotEnd: job.hourStart + HOUR_MS,
      lane: 0,
      seq: job.seq,
      rows: r.rows,
      tmin: r.tmin,
      tmax: r.tmax,
      bytes: r.bytes,
      sealed: true,
      replaces: job.replaces,
    };
    try {
      this.catalog.replace(info, job.sources.map((s) => s.rel));
    } catch (e) {
      // not swapped: the merged file goes, the sources stay listed and searched
      removeFile(job.path);
      return this.failed(job, `the catalog could not record it (${(e as Error).message})`);
    }
    const paths = job.sources.map((s) => s.path);
    for (const p of paths) this.doomed.add(p);
    const t = setTimeout(() => {
      this.pending.delete(t);
      this.deleteSources(paths);
    }, this.config.graceMs);
    t.unref();
    this.pending.add(t);
    this.totals.merges++;
    this.totals.shardsMerged += job.sources.length;
    this.totals.rowsMerged += r.rows;
    this.totals.lastMergeAt = Date.now();
    this.report(job, r, ms);
    return { rel: job.rel, hourStart: job.hourStart, sources: job.sources.length, rows: r.rows };
  }

  private report(job: MergeJob, r: MergeResult, ms: number): void {
    if (this.onMerge === null) return;
    const took = Math.round(ms);
    const hour = new Date(job.hourStart).toISOString();
    const message = `store: merged the ${job.sources.length} shards of the hour from ${hour} into ${job.rel}: ${r.rows} lines, ${job.bytes} bytes before, ${r.bytes} after, in ${took} ms`;
    try {
      this.onMerge({ hourStart: job.hourStart, rel: job.rel, sources: job.sources.length, rows: r.rows, bytesBefore: job.bytes, bytesAfter: r.bytes, ms: took, message });
    } catch (e) {
      this.catalog.problem(`store: the merge report could not be delivered (${(e as Error).message}): ${message}`);
    }
  }

  private failed(job: MergeJob, why: string): CompactionOutcome {
    const message = `store: the shards of ${new Date(job.hourStart).toISOString().slice(0, 13)}:00 UTC were not merged (${why}); they are searched as they are`;
    this.catalog.problem(message);
    this.totals.failures++;
    return { rel: job.rel, hourStart: job.hourStart, sources: job.sources.length, error: message };
  }

  private deleteSources(paths: string[]): void {
    for (const p of paths) {
      this.doomed.delete(p);
      try {
        unlinkSync(p);
      } catch (e) {
        // the next start deletes what is left (merges.ts)
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.catalog.problem(`store: merged shard source ${p} could not be deleted (${(e as Error).message}); the next start tries again`);
      }
    }
  }

  /** Stops a running merge (its temporary file is removed by the next start, or the next merge of its hour) and deletes the sources still waiting. */
  async close(): Promise<void> {
    const round = this.round;
    if (round !== null) {
      round.stopping = true;
      round.child.kill();
      await round.done;
    }
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    this.deleteSources([...this.doomed]);
  }
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or the next start finds a merged shard whose sources are listed: it lists it and deletes them
  }
}

/** What a round merged, for `nml ingest`: one line, and one per hour that failed ('' when nothing was due). */
export function compactionText(outcomes: readonly CompactionOutcome[], secs: number): string {
  const done = outcomes.filter((o) => o.error === undefined);
  const rows = done.reduce((n, o) => n + (o.rows ?? 0), 0);
  const sources = done.reduce((n, o) => n + o.sources, 0);
  let out = done.length === 0 ? '' : `merged the ${sources} shards of ${done.length} closed ${done.length === 1 ? 'hour' : 'hours'} into ${done.length} (${rows} lines) in ${secs.toFixed(1)} s\n`;
  for (const o of outcomes) if (o.error !== undefined) out += `nml: warning: ${o.error}\n`;
  return out;
}

/**
 * Scheduled backups of `nml serve` (`backup.dir`, `backup.every`, `backup.keep`): every `everyMs` a backup
 * of the data directory is taken and verified in a child process (take.child.ts says why), written under a
 * partial name and renamed to `nml-backup-<time>` once it verified (folders.ts); then the oldest past
 * `keep` are removed, so a good backup is removed only after a newer one verified. One run at a time: a
 * call while one runs gets that run. A failed run removes its partial folder, keeps every good backup and
 * is told to the listeners (the server logs it, counts it, and tells the webhooks); the next run is at its
 * time as usual. `close` stops a run (the child killed, its partial folder removed). See docs/architecture.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeCause } from '../core/index.js';
import type { BackupAnswer, BackupWork } from './child-protocol.js';
import { backupName, finish, keptBackups, namesIn, partialName, prune, removePartials, type KeptBackup } from './folders.js';

export interface ScheduleOptions {
  dataDir: string;
  /** `backup.dir` */
  dir: string;
  everyMs: number;
  keep: number;
  includeSecrets: boolean;
  /** written in each manifest */
  nmlVersion: string;
  /** the first run when the folder holds no backup of this data directory yet (default: min(everyMs, 1 min)) */
  firstDelayMs?: number;
}

/** One run's outcome: a verified backup (`folder`) or why not (`code`, `error`). */
export interface BackupRun {
  ok: boolean;
  /** ms since 1970 */
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  /** the finished backup's path; null when the run failed */
  folder: string | null;
  files: number;
  bytes: number;
  code: string | null;
  error: string | null;
  /** the older backups removed after this one verified (their paths) */
  pruned: string[];
}

/** What `GET /api/stats` says of the schedule (times in ms since 1970). */
export interface BackupStatus {
  dir: string;
  everyMs: number;
  keep: number;
  running: boolean;
  /** when the next run starts; null once stopped */
  nextAt: number | null;
  /** the newest verified backup of this data directory in `dir` (found at start, then each run's) */
  lastSuccess: { at: number; folder: string; files: number; bytes: number; durationMs: number } | null;
  lastRun: BackupRun | null;
  /** runs since start */
  successes: number;
  failures: number;
  /** runs that failed since the last one that verified (0 while the last run verified or none ran): the failing streak */
  failedInARow: number;
  /** verified backups of this data directory in `dir` now */
  kept: number;
}

export type BackupListener = (run: BackupRun) => void;

const CHILD = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './take.child.dev.mjs' : './take.child.js', import.meta.url));
const STDERR_KEEP = 2000;
/** how much lower than the server's the backup process's CPU priority is (nice steps) */
const BACKUP_NICE = 10;
/** Node's longest timer; a longer wait is taken in steps */
const MAX_TIMER_MS = 2_147_483_647;

interface Running {
  child: ChildProcess | null;
  partial: string;
  stopping: boolean;
  done: Promise<BackupRun | null>;
}

export class BackupSchedule {
  private readonly dataDir: string;
  private readonly dir: string;
  private readonly listeners = new Set<BackupListener>();
  private current: Running | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextAt: number | null = null;
  private closed = false;
  private lastRun: BackupRun | null = null;
  private lastSuccess: BackupStatus['lastSuccess'] = null;
  private kept = 0;
  private readonly totals = { successes: 0, failures: 0, failedInARow: 0 };

  constructor(private readonly o: ScheduleOptions) {
    this.dataDir = resolve(o.dataDir);
    this.dir = resolve(o.dir);
  }

  /** Reads the folder's backups of this data directory (the last good one's time) and sets the first run. */
  start(): void {
    const kept = this.readKept();
    const last = kept.at(-1);
    if (last !== undefined) this.lastSuccess = success(last);
    const first = last === undefined ? Date.now() + (this.o.firstDelayMs ?? Math.min(this.o.everyMs, 60_000)) : Math.max(Date.now(), last.startedAt + this.o.everyMs);
    this.arm(first);
  }

  /** Hears each finished run (ok or failed; not one cut by `close`). Returns the unsubscribe. The audit trail and the alerts hang here. */
  subscribe(listener: BackupListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): BackupStatus {
    return { dir: this.dir, everyMs: this.o.everyMs, keep: this.o.keep, running: this.current !== null, nextAt: this.nextAt, lastSuccess: this.lastSuccess, lastRun: this.lastRun, ...this.totals, kept: this.kept };
  }

  /** Takes a backup now; a call while one runs gets that run. Null when `close` cut it. Never rejects. */
  run(): Promise<BackupRun | null> {
    if (this.current !== null) return this.current.done;
    if (this.closed) return Promise.resolve(null);
    const startedAt = Date.now();
    const name = backupName(startedAt, safeNames(this.dir));
    const running: Running = { child: null, partial: partialName(name), stopping: false, done: Promise.resolve(null) };
    this.current = running;
    running.done = this.take(running, name, startedAt).then((run) => {
      this.current = null;
      if (run !== null) this.record(run);
      if (!this.closed) this.arm(Math.max(Date.now(), startedAt + this.o.everyMs));
      return run;
    });
    return running.done;
  }

  /** Stops the schedule; a run under way is killed and its partial folder removed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
    const running = this.current;
    if (running === null) return;
    running.stopping = true;
    running.child?.kill();
    await running.done;
  }

  private arm(at: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.nextAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      // a wait longer than a timer's is taken in steps
      if (Date.now() < at) return this.arm(at);
      void this.run();
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
    this.timer.unref();
  }

  private readKept(): KeptBackup[] {
    try {
      const kept = keptBackups(this.dir, this.dataDir);
      this.kept = kept.length;
      return kept;
    } catch {
      // an unreadable folder fails the run, which says why
      return [];
    }
  }

  private record(run: BackupRun): void {
    this.lastRun = run;
    if (run.ok) {
      this.totals.successes++;
      this.totals.failedInARow = 0;
      this.lastSuccess = { at: run.finishedAt, folder: run.folder!, files: run.files, bytes: run.bytes, durationMs: run.durationMs };
    } else {
      this.totals.failures++;
      this.totals.failedInARow++;
    }
    this.readKept();
    for (const l of this.listeners) {
      try {
        l(run);
      } catch {
        // a listener's failure is its own; the schedule goes on
      }
    }
  }

  /** One run: the folder made, old partial folders removed, the child's backup verified and renamed, the oldest pruned. */
  private async take(running: Running, name: string, startedAt: number): Promise<BackupRun | null> {
    const failed = (code: string, error: string): BackupRun => {
      const finishedAt = Date.now();
      return { ok: false, startedAt, finishedAt, durationMs: finishedAt - startedAt, folder: null, files: 0, bytes: 0, code, error, pruned: [] };
    };
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      removePartials(this.dir, running.partial);
    } catch (e) {
      return failed('BACKUP_DIR_UNWRITABLE', `backup: cannot use backup.dir ${this.dir}: ${describeCause(e)}; make it a folder this user may write (the backups in it are kept)`);
    }
    const out = join(this.dir, running.partial);
    const answer = await this.inChild(running, { dataDir: this.dataDir, out, includeSecrets: this.o.includeSecrets, nmlVersion: this.o.nmlVersion });
    const drop = (): void => rmSync(out, { recursive: true, force: true });
    if (running.stopping) {
      drop();
      return null;
    }
    if ('failure' in answer) {
      drop();
      return failed('BACKUP_PROCESS_FAILED', `backup: the backup process failed (${answer.failure}); the backups taken before are kept`);
    }
    if (!answer.ok) {
      drop();
      return failed(answer.code, `${answer.message.replace(/ \(the backup in .* is unfinished: remove it\)$/, '')}; the unfinished folder is removed, the backups taken before are kept`);
    }
    if (answer.problems.length > 0) {
      drop();
      const shown = answer.problems.slice(0, 3).join('; ') + (answer.problems.length > 3 ? `; and ${answer.problems.length - 3} more` : '');
      return failed('BACKUP_VERIFY_FAILED', `backup: the backup just taken does not verify (${shown}); it is removed, the backups taken before are kept; check the disk of backup.dir`);
    }
    let folder: string;
    try {
      chmodSync(out, 0o700);
      folder = finish(this.dir, running.partial, name);
    } catch (e) {
      drop();
      return failed('BACKUP_DIR_UNWRITABLE', `backup: cannot name the verified backup ${name} in ${this.dir}: ${describeCause(e)}; it is removed, the backups taken before are kept`);
    }
    let pruned: string[] = [];
    let pruneError: string | null = null;
    try {
      pruned = prune(this.dir, this.dataDir, this.o.keep).map((b) => b.path);
    } catch (e) {
      pruneError = `backup: taken and verified in ${folder}, but the older ones could not all be removed: ${describeCause(e)}`;
    }
    const finishedAt = Date.now();
    return { ok: true, startedAt, finishedAt, durationMs: finishedAt - startedAt, folder, files: answer.files, bytes: answer.bytes, code: null, error: pruneError, pruned };
  }

  /** The child's answer, or why it gave none. */
  private inChild(running: Running, work: BackupWork): Promise<BackupAnswer | { failure: string }> {
    return new Promise((resolveAnswer) => {
      let answer: BackupAnswer | null = null;
      let stderr = '';
      let settled = false;
      const settle = (v: BackupAnswer | { failure: string }): void => {
        if (settled) return;
        settled = true;
        resolveAnswer(v);
      };
      let child: ChildProcess;
      try {
        // no flags of this process (an `-e` script's --input-type, --inspect's port); stderr kept for the failure
        child = fork(CHILD, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      } catch (e) {
        return settle({ failure: describeCause(e) });
      }
      running.child = child;
      lowerPriority(child);
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (d: string) => (stderr = (stderr + d).slice(-STDERR_KEEP)));
      child.on('message', (m: BackupAnswer) => (answer = m));
      child.on('error', (e) => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) settle({ failure: e.message });
        else child.kill();
      });
      child.on('exit', (code, signal) => {
        if (answer !== null) return settle(answer);
        const last = stderr.trim().split('\n').at(-1) ?? '';
        settle({ failure: `${signal !== null ? `killed by ${signal}` : `exit code ${code}`}${last === '' ? '' : `: ${last}`}` });
      });
      child.send(work);
    });
  }
}

/**
 * The backup process yields the CPU to the server (nice 10): on a busy machine ingest keeps its pace
 * and the backup takes longer. Where the system refuses (no permission), it runs at the server's priority.
 */
function lowerPriority(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    setPriority(child.pid, Math.min(19, getPriority(process.pid) + BACKUP_NICE));
  } catch {
    // the same priority as the server: slower ingest during a backup, nothing worse
  }
}

function success(b: KeptBackup): NonNullable<BackupStatus['lastSuccess']> {
  return { at: b.finishedAt, folder: b.path, files: b.files, bytes: b.bytes, durationMs: b.finishedAt - b.startedAt };
}

/** The names in the folder, none when it cannot be read (the run then says why). */
function safeNames(dir: string): Set<string> {
  try {
    return namesIn(dir);
  } catch {
    return new Set();
  }
}

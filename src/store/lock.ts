/**
 * One writing process per data directory: a lock file holding the owner's pid, taken over only from a
 * dead owner. Every step is atomic, so two processes started at once cannot both hold it:
 * - the lock file appears with its pid already in it (written to a file of our own, then hard-linked
 *   into place: a reader never sees it empty);
 * - a dead owner's lock is taken over by one process only, the one that creates the takeover directory
 *   (mkdir either creates or fails); the other finds the new owner alive;
 * - release removes the file only while it still names this process.
 * The file holds `<pid> <start>`, the start time of the process from /proc/<pid>/stat (absent where there
 * is no /proc): after a reboot the dead owner's pid may belong to another program, which a pid alone
 * cannot tell from the owner, and the directory stayed locked until the file was removed by hand.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, isAppError } from '../core/index.js';

/** a takeover directory older than this was left by a process that died while taking over */
const STALE_TAKEOVER_MS = 10_000;
const ATTEMPTS = 5;

export class DataDirLock {
  private readonly path: string;
  private held = false;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'nml.lock');
  }

  acquire(): void {
    try {
      this.take();
    } catch (e) {
      throw isAppError(e) ? e : unwritable(this.path, e);
    }
  }

  private take(): void {
    const mine = `${this.path}.${process.pid}.tmp`;
    const start = startTimeOf(process.pid);
    writeFileSync(mine, start === null ? String(process.pid) : `${process.pid} ${start}`);
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (this.tryLink(mine) || this.tryTakeOver(mine)) {
          this.held = true;
          return;
        }
        sleep(20 + 30 * attempt);
      }
    } finally {
      rmSync(mine, { force: true });
    }
    throw locked(this.path, this.owner()?.pid ?? null);
  }

  release(): void {
    if (this.held && this.owner()?.pid === process.pid) rmSync(this.path, { force: true });
    this.held = false;
  }

  private owner(): Owner | null {
    try {
      const [pidText, startText] = readFileSync(this.path, 'utf8').trim().split(/\s+/);
      const pid = Number(pidText);
      const start = startText === undefined ? null : Number(startText);
      return Number.isInteger(pid) && pid > 0 ? { pid, start: Number.isFinite(start) ? start : null } : null;
    } catch {
      return null;
    }
  }

  private tryLink(mine: string): boolean {
    try {
      linkSync(mine, this.path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  /** True when the lock was free to take (its owner dead, or this process) and this process took it. */
  private tryTakeOver(mine: string): boolean {
    const owner = this.owner();
    if (owner !== null && owner.pid !== process.pid && alive(owner)) throw locked(this.path, owner.pid);
    const gate = `${this.path}.takeover`;
    try {
      mkdirSync(gate);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() - (statSync(gate, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_TAKEOVER_MS) rmSync(gate, { recursive: true, force: true });
      return false; // another process is taking over: look again
    }
    try {
      // under the gate: is the owner still the dead one we saw (or gone)?
      const now = this.owner();
      if (now !== null && !same(now, owner) && now.pid !== process.pid && alive(now)) return false;
      renameSync(mine, this.path);
      return true;
    } finally {
      rmSync(gate, { recursive: true, force: true });
    }
  }
}

/** The lock file cannot be written (EROFS, EACCES): the directory cannot hold a store either; a full disk (ENOSPC) is told as one. */
function unwritable(path: string, cause: unknown): AppError {
  const dataDir = join(path, '..');
  const code = (cause as { code?: unknown }).code;
  const message = String((cause as Error).message ?? cause);
  // Node's own message already starts with the code ("EROFS: read-only file system, open …"): not twice
  const why = typeof code === 'string' && !message.startsWith(`${code}:`) ? `${code}: ${message}` : message;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    // not a mount or permission problem: nml cannot start until there is room for a few bytes
    const what = code === 'EDQUOT' ? "nml's user is over its disk quota there" : 'its disk is full';
    return new AppError('STORE_DISK_FULL', 'unavailable', `store: cannot write the lock file ${path} in data directory ${dataDir} (${why}): ${what}; free space on that disk (or lower store.retention.maxBytes once it starts), then start nml again`, { dataDir, path, cause: code }, cause);
  }
  return new AppError('STORE_DATA_DIR', 'unavailable', `store: cannot write the lock file ${path} in data directory ${dataDir} (${why}); check that its disk is not mounted read-only and that nml's user may write the directory`, { dataDir }, cause);
}

function locked(path: string, owner: number | null): AppError {
  const who = owner === null ? 'another process' : `process ${owner}`;
  // the holder may be `nml serve` or another `nml ingest` (which has no ports to send to: CLI review)
  return new AppError('STORE_LOCKED', 'conflict', `store: data directory ${join(path, '..')} is in use by ${who} (nml serve, or another nml ingest); wait for an ingest to finish and run this again, or, while nml serve runs, send lines to its HTTP or syslog ports instead (reads: search, count, stats and findings work beside it)`, owner === null ? {} : { pid: owner });
}

interface Owner {
  pid: number;
  /** the owner's start time (clock ticks since boot, /proc/<pid>/stat field 22); null: not recorded */
  start: number | null;
}

const same = (a: Owner | null, b: Owner | null): boolean => a?.pid === b?.pid && a?.start === b?.start;

/**
 * Running, and the same process as the one that wrote the lock (its start time matches, where both are
 * known). A zombie is not running: a writer killed with `kill -9` whose parent has not yet reaped it
 * answers kill(pid, 0), and a restart half a second later was refused as "in use" (found by review).
 */
function alive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(owner.pid);
  if (stat?.state === 'Z' || stat?.state === 'X') return false;
  if (owner.start === null) return true;
  return stat?.start == null || stat.start === owner.start;
}

/**
 * A process's state (R, S, Z…) and start time from /proc/<pid>/stat, or null where there is no /proc (or
 * the process is gone).
 */
function procStat(pid: number): { state: string; start: number | null } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return { state: fields[0] ?? '', start: Number.isFinite(start) ? start : null };
  } catch {
    return null;
  }
}

function startTimeOf(pid: number): number | null {
  return procStat(pid)?.start ?? null;
}

/** Whether a process of this id runs (a zombie does not): `alive` without a start time to compare. */
export function pidAlive(pid: number): boolean {
  return alive({ pid, start: null });
}

/**
 * When the process `pid` started (ms since 1970), from /proc (its start in clock ticks of 1/100 s, the
 * USER_HZ of every Linux Node runs on, after the boot time, whole seconds cut down); null without /proc.
 * Early rather than late: the boot time is rounded down.
 */
export function pidStartedMs(pid: number): number | null {
  const start = startTimeOf(pid);
  if (start === null) return null;
  try {
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return boot === null ? null : Number(boot[1]) * 1000 + start * 10;
  } catch {
    return null;
  }
}

/** A short synchronous wait: acquire runs once at startup, before anything else is served. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * One writing process per data directory: a lock file holding the owner's pid, taken over only from a
 * dead owner. Every step is atomic, so two processes started at once cannot both hold it:
 * - the lock file appears with its pid already in it (written to a file of our own, then hard-linked
 *   into place: a reader never sees it empty);
 * - a dead owner's lock is taken over by one process only, the one that creates the takeover directory
 *   (mkdir either creates or fails); the other finds the new owner alive;
 * - release removes the file only while it still names this process.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/index.js';

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
    const mine = `${this.path}.${process.pid}.tmp`;
    writeFileSync(mine, String(process.pid));
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
    throw locked(this.path, this.owner());
  }

  release(): void {
    if (this.held && this.owner() === process.pid) rmSync(this.path, { force: true });
    this.held = false;
  }

  private owner(): number | null {
    try {
      const pid = Number(readFileSync(this.path, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : null;
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
    if (owner !== null && owner !== process.pid && alive(owner)) throw locked(this.path, owner);
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
      if (now !== owner && now !== null && now !== process.pid && alive(now)) return false;
      renameSync(mine, this.path);
      return true;
    } finally {
      rmSync(gate, { recursive: true, force: true });
    }
  }
}

function locked(path: string, owner: number | null): AppError {
  const who = owner === null ? 'another process' : `process ${owner}`;
  return new AppError('STORE_LOCKED', 'conflict', `store: data directory ${join(path, '..')} is in use by ${who}; stop it or send lines to its HTTP or syslog ports instead`, owner === null ? {} : { pid: owner });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A short synchronous wait: acquire runs once at startup, before anything else is served. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

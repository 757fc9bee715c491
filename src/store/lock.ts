/** One writing process per data directory: a lock file holding the owner's pid, taken over only from a dead owner. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/index.js';

export class DataDirLock {
  private readonly path: string;
  private held = false;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'nml.lock');
  }

  acquire(): void {
    try {
      writeFileSync(this.path, String(process.pid), { flag: 'wx' });
      this.held = true;
      return;
    } catch {
      // exists: look at its owner
    }
    const owner = Number(readFileSync(this.path, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new AppError(
        'STORE_LOCKED',
        'conflict',
        `store: data directory ${join(this.path, '..')} is in use by process ${owner}; stop it or send lines to its HTTP or syslog ports instead`,
        { pid: owner },
      );
    }
    writeFileSync(this.path, String(process.pid));
    this.held = true;
  }

  release(): void {
    if (this.held) rmSync(this.path, { force: true });
    this.held = false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A small tmpfs for the store's tests of a full or read-only disk: only where this process may mount
 * one (Linux, root, a container that allows it); null elsewhere, and those tests are skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  /** writes a file until the disk is full */
  fill(): void;
  /** removes what fill wrote */
  free(): void;
  readOnly(): void;
  close(): void;
}

export function mountTmpfs(sizeKiB: number): Tmpfs | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'nml-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill: () => {
      try {
        writeFileSync(filler, Buffer.alloc(sizeKiB * 2048));
      } catch {
        // ENOSPC: full, as wanted (the part written stays)
      }
    },
    free: () => rmSync(filler, { force: true }),
    readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' }),
    close: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a tmpfs can be mounted here (for `skip`). */
export const canMountTmpfs = (): boolean => {
  const t = mountTmpfs(64);
  t?.close();
  return t !== null;
};

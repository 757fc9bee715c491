/** Small timing helpers: median of repeated runs, and dropping the OS page cache where allowed. */
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Drops the page cache (needs root and a writable /proc/sys); returns whether it worked. */
export function dropCaches(): boolean {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

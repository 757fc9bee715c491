/** Small timing helpers: median of repeated runs, and dropping the OS page cache where allowed. */
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** The middle value (of an even count, the upper of the two middle ones). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}

export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
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

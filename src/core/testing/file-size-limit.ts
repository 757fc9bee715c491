/**
 * For tests of a write that fails half way: runs the ES module `source` in a child Node under
 * `ulimit -f blocks` (512-byte blocks; Node ignores SIGXFSZ, so a write past the limit fails with EFBIG)
 * with `args` as process.argv[2…], and returns what it printed on stdout, parsed as JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function underFileSizeLimit(blocks: number, source: string, args: readonly string[]): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'nml-size-limit-'));
  try {
    const script = join(dir, 'child.mjs');
    writeFileSync(script, source);
    const r = spawnSync('sh', ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, script, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the child failed (${r.status ?? r.signal}): ${r.stderr}`);
    return JSON.parse(r.stdout) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A module's URL for a child's `import`, given the importing test's `import.meta.url` and the module's path from it. */
export const moduleHref = (from: string, path: string): string => new URL(path, from).href;

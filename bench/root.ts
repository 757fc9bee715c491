/** The repository root, whether a bench runs from source (bench/) or compiled (dist/bench/). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(from: string): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`bench: no package.json above ${fileURLToPath(from)}; run the bench inside the repository`);
    dir = up;
  }
  return dir;
}

/** What a bench measured: the compiled code the product runs, or the source under tsx (slower: see scripts/bench.mjs). */
export function codeKind(from: string): string {
  return from.endsWith('.ts') ? 'TypeScript source under tsx' : 'compiled (dist/), as `nml` runs';
}

/** For tests and benchmarks: the repository root (the nearest folder with a package.json, from src/ or dist/) and this area's fixtures. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`investigate: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const investigateFixtures = (): string => join(repoRoot(), 'test', 'fixtures', 'investigate');
export const sharedDatasets = (): string => join(repoRoot(), '..', 'shared', 'datasets');

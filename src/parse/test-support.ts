/** For tests and the benchmark, not the parser: the repo root, the shared datasets beside it, line files. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this file with a package.json (works from src/ under tsx and from dist/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`parse: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export function sharedDir(): string {
  return join(repoRoot(), '..', 'shared');
}

export function datasetsDir(): string {
  return join(sharedDir(), 'datasets');
}

export function fixturesDir(): string {
  return join(repoRoot(), 'test', 'fixtures', 'parse');
}

/** The lines of a text file, without the empty string after a final newline. */
export function readLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

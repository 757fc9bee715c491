/** Test helpers: the fixture data set and a model trained on it once per process (in a temp dir). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainUrlModel } from './train.js';

/** The nearest folder above this file with a package.json (from src/ under tsx and from dist/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const FIXTURE_DATA_DIR = resolve(repoRoot(), 'test/fixtures/url/datasets');

let cached: string | null = null;

/** A Bag-of-Bytes model trained on the fixture (seed 7, a few epochs); removed when the process exits. */
export function trainFixtureModel(): string {
  if (cached !== null) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-model-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  trainUrlModel({ dataDir: FIXTURE_DATA_DIR, model: 'bob', epochs: 8, seed: 7, outDir: join(dir, 'bob'), command: 'test', maxRows: 0 });
  cached = join(dir, 'bob');
  return cached;
}

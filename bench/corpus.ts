/** The benchmark corpus: N lines from the project's generator, cached on disk with the needle counts. */
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCorpus } from '../src/collect/index.js';

export interface Corpus {
  path: string;
  lines: number;
  bytes: number;
  needles: { text: string; count: number }[];
  start: number;
}

export async function ensureCorpus(dir: string, lines: number, seed: number, start: number): Promise<Corpus> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `gen-${lines}-${seed}.log`);
  const metaPath = path + '.json';
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Corpus;
    // a cached corpus is reused when it is intact and recent enough for year inference of its BSD timestamps
    if (meta.bytes === statSync(path).size && Math.abs(meta.start - start) < 7 * 86_400_000) return meta;
  }
  const summary = await writeCorpus(path, lines, { seed, start });
  const corpus: Corpus = { path, lines, bytes: summary.bytes, needles: summary.needles.map((n) => ({ text: n.text, count: n.count })), start };
  writeFileSync(metaPath, JSON.stringify(corpus, null, 2));
  return corpus;
}

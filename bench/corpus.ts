/** The benchmark corpus: N lines from the project's generator, cached on disk with the needle counts. */
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGenerator } from '../src/collect/index.js';

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
    if (meta.bytes === statSync(path).size) return meta;
  }
  const gen = createGenerator({ seed, start });
  const out = createWriteStream(path);
  const chunk = 50_000;
  for (let done = 0; done < lines; done += chunk) {
    const batch = gen.fill(Math.min(chunk, lines - done));
    if (!out.write(batch.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const corpus: Corpus = { path, lines, bytes: statSync(path).size, needles: gen.planted().map((n) => ({ text: n.text, count: n.count })), start };
  writeFileSync(metaPath, JSON.stringify(corpus, null, 2));
  return corpus;
}

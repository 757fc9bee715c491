/** The benchmark corpus: N lines from the project's generator, cached on disk with the needle counts. */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
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

/**
 * A second corpus: the shared loghub samples expanded by ../shared/tools/gen_syslog_corpus.py (real
 * message templates of 12 systems, 142 bytes a line). Needles: kernelpanic42 once per 100,000 lines,
 * 203.0.113.77 and mallory once per 1,000,000.
 */
export function ensureLoghubCorpus(dir: string, lines: number, seed: number, shared: string): Corpus {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `loghub-${lines}-${seed}.log`);
  const metaPath = path + '.json';
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Corpus;
    if (meta.bytes === statSync(path).size) return meta;
  }
  const tool = join(shared, 'tools', 'gen_syslog_corpus.py');
  const loghub = join(shared, 'datasets', 'loghub-2k');
  if (!existsSync(tool) || !existsSync(loghub)) throw new Error(`bench: the loghub corpus needs ${tool} and ${loghub}`);
  const src = mkdtempSync(join(tmpdir(), 'nml-loghub-'));
  for (const name of readdirSync(loghub)) {
    const file = join(loghub, name, `${name}_2k.log`);
    if (existsSync(file)) copyFileSync(file, join(src, `${name}.log`));
  }
  execFileSync('python3', [tool, '--src', src, '--lines', String(lines), '--seed', String(seed), '--out', path], { stdio: 'inherit' });
  rmSync(src, { recursive: true, force: true });
  const needles = [
    { text: 'kernelpanic42', count: Math.floor(lines / 100_000) },
    { text: '203.0.113.77', count: Math.floor(lines / 1_000_000) },
    { text: 'mallory', count: Math.floor(lines / 1_000_000) },
  ];
  const corpus: Corpus = { path, lines, bytes: statSync(path).size, needles, start: 0 };
  writeFileSync(metaPath, JSON.stringify(corpus, null, 2));
  return corpus;
}

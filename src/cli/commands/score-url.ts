/** `nml score url [URL...]`: `score<TAB>url` per input in input order (stdin, one URL a line, when none are given); `--json` for details. */
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { UrlDetector, defaultModelDir } from '../../detect/index.js';
import { writeOut } from '../output.js';

const BATCH = 1024;

/** Inputs with nothing to score (empty or blank): they keep their line, scored 0, and stderr says which. */
class Blanks {
  private seen = 0;
  private readonly first: number[] = [];
  private count = 0;
  note(urls: readonly string[]): void {
    for (const u of urls) {
      this.seen++;
      if (u.trim() !== '') continue;
      this.count++;
      if (this.first.length < 5) this.first.push(this.seen);
    }
  }
  report(): void {
    if (this.count === 0) return;
    const where = `${this.count === 1 ? 'input' : 'inputs'} ${this.first.join(', ')}${this.count > this.first.length ? ', …' : ''}`;
    process.stderr.write(`nml: ${this.count} empty ${this.count === 1 ? 'input' : 'inputs'} (${where}) scored 0: there was no URL to score\n`);
  }
}

async function emit(d: UrlDetector, urls: string[], json: boolean, blanks: Blanks): Promise<void> {
  blanks.note(urls);
  if (urls.length === 0) return;
  if (json) {
    const results = await d.score(urls);
    await writeOut(results.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return;
  }
  const s = await d.scoreFast(urls);
  await writeOut(urls.map((u, i) => `${s[i]!.toFixed(6)}\t${u}`).join('\n') + '\n');
}

export function addScoreUrl(score: Command): void {
  score
    .command('url')
    .description('score URLs: one `score<TAB>url` line per input, in order (score in [0, 1], higher is more likely malicious)')
    .argument('[urls...]', 'URLs to score; none reads one URL per line from stdin')
    .option('--model <dir>', 'model directory (default: the shipped models/url/ngram; models/url/bob is the Bag-of-Bytes model)')
    .option('--json', 'one JSON object per input: score and explanation (characters weighted, most suspicious substrings)')
    .action(async (urls: string[], flags: { model?: string; json?: boolean }) => {
      const d = UrlDetector.load(flags.model === undefined ? defaultModelDir() : resolve(flags.model));
      const json = flags.json === true;
      const blanks = new Blanks();
      if (urls.length > 0) {
        for (let i = 0; i < urls.length; i += BATCH) await emit(d, urls.slice(i, i + BATCH), json, blanks);
        await d.close();
        blanks.report();
        return;
      }
      let batch: string[] = [];
      for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
        batch.push(line.endsWith('\r') ? line.slice(0, -1) : line);
        if (batch.length >= BATCH) {
          await emit(d, batch, json, blanks);
          batch = [];
        }
      }
      await emit(d, batch, json, blanks);
      await d.close();
      blanks.report();
    });
}

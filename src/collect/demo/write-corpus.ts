/**
 * Writes a benchmark corpus from the demo generator:
 *   node --import tsx src/collect/demo/write-corpus.ts --lines 1000000 --out /tmp/x.log --seed 1
 * Options: --lines N (default 1,000,000), --out PATH (required), --seed N (default 1),
 * --start ISO-or-ms (default 2025-01-06T08:00:00Z), --lines-per-minute N (default 100,000),
 * --rfc5424 FRACTION (default 0.1). Prints one JSON summary (needle counts included) on stdout.
 */
import { parseArgs } from 'node:util';
import { writeCorpus } from './corpus.js';
import { DEFAULT_START } from './generator.js';

function number(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(value)) throw new Error(`write-corpus: --${name} expects a number, got ${JSON.stringify(text)}`);
  return value;
}

function time(text: string | undefined): number {
  if (text === undefined) return DEFAULT_START;
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) throw new Error(`write-corpus: --start expects ms since epoch or an ISO time, got ${JSON.stringify(text)}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'lines-per-minute': { type: 'string' },
      rfc5424: { type: 'string' },
    },
  });
  if (values.out === undefined) throw new Error('write-corpus: --out PATH is required');
  const lines = number('lines', values.lines, 1_000_000);
  const began = performance.now();
  const summary = await writeCorpus(values.out, lines, {
    seed: number('seed', values.seed, 1),
    start: time(values.start),
    linesPerMinute: number('lines-per-minute', values['lines-per-minute'], 100_000),
    rfc5424Fraction: number('rfc5424', values.rfc5424, 0.1),
  });
  const seconds = (performance.now() - began) / 1000;
  const report = { ...summary, seconds: Number(seconds.toFixed(3)), linesPerSecond: Math.round(lines / seconds) };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write((e instanceof Error ? e.message : String(e)) + '\n');
  process.exitCode = 1;
});

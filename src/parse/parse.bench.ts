/**
 * Lines per second of parseLine over a syslog file, with and without entity extraction.
 *   node --import tsx src/parse/parse.bench.ts [file]
 * Without a file it uses /tmp/c1m.log, generating it first (1M lines, shared/tools/gen_syslog_corpus.py).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RawRecord } from '../core/index.js';
import { parseLine, type ParseOptions } from './index.js';
import { datasetsDir, readLines, sharedDir } from './test-support.js';

const DEFAULT_CORPUS = '/tmp/c1m.log';

function generateCorpus(out: string): void {
  const src = '/tmp/lh';
  mkdirSync(src, { recursive: true });
  const loghub = join(datasetsDir(), 'loghub-2k');
  for (const name of readdirSync(loghub)) {
    const file = join(loghub, name, `${name}_2k.log`);
    if (existsSync(file)) copyFileSync(file, join(src, `${name}.log`));
  }
  const script = join(sharedDir(), 'tools', 'gen_syslog_corpus.py');
  execFileSync('python3', [script, '--src', src, '--lines', '1000000', '--out', out], { stdio: 'inherit' });
}

interface Rate {
  wall: number;
  cpu: number;
}

/** Lines per second by wall clock and by this process's CPU time (steadier on a shared machine). */
function measure(records: RawRecord[], run: (rec: RawRecord) => number): Rate {
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const rec of records) sink += run(rec);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  if (sink === -1) process.stdout.write('');
  return { wall: records.length / wall, cpu: records.length / ((cpu.user + cpu.system) / 1e6) };
}

/** The first pass warms the JIT; the best of the next `rounds` is reported. */
function best(records: RawRecord[], run: (rec: RawRecord) => number, rounds = 3): Rate {
  measure(records, run);
  const out: Rate = { wall: 0, cpu: 0 };
  for (let i = 0; i < rounds; i++) {
    const r = measure(records, run);
    out.wall = Math.max(out.wall, r.wall);
    out.cpu = Math.max(out.cpu, r.cpu);
  }
  return out;
}

function report(label: string, rate: Rate, baseline?: Rate): void {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(11);
  const ns = (1e9 / rate.cpu).toFixed(0).padStart(5);
  const ratio = baseline === undefined ? '' : `  ${(baseline.cpu / rate.cpu).toFixed(1)}x the char loop`;
  process.stdout.write(`${label.padEnd(24)} ${fmt(rate.wall)} lines/s wall ${fmt(rate.cpu)} lines/s cpu ${ns} ns/line${ratio}\n`);
}

const file = process.argv[2] ?? DEFAULT_CORPUS;
if (process.argv[2] === undefined && !existsSync(file)) generateCorpus(file);
const lines = readLines(file);
const receivedAt = Date.now();
const records: RawRecord[] = lines.map((line) => ({ line, receivedAt, source: 'bench' }));
process.stdout.write(`${file}: ${records.length.toLocaleString('en-US')} lines, one thread\n`);
// Reading every character once: the floor for any parser, and a yardstick for the machine.
const charLoop = best(records, (rec) => {
  let sum = 0;
  for (let i = 0; i < rec.line.length; i++) sum += rec.line.charCodeAt(i);
  return sum;
});
report('char loop (baseline)', charLoop);
const noEntities: ParseOptions = { entities: false };
report('parseLine + entities', best(records, (rec) => parseLine(rec).entities.length), charLoop);
report('parseLine, no entities', best(records, (rec) => parseLine(rec, noEntities).entities.length), charLoop);

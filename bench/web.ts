/**
 * Web UI server benchmark (standalone: `node --import tsx bench/web.ts`):
 * - the histogram over a 10M-line store (bench/corpus/data-bulk, left by `npm run bench`; or
 *   NML_BENCH_WEB_DATA), against `count` of the same query and range in the same run (the baseline:
 *   the histogram does count's work plus bucketing), over the whole span (buckets hold whole shards)
 *   and zoomed to 10 minutes (10 s buckets cut every shard);
 * - the live tail's main-thread cost at 50,000 lines/s: CPU ms per second of ingest for the hub's
 *   rounds (offer + match + serialize) with several filters, against parsing every line (the naive tap).
 * Writes bench/results/<date>-web.md and .json.
 */
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describeMachine } from './machine.js';
import { repoRoot } from './root.js';
import { Catalog } from '../src/store/index.js';
import { Searcher } from '../src/search/index.js';
import { TailHub, tailParser } from '../src/serve/index.js';
import type { RawRecord } from '../src/core/index.js';

const ROOT = repoRoot(import.meta.url);
const DATA = process.env.NML_BENCH_WEB_DATA ?? join(ROOT, 'bench', 'corpus', 'data-bulk');
const CORPUS = process.env.NML_BENCH_WEB_CORPUS ?? join(ROOT, 'bench', 'corpus', 'gen-10000000-1.log');
const RATE = 50_000;
const SECONDS = 4;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push((await timed(fn)).ms);
  return ms.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

interface HistoRow {
  query: string;
  span: string;
  buckets: number;
  interval: number;
  total: number;
  histogramMs: number;
  countMs: number;
  ratio: number;
}

async function benchHistogram(): Promise<{ lines: number; shards: number; rows: HistoRow[] } | null> {
  if (!existsSync(join(DATA, 'catalog.db'))) return null;
  const catalog = new Catalog(DATA, 60_000, false);
  const sum = catalog.summary();
  const searcher = new Searcher(catalog, 2);
  const rows: HistoRow[] = [];
  try {
    const whole = { from: sum.oldest!, to: sum.newest! + 1 };
    const mid = Math.floor((sum.oldest! + sum.newest!) / 2);
    const zoom = { from: mid, to: mid + 600_000 };
    await searcher.count('warmup', whole);
    for (const query of ['', 'error', 'kernelpanic42', '"failed password"', 'host:web-01 OR app:sshd', '203.0.113.0/24']) {
      for (const [span, range] of [['whole', whole], ['10 min', zoom]] as const) {
        const warm = await timed(() => searcher.histogram(query, range, 60)); // warms the shard readers
        const h = warm.value;
        // slow queries (phrases verified on every line) once, the rest the median of 3
        const reps = warm.ms > 5000 ? 1 : 3;
        const histogramMs = await median(reps, () => searcher.histogram(query, range, 60));
        const counted = await timed(() => searcher.count(query, range));
        const countMs = reps === 1 ? counted.ms : await median(reps, () => searcher.count(query, range));
        const count = counted.value.count;
        if (count !== h.total) throw new Error(`histogram total ${h.total} != count ${count} for ${query}`);
        rows.push({ query, span, buckets: h.counts.length, interval: h.interval, total: h.total, histogramMs, countMs, ratio: histogramMs / Math.max(countMs, 0.001) });
        process.stderr.write(`histogram ${span} ${JSON.stringify(query)}: ${histogramMs.toFixed(1)} ms, count ${countMs.toFixed(1)} ms\n`);
      }
    }
  } finally {
    await searcher.close();
    catalog.close();
  }
  return { lines: sum.rows, shards: sum.shards, rows };
}

/** The first `n` lines of the corpus, or as many synthetic sshd lines when it is absent; `source` says which. */
async function corpusLines(n: number): Promise<{ lines: string[]; source: string }> {
  if (!existsSync(CORPUS)) {
    const lines = Array.from({ length: n }, (_, i) => `<38>Nov 28 10:00:${String(i % 60).padStart(2, '0')} web-0${i % 9} sshd[${i}]: Failed password for user${i % 97} from 203.0.113.${i % 250} port ${1024 + i} ssh2`);
    return { lines, source: `synthetic sshd lines (no corpus at ${CORPUS})` };
  }
  const out: string[] = [];
  const rl = createInterface({ input: createReadStream(CORPUS, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) {
    out.push(line);
    if (out.length >= n) break;
  }
  rl.close();
  return { lines: out, source: `the first lines of ${CORPUS}` };
}

interface TailRow {
  filters: string;
  cpuMsPerSecond: number;
  sentPerSecond: number;
  examinedShare: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function benchTail(): Promise<{ lines: number; source: string; rows: TailRow[]; parseAllMsPerSecond: number }> {
  const { lines, source } = await corpusLines(RATE * SECONDS);
  const t0 = Date.now();
  const records: RawRecord[] = lines.map((line, i) => ({ line, receivedAt: t0 + Math.floor(i / RATE) * 1000, source: 'bench' }));
  const parse = tailParser();
  const rows: TailRow[] = [];
  const perTick = RATE / 4;
  for (const filters of [[''], ['error'], ['app:sshd'], ['203.0.113.0/24 OR host:web-01'], ['', 'error', 'app:sshd', '-"failed password"']]) {
    const hub = new TailHub({ parse, examinePerTick: 2500 });
    let sent = 0;
    let examined = 0;
    let received = 0;
    for (const q of filters) {
      hub.add(
        {
          bufferedAmount: 0,
          send: (d: string) => {
            // the counts end the message; parsing all of it would be the client's work, not the server's
            const m = /"sent":(\d+),"received":(\d+),"examined":(\d+)\}$/.exec(d.slice(-120));
            if (m !== null) {
              sent += Number(m[1]);
              received += Number(m[2]);
              examined += Number(m[3]);
            }
          },
          close: () => undefined,
        },
        q,
      );
    }
    const c0 = cpuMs();
    for (let at = 0; at < records.length; at += perTick) {
      // the sink offers committed batches of 2,000 (the network sources' batch size)
      for (let b = at; b < Math.min(at + perTick, records.length); b += 2000) hub.offer(records.slice(b, Math.min(b + 2000, at + perTick)));
      hub.tick();
    }
    const spent = cpuMs() - c0;
    hub.close();
    rows.push({ filters: filters.map((f) => JSON.stringify(f)).join(' + '), cpuMsPerSecond: spent / SECONDS, sentPerSecond: sent / SECONDS, examinedShare: examined / received });
    process.stderr.write(`tail ${filters.join(' | ')}: ${(spent / SECONDS).toFixed(1)} ms CPU per second of ingest\n`);
  }
  const c0 = cpuMs();
  for (const r of records) parse(r);
  const parseAllMsPerSecond = (cpuMs() - c0) / SECONDS;
  return { lines: records.length, source, rows, parseAllMsPerSecond };
}

async function main(): Promise<void> {
  const started = new Date();
  const histogram = await benchHistogram();
  const tail = await benchTail();
  const result = { date: started.toISOString(), machine: describeMachine(), data: DATA, histogram, tail };
  const md: string[] = [`# Web UI server — ${started.toISOString()}`, '', `Machine: ${JSON.stringify(result.machine)}`, ''];
  if (histogram === null) md.push(`Histogram: skipped, no store at ${DATA} (run \`npm run bench\` first).`, '');
  else {
    md.push(`## Histogram over ${histogram.lines.toLocaleString('en')} lines, ${histogram.shards} shards (search threads: 2)`, '');
    md.push('Baseline: `count` of the same query and range (warm; median of 3, or one run for queries over 5 s).', '');
    md.push('| query | span | buckets × interval | total | histogram ms | count ms | ratio |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of histogram.rows) md.push(`| \`${r.query}\` | ${r.span} | ${r.buckets} × ${r.interval / 1000} s | ${r.total} | ${r.histogramMs.toFixed(1)} | ${r.countMs.toFixed(1)} | ${r.ratio.toFixed(2)} |`);
    md.push('');
  }
  md.push(`## Live tail at ${RATE.toLocaleString('en')} lines/s (${tail.lines.toLocaleString('en')} lines), main-thread CPU`, '');
  md.push(`Lines: ${tail.source}.`, '');
  md.push(`Baseline: parsing every line on the main thread (a naive tap): ${tail.parseAllMsPerSecond.toFixed(0)} ms CPU per second of ingest. The hub checks at most 10,000 lines/s (the newest) per round; \`examined share\` says how many.`, '');
  md.push('| filters (one client each) | CPU ms per s of ingest | share of baseline | events sent/s | examined share |', '| --- | --- | --- | --- | --- |');
  for (const r of tail.rows) md.push(`| ${r.filters} | ${r.cpuMsPerSecond.toFixed(1)} | ${(r.cpuMsPerSecond / tail.parseAllMsPerSecond).toFixed(2)} | ${r.sentPerSecond.toFixed(0)} | ${r.examinedShare.toFixed(2)} |`);
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const stem = join(out, `${started.toISOString().slice(0, 10)}-web`);
  writeFileSync(`${stem}.json`, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(`${stem}.md`, md.join('\n') + '\n');
  process.stdout.write(md.join('\n') + '\n');
}

await main();

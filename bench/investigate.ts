/**
 * Investigation benchmark (standalone: `node --import tsx bench/investigate.ts`):
 * 1. ingest through the real writer lanes with relation extraction off and on, alternated in one run
 *    (target: on within 20% of off);
 * 2. the relation index of the 10M-line generator corpus built at three period lengths (one minute, as
 *    per-shard edges would be; one hour; one day), then one-hop pivots and scope of impact on it, warm
 *    and cold (targets ≤50 ms and ≤200 ms).
 * Writes bench/results/<date>-investigate[-TAG].md and .json. Env: INVESTIGATE_BENCH_LINES (index corpus,
 * default 10,000,000), INVESTIGATE_BENCH_INGEST_LINES (default 1,000,000: shorter runs are dominated by lane start-up and teardown and spread ±20%; 0 skips the ingest part),
 * INVESTIGATE_BENCH_PERIODS (seconds, default 60,3600,86400), INVESTIGATE_BENCH_TAG, INVESTIGATE_BENCH_KEEP=1.
 * Times are wall clock and, beside them, this process's CPU time: on a shared machine the CPU time is
 * what the work costs.
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describeMachine } from './machine.js';
import { median } from './timing.js';
import { repoRoot } from './root.js';
import { extractRelations, parseLine, type Relation } from '../src/parse/index.js';
import { RelationIndex, RelationWriter, RELATIONS_DIR, Store, STORE_DEFAULTS, listRelationFiles } from '../src/store/index.js';
import { Investigator } from '../src/investigate/index.js';
import { buildDayRollup, rollupJobs } from '../src/store/relation-rollup.js';

const ROOT = repoRoot(import.meta.url);
const INDEX_LINES = Number(process.env.INVESTIGATE_BENCH_LINES ?? 10_000_000);
const INGEST_LINES = Number(process.env.INVESTIGATE_BENCH_INGEST_LINES ?? 1_000_000);
const KEEP = process.env.INVESTIGATE_BENCH_KEEP === '1';
const CORPUS = join(ROOT, 'bench', 'corpus', 'gen-10000000-1.log');
const WRITER = import.meta.url.endsWith('.ts') ? new URL('../test/fixtures/investigate/tsx-writer.worker.mjs', import.meta.url) : new URL('../src/writer.worker.js', import.meta.url);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const PERIODS = (process.env.INVESTIGATE_BENCH_PERIODS ?? `${MINUTE / 1000},${HOUR / 1000},${DAY / 1000}`).split(',').map((s) => Number(s) * 1000);
const TAG = process.env.INVESTIGATE_BENCH_TAG ?? '';
/**
 * INVESTIGATE_BENCH_SPREAD=F stretches the corpus's event times F-fold from the midnight before it (the
 * 100-minute corpus × 14 = a 23 h day, 48 hourly files), and adds questions over the day's last 10 hours
 * (what "the last 24 h" asks at 10:00 of the next day: hourly files, the roll-up cannot answer).
 */
const SPREAD = Number(process.env.INVESTIGATE_BENCH_SPREAD ?? 1);
const BATCH = 2000;
const ROUND = 20_000;
const MAX_FUTURE_MS = DAY;

const r2 = (v: number): number => Math.round(v * 100) / 100;

async function readCorpus(n: number, each: (line: string) => void): Promise<number> {
  const rl = createInterface({ input: createReadStream(CORPUS), crlfDelay: Infinity });
  let i = 0;
  for await (const line of rl) {
    if (i++ >= n) break;
    each(line);
  }
  rl.close();
  return Math.min(i, n);
}

function corpusStart(): number {
  const meta = JSON.parse(readFileSync(CORPUS + '.json', 'utf8')) as { start: number };
  return meta.start;
}

/** Lines through the real writer pool (two lanes, worker threads) until committed and sealed. */
async function ingestRun(lines: string[], receivedAt: number, relations: boolean): Promise<{ seconds: number; linesPerSecond: number; cpuUsPerLine: number; relationFiles: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bench-inv-'));
  const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 2, relations: { enabled: relations, periodMs: HOUR } }, WRITER, { timeZone: 'UTC' });
  try {
    const t = performance.now();
    // process-wide (every thread): the writer lanes' work, whatever else the machine runs
    const cpu = process.cpuUsage();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < lines.length; i += BATCH) {
      const batch = lines.slice(i, i + BATCH);
      pending.push(store.writer.writeColumns({ lines: batch, receivedAt: new Float64Array(batch.length).fill(receivedAt), sources: 'bench' }));
      if (store.writer.congested) await store.writer.whenDrained();
    }
    await Promise.all(pending);
    await store.writer.flush();
    const seconds = (performance.now() - t) / 1000;
    return { seconds, linesPerSecond: lines.length / seconds, cpuUsPerLine: (cpuMs(cpu) * 1000) / lines.length, relationFiles: listRelationFiles(join(dir, RELATIONS_DIR), { from: null, to: null }).length };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchIngest(): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  await readCorpus(INGEST_LINES, (l) => lines.push(l));
  const receivedAt = corpusStart() + 2 * HOUR;
  const runs: { relations: boolean; linesPerSecond: number; seconds: number; cpuUsPerLine: number }[] = [];
  await ingestRun(lines.slice(0, 20_000), receivedAt, true); // warm-up: JIT, page cache
  for (let rep = 0; rep < 3; rep++) {
    for (const relations of [false, true]) {
      const r = await ingestRun(lines, receivedAt, relations);
      runs.push({ relations, linesPerSecond: Math.round(r.linesPerSecond), seconds: r2(r.seconds), cpuUsPerLine: r2(r.cpuUsPerLine) });
      console.log(`ingest ${lines.length} lines, relations ${relations ? 'on ' : 'off'}: ${Math.round(r.linesPerSecond)} lines/s, ${r2(r.cpuUsPerLine)} µs CPU/line`);
    }
  }
  const off = median(runs.filter((r) => !r.relations).map((r) => r.linesPerSecond));
  const on = median(runs.filter((r) => r.relations).map((r) => r.linesPerSecond));
  const cpuOff = median(runs.filter((r) => !r.relations).map((r) => r.cpuUsPerLine));
  const cpuOn = median(runs.filter((r) => r.relations).map((r) => r.cpuUsPerLine));
  // on a CPU-bound ingest the rate scales with 1 / CPU per line
  return { lines: lines.length, runs, medianOff: off, medianOn: on, ratio: r2(on / off), cpuOff, cpuOn, cpuRatio: r2(cpuOff / cpuOn) };
}

interface Built {
  periodMs: number;
  dir: string;
  files: number;
  bytes: number;
  writeMs: number;
  writeCpuMs: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function dirBytes(root: string): number {
  let total = 0;
  for (const f of listRelationFiles(root, { from: null, to: null })) {
    for (const s of ['', '-wal']) {
      try {
        total += readFileSync(f.path + s).byteLength;
      } catch {
        // no WAL
      }
    }
  }
  return total;
}

/** Parses the corpus once and feeds the edges to one writer pair (two lanes) per period length. */
async function buildIndexes(
  base: string,
): Promise<{ built: Built[]; lines: number; parseMs: number; extractMs: number; parseCpuMs: number; extractCpuMs: number; edges: number; picks: Record<string, string> }> {
  const receivedAt = corpusStart() + 2 * HOUR;
  const corpusT0 = corpusStart();
  const spreadStart = Math.floor(corpusT0 / DAY) * DAY;
  const writers = PERIODS.map((periodMs) => ({
    periodMs,
    dir: join(base, `period-${periodMs / 1000}s`),
    lanes: [0, 1].map((lane) => new RelationWriter({ dir: join(base, `period-${periodMs / 1000}s`, RELATIONS_DIR), lane, periodMs, maxOpen: 4 })),
    writeMs: 0,
    writeCpuMs: 0,
  }));
  let raw: string[] = [];
  let parseMs = 0;
  let extractMs = 0;
  let parseCpuMs = 0;
  let extractCpuMs = 0;
  let edges = 0;
  let batchNo = 0;
  const flowsOut = new Map<string, number>();
  const flowsIn = new Map<string, number>();
  const queried = new Map<string, number>();
  const flush = (): void => {
    let t = performance.now();
    let c = process.cpuUsage();
    const evs = raw.map((line) => parseLine({ line, receivedAt, source: 'bench' }, { timeZone: 'UTC' }));
    parseMs += performance.now() - t;
    parseCpuMs += cpuMs(c);
    t = performance.now();
    c = process.cpuUsage();
    const rels: Relation[][] = evs.map((ev) => extractRelations(ev));
    extractMs += performance.now() - t;
    extractCpuMs += cpuMs(c);
    const stored = evs.map((ev, i) => {
      const t = Number.isFinite(ev.time) && ev.time <= receivedAt + MAX_FUTURE_MS && ev.time >= 0 ? ev.time : receivedAt;
      const time = SPREAD === 1 ? t : spreadStart + Math.max(0, t - corpusT0) * SPREAD;
      return { time, relations: rels[i]! };
    });
    for (const rs of rels) {
      edges += rs.length;
      for (const r of rs) {
        if (r.kind === 'flow') {
          flowsOut.set(r.from, (flowsOut.get(r.from) ?? 0) + 1);
          flowsIn.set(r.to, (flowsIn.get(r.to) ?? 0) + 1);
        } else if (r.kind === 'query') queried.set(r.to, (queried.get(r.to) ?? 0) + 1);
      }
    }
    // batches go to the lanes in turn, as the writer pool spreads them
    const lane = batchNo++ % 2;
    for (const w of writers) {
      t = performance.now();
      c = process.cpuUsage();
      w.lanes[lane]!.append(stored);
      w.writeMs += performance.now() - t;
      w.writeCpuMs += cpuMs(c);
    }
    raw = [];
  };
  const lines = await readCorpus(INDEX_LINES, (l) => {
    raw.push(l);
    if (raw.length >= ROUND) flush();
  });
  if (raw.length > 0) flush();
  for (const w of writers) for (const l of w.lanes) l.closeAll();
  const byCount = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const internal = byCount(flowsOut).filter(([k]) => k.startsWith('ip:10.') || k.startsWith('ip:192.168.'));
  const picks = {
    busiestHost: internal[0]![0],
    typicalHost: internal[internal.length >> 1]![0],
    popularDestination: byCount(flowsIn)[0]![0],
    rareDestination: 'ip:203.0.113.77',
    topDomain: byCount(queried)[0]![0],
  };
  const built = writers.map((w) => {
    const root = join(w.dir, RELATIONS_DIR);
    return { periodMs: w.periodMs, dir: w.dir, files: listRelationFiles(root, { from: null, to: null }).length, bytes: dirBytes(root), writeMs: w.writeMs, writeCpuMs: w.writeCpuMs };
  });
  return { built, lines, parseMs, extractMs, parseCpuMs, extractCpuMs, edges, picks };
}

interface QueryTiming {
  warmMs: number;
  coldMs: number;
  warmCpuMs: number;
  coldCpuMs: number;
  neighbours?: number;
  hosts?: number;
}

function timeQueries(dir: string, picks: Record<string, string>): Record<string, QueryTiming> {
  const out: Record<string, QueryTiming> = {};
  const all = { from: null, to: null };
  const dayStart = Math.floor(corpusStart() / DAY) * DAY;
  const last10h = { from: dayStart + 14 * HOUR, to: dayStart + DAY };
  const cases: [string, string, 'pivot' | 'scope', { from: number | null; to: number | null }][] = [
    ...Object.entries(picks).map(([name, e]) => [`pivot ${name}`, e, 'pivot', all] as [string, string, 'pivot', typeof all]),
    ['scope typicalHost', picks.typicalHost!, 'scope', all],
    ['scope busiestHost', picks.busiestHost!, 'scope', all],
    ...(SPREAD === 1
      ? []
      : ([
          ['pivot busiestHost, last 10 h', picks.busiestHost!, 'pivot', last10h],
          ['scope busiestHost, last 10 h', picks.busiestHost!, 'scope', last10h],
        ] as [string, string, 'pivot' | 'scope', { from: number; to: number }][])),
  ];
  for (const [name, entity, op, range] of cases) {
    const cold: number[] = [];
    const coldCpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const relations = new RelationIndex(dir);
      const inv = new Investigator({ relations });
      const t = performance.now();
      const c = process.cpuUsage();
      if (op === 'pivot') inv.pivot(entity, range, 50);
      else inv.scope(entity, range, 50);
      cold.push(performance.now() - t);
      coldCpu.push(cpuMs(c));
      relations.close();
    }
    const relations = new RelationIndex(dir);
    const inv = new Investigator({ relations });
    const warm: number[] = [];
    const warmCpu: number[] = [];
    let size = 0;
    for (let i = 0; i < 11; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      if (op === 'pivot') size = inv.pivot(entity, range, 50).groups.reduce((s, g) => s + g.total, 0);
      else size = inv.scope(entity, range, 50).hosts.length;
      warm.push(performance.now() - t);
      warmCpu.push(cpuMs(c));
    }
    relations.close();
    const q: QueryTiming = { warmMs: r2(median(warm)), coldMs: r2(median(cold)), warmCpuMs: r2(median(warmCpu)), coldCpuMs: r2(median(coldCpu)), ...(op === 'pivot' ? { neighbours: size } : { hosts: size }) };
    out[name] = q;
    console.log(`  ${name} (${entity}): warm ${q.warmMs} ms (cpu ${q.warmCpuMs}), cold ${q.coldMs} ms (cpu ${q.coldCpuMs}), ${size} ${op === 'pivot' ? 'neighbours' : 'hosts'}`);
  }
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(CORPUS)) throw new Error(`bench: ${CORPUS} is missing; run npm run bench once to generate it`);
  const machine = describeMachine();
  const ingest = INGEST_LINES > 0 ? await benchIngest() : null;
  const base = mkdtempSync(join(tmpdir(), 'nml-bench-rel-'));
  try {
    console.log(`building relation indexes from ${INDEX_LINES} lines …`);
    const b = await buildIndexes(base);
    const periods: Record<string, unknown>[] = [];
    for (const built of b.built) {
      console.log(`period ${built.periodMs / 1000}s: ${built.files} files, ${(built.bytes / 1e6).toFixed(1)} MB`);
      const row = {
        periodSeconds: built.periodMs / 1000,
        files: built.files,
        megabytes: r2(built.bytes / 1e6),
        writeUsPerLine: r2((built.writeMs * 1000) / b.lines),
        writeCpuUsPerLine: r2((built.writeCpuMs * 1000) / b.lines),
        queries: timeQueries(built.dir, b.picks),
      };
      periods.push(row);
      if (built.periodMs >= DAY) continue;
      // the same index once its days are over and rolled up (what the store does in a worker thread)
      const root = join(built.dir, RELATIONS_DIR);
      const t = performance.now();
      const c = process.cpuUsage();
      let rollupBytes = 0;
      let days = 0;
      let blocks = 0;
      for (const job of rollupJobs(root, Date.now(), 0, STORE_DEFAULTS.relations.rollupBlockHours)) {
        const r = buildDayRollup(job.dir, { dayStart: job.start, ...(job.block === undefined ? {} : { block: job.block }) });
        if (r.path === null) throw new Error(`bench: roll-up of ${job.dir} not built: ${r.reason}`);
        rollupBytes += statSync(r.path).size;
        if (job.block === undefined) days++;
        else blocks++;
      }
      const rollupMs = performance.now() - t;
      const rollupCpuMs = cpuMs(c);
      console.log(`roll-ups: ${days} day prefixes and ${blocks} blocks in ${r2(rollupMs)} ms (cpu ${r2(rollupCpuMs)}), ${(rollupBytes / 1e6).toFixed(1)} MB`);
      periods.push({ ...row, rolledUp: { days, blocks, ms: r2(rollupMs), cpuMs: r2(rollupCpuMs), megabytes: r2(rollupBytes / 1e6) }, queries: timeQueries(built.dir, b.picks) });
    }
    const result = {
      date: new Date().toISOString().slice(0, 10),
      machine,
      ingest,
      index: {
        lines: b.lines,
        edges: b.edges,
        parseUsPerLine: r2((b.parseMs * 1000) / b.lines),
        extractUsPerLine: r2((b.extractMs * 1000) / b.lines),
        parseCpuUsPerLine: r2((b.parseCpuMs * 1000) / b.lines),
        extractCpuUsPerLine: r2((b.extractCpuMs * 1000) / b.lines),
        picks: b.picks,
        periods,
      },
    };
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const stem = join(dir, `${result.date}-investigate${TAG === '' ? '' : '-' + TAG}`);
    writeFileSync(`${stem}.json`, JSON.stringify(result, null, 2) + '\n');
    writeFileSync(`${stem}.md`, render(result) + '\n');
    console.log(`wrote ${stem}.md`);
  } finally {
    if (KEEP) console.log(`kept ${base}`);
    else rmSync(base, { recursive: true, force: true });
  }
}

interface RenderedPeriod {
  periodSeconds: number;
  files: number;
  megabytes: number;
  writeUsPerLine: number;
  writeCpuUsPerLine: number;
  queries: Record<string, QueryTiming>;
  rolledUp?: { days: number; blocks?: number; ms: number; cpuMs: number; megabytes: number };
}

function render(r: { date: string; machine: ReturnType<typeof describeMachine>; ingest: Record<string, unknown> | null; index: Record<string, unknown> }): string {
  const m = r.machine;
  const ing = r.ingest as { lines: number; medianOff: number; medianOn: number; ratio: number; cpuOff: number; cpuOn: number; cpuRatio: number } | null;
  const idx = r.index as { lines: number; edges: number; parseUsPerLine: number; extractUsPerLine: number; parseCpuUsPerLine: number; extractCpuUsPerLine: number; picks: Record<string, string>; periods: RenderedPeriod[] };
  const hourly = idx.periods.find((p) => p.periodSeconds === 3600 && p.rolledUp === undefined) ?? idx.periods[0]!;
  const main = idx.periods.find((p) => p.periodSeconds === 3600 && p.rolledUp !== undefined) ?? hourly;
  const worst = (p: RenderedPeriod, prefix: string, key: keyof QueryTiming): number =>
    Math.max(...Object.entries(p.queries).filter(([k]) => k.startsWith(prefix)).map(([, q]) => q[key] as number));
  const both = (prefix: string, key: keyof QueryTiming): string => (main === hourly ? `${worst(main, prefix, key)}` : `${worst(main, prefix, key)} (hourly files: ${worst(hourly, prefix, key)})`);
  const out: string[] = [`# Investigation benchmark ${r.date}`, ''];
  out.push(`Machine: ${m.cores} × ${m.cpu}, ${m.memGiB} GiB, ${m.os}, Node ${m.node}, SQLite ${m.sqlite}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} (a shared machine: CPU times are beside wall times).`);
  out.push(`Corpus: the project's generator (bench/corpus/gen-10000000-1.log): ${ing === null ? 'no ingest run' : `${ing.lines} lines for ingest`}, ${idx.lines} lines (${idx.edges} edges) for the relation index.`);
  if (main !== hourly) {
    out.push(
      `Headline: the hourly index once its day is over and rolled up (${main.rolledUp!.days} day roll-up${main.rolledUp!.blocks === undefined ? '' : ` and ${main.rolledUp!.blocks} ${STORE_DEFAULTS.relations.rollupBlockHours!.join('/')}-hour blocks`} built in ${main.rolledUp!.ms} ms, ${main.rolledUp!.megabytes} MB), questions over whole days${SPREAD === 1 ? '' : ` (the corpus's times stretched ${SPREAD}-fold into one day) and over the day's last 10 hours (blocks and hours)`}; in brackets the same questions on the hourly files, as a day still running is read.`,
    );
  }
  out.push('');
  out.push('| measure | result | target |', '| --- | --- | --- |');
  if (ing !== null) {
    out.push(`| ingest, relation extraction on / off (2 writer lanes, median of 3 each, wall) | ${ing.medianOn} / ${ing.medianOff} lines/s = ${ing.ratio} | ≥ 0.80 |`);
    out.push(`| the same as CPU per line (all threads), off / on | ${ing.cpuOff} / ${ing.cpuOn} µs = rate ratio ${ing.cpuRatio} | ≥ 0.80 |`);
  }
  out.push(`| one-hop pivot over ${idx.lines} events (worst entity, warm, wall) | ${both('pivot', 'warmMs')} ms | ≤ 50 ms |`);
  out.push(`| the same, cold (new connections), wall | ${both('pivot', 'coldMs')} ms | |`);
  out.push(`| the same, CPU time warm | ${both('pivot', 'warmCpuMs')} ms | |`);
  out.push(`| scope of impact (worst host, warm, wall) | ${both('scope', 'warmMs')} ms | ≤ 200 ms |`);
  out.push(`| the same, cold, wall | ${both('scope', 'coldMs')} ms | |`);
  out.push(`| the same, CPU time warm | ${both('scope', 'warmCpuMs')} ms | |`, '');
  out.push(`CPU per line, one thread: parse with entities ${idx.parseCpuUsPerLine} µs, relation extraction ${idx.extractCpuUsPerLine} µs, relation write (aggregate + upsert) ${hourly.writeCpuUsPerLine} µs at ${hourly.periodSeconds} s periods.`, '');
  out.push(`Entities: ${Object.entries(idx.picks).map(([k, v]) => `${k} \`${v}\``).join(', ')}.`, '');
  const names = Object.keys(idx.periods[0]!.queries);
  out.push(`| period | files | MB | write CPU µs/line | ${names.map((n) => `${n} warm / cold ms (CPU warm)`).join(' | ')} |`);
  out.push(`| --- | --- | --- | --- | ${names.map(() => '---').join(' | ')} |`);
  for (const p of idx.periods) {
    out.push(`| ${p.periodSeconds} s${p.rolledUp === undefined ? '' : ' + day roll-up'} | ${p.files} | ${p.megabytes} | ${p.writeCpuUsPerLine} | ${names.map((n) => `${p.queries[n]!.warmMs} / ${p.queries[n]!.coldMs} (${p.queries[n]!.warmCpuMs})`).join(' | ')} |`);
  }
  return out.join('\n');
}

await main();

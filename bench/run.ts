/**
 * `npm run bench`: builds a corpus with the project's generator (NML_BENCH_LINES, default 10M), then
 * measures, in one run: bulk file ingest and end-to-end TCP syslog ingest (until searchable), count and
 * newest-100 latency warm and cold for five kinds of query, bytes on disk per raw byte (the whole data folder), and the same
 * queries with ripgrep over the raw corpus; then the same queries over a day of lines at a quiet pace
 * (NML_BENCH_SPREAD_LINES, default 2M; 0 skips), as written and with each hour merged (bench/spread.ts); and
 * newest-first paging over lines stored as they arrive, late ones among them, against the same lines in
 * time order (NML_BENCH_LATE_LINES, default 1M; 0 skips; bench/late.ts).
 * Writes bench/results/<date>.json and .md.
 */
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../src/store/index.js';
import { describeMachine } from './machine.js';
import { repoRoot } from './root.js';
import { ensureCorpus, ensureLoghubCorpus } from './corpus.js';
import { benchBulkIngest, benchTcpIngest } from './ingest.js';
import { runQueries } from './queries.js';
import { rgQueries, ripgrepVersion, runPipeline } from './ripgrep.js';
import { renderMarkdown, type BenchReport } from './report.js';
import { benchSpread } from './spread.js';
import { benchLate } from './late.js';

const ROOT = repoRoot(import.meta.url); // dist/bench/ compiled, bench/ under tsx
const lines = Number(process.env.NML_BENCH_LINES ?? 10_000_000);
const seed = Number(process.env.NML_BENCH_SEED ?? 1);
const work = process.env.NML_BENCH_DIR ?? join(ROOT, 'bench', 'corpus');
const skipTcp = process.env.NML_BENCH_SKIP_TCP === '1';
/** lines of the quiet-network day (bench/spread.ts); 0 skips it */
const spreadLines = Number(process.env.NML_BENCH_SPREAD_LINES ?? 2_000_000);
/** lines of the late-arrival paging comparison (bench/late.ts); 0 skips it */
const lateLines = Number(process.env.NML_BENCH_LATE_LINES ?? 1_000_000);
/** `generator` (the project's own, default) or `loghub` (../shared/tools/gen_syslog_corpus.py) */
const corpusKind = process.env.NML_BENCH_CORPUS ?? 'generator';
const SLOT_MS = 60_000;

/** Bytes of every regular file under `path` (apparent sizes, as the catalog counts shard bytes). */
function treeBytes(path: string): number {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st === undefined) return 0;
  if (st.isFile()) return st.size;
  if (!st.isDirectory()) return 0;
  let n = 0;
  for (const e of readdirSync(path)) n += treeBytes(join(path, e));
  return n;
}

/** The whole data folder ingest wrote, and its parts: shards/, relations/, catalog.db (with -wal/-shm), anything else. */
function dataFolderBytes(dir: string): { shards: number; relations: number; catalog: number; other: number; total: number } {
  const parts = { shards: 0, relations: 0, catalog: 0, other: 0, total: 0 };
  for (const e of readdirSync(dir)) {
    const n = treeBytes(join(dir, e));
    if (e === 'shards') parts.shards += n;
    else if (e === 'relations') parts.relations += n;
    else if (e.startsWith('catalog.db')) parts.catalog += n;
    else parts.other += n;
    parts.total += n;
  }
  return parts;
}

async function main(): Promise<void> {
  const machine = describeMachine();
  console.error(`bench: ${lines} lines on ${machine.cores} × ${machine.cpu}`);
  // the corpus ends now, so that year inference and shard slots behave as for live data
  const start = Date.now() - Math.ceil(lines / 100_000) * 60_000;
  const corpus =
    corpusKind === 'loghub' ? ensureLoghubCorpus(work, lines, seed, join(ROOT, '..', 'shared')) : await ensureCorpus(work, lines, seed, start);
  console.error(`bench: corpus ${corpus.path} (${(corpus.bytes / 1e6).toFixed(0)} MB)`);

  const bulkDir = join(work, 'data-bulk');
  const bulk = await benchBulkIngest(corpus.path, lines, bulkDir);
  console.error(`bench: bulk ingest ${Math.round(bulk.linesPerSecond)} lines/s`);
  const tcp = skipTcp ? null : await benchTcpIngest(corpus.path, lines, join(work, 'data-tcp'), { syslog: 25514, http: 28823 });
  if (tcp !== null) console.error(`bench: tcp end-to-end ${Math.round(tcp.linesPerSecond)} lines/s`);

  const catalog = new Catalog(bulkDir, SLOT_MS, false);
  const shardCount = catalog.all().length;
  catalog.close();
  // the whole data folder, not only the catalog's shards: ingest also writes relations/ and catalog.db
  const disk = dataFolderBytes(bulkDir);

  const { results, coldDropped } = await runQueries(bulkDir, SLOT_MS, machine.cores);
  const rg = ripgrepVersion();
  const baseline: BenchReport['ripgrep'] = {};
  if (rg !== null) {
    for (const [name, q] of Object.entries(rgQueries(corpus.path))) {
      await runPipeline(q.count); // warm the page cache like the warm NML figures
      const c = await runPipeline(q.count);
      const n = await runPipeline(q.newest);
      baseline[name] = { count: Number(c.out.trim() || 0), countMs: c.ms, newestMs: n.ms };
    }
  }
  const spread = spreadLines > 0 ? await benchSpread(work, spreadLines, seed, SLOT_MS, machine.cores) : null;
  if (spread !== null) console.error(`bench: spread day ${spread.shardsBefore} → ${spread.shardsAfter} shards`);
  const late = lateLines > 0 ? await benchLate(work, lateLines, machine.cores) : null;
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine,
    ripgrepVersion: rg,
    corpus: { kind: corpusKind, lines, bytes: corpus.bytes, seed, needles: corpus.needles },
    ingest: { bulk, tcp },
    disk: {
      bytes: disk.total,
      shards: shardCount,
      perRawByte: disk.total / corpus.bytes,
      parts: { shardBytes: disk.shards, relationBytes: disk.relations, catalogBytes: disk.catalog, otherBytes: disk.other },
    },
    queries: results,
    coldCacheDropped: coldDropped,
    ripgrep: baseline,
    spread,
    late,
  };
  const outDir = join(ROOT, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const stem = `${report.date.slice(0, 10)}-${corpusKind}-${lines}`;
  writeFileSync(join(outDir, `${stem}.json`), JSON.stringify(report, null, 2) + '\n');
  const md = renderMarkdown(report);
  writeFileSync(join(outDir, `${stem}.md`), md);
  process.stdout.write(md);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

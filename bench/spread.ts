/**
 * The same kind of lines at a quiet network's pace: `lines` spread over one day that has ended (the
 * main corpus packs 100,000 a minute), ingested as a live server writes them (`--no-compact` and no
 * whole-hour shards: one shard per minute and lane), queried, then merged an hour a shard
 * (store/compaction.ts) and queried again; then the same file imported as `nml ingest` does by default
 * (whole-hour shards) and queried. The counts must agree; the report gives the shard counts, the
 * merge's cost, the import's and every set of timings.
 */
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { writeCorpus } from '../src/collect/index.js';
import { Catalog, Compactor, COMPACTION_DEFAULTS } from '../src/store/index.js';
import { benchBulkIngest } from './ingest.js';
import { runQueries, type QueryResult } from './queries.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface SpreadReport {
  lines: number;
  ingest: { seconds: number; linesPerSecond: number };
  shardsBefore: number;
  shardsAfter: number;
  hoursMerged: number;
  mergeSeconds: number;
  mergeCpuSeconds: number;
  bytesBefore: number;
  bytesAfter: number;
  before: Record<string, QueryResult>;
  after: Record<string, QueryResult>;
  /** the same file imported by `nml ingest` as it is by default: the hours long past go to whole-hour shards, one a lane */
  imported: { seconds: number; linesPerSecond: number; shards: number; bytes: number; results: Record<string, QueryResult> };
}

function shardBytes(catalog: Catalog): number {
  return catalog.all().reduce((n, s) => n + s.bytes, 0);
}

export async function benchSpread(work: string, lines: number, seed: number, slotMs: number, threads: number): Promise<SpreadReport> {
  // a whole day, ended two hours ago: every hour is closed and settled
  const start = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR - DAY;
  const path = join(work, `spread-${lines}-${seed}.log`);
  await writeCorpus(path, lines, { seed, start, linesPerMinute: lines / 1440 });
  const dir = join(work, 'data-spread');
  // as a live server writes them at this pace: one shard a minute and lane (no whole-hour shards)
  const minuteShards = join(work, 'minute-shards.json');
  writeFileSync(minuteShards, JSON.stringify({ store: { hourShardsAfterMs: null } }));
  const ingest = await benchBulkIngest(path, lines, dir, ['--no-compact', '--config', minuteShards]);
  let catalog = new Catalog(dir, slotMs, false);
  const shardsBefore = catalog.all().length;
  const bytesBefore = shardBytes(catalog);
  catalog.close();
  const before = (await runQueries(dir, slotMs, threads)).results;
  catalog = new Catalog(dir, slotMs, true);
  const compactor = new Compactor(catalog, { ...COMPACTION_DEFAULTS, checkMs: 0, graceMs: 0 }, true);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const outcomes = await compactor.run();
  const mergeSeconds = (performance.now() - t) / 1000;
  // the worker thread's CPU is the process's
  const used = process.cpuUsage(cpu);
  await compactor.close();
  const failed = outcomes.filter((o) => o.error !== undefined);
  if (failed.length > 0) throw new Error(`bench: merges failed: ${failed.map((o) => o.error).join('; ')}`);
  const shardsAfter = catalog.all().length;
  const bytesAfter = shardBytes(catalog);
  catalog.close();
  const after = (await runQueries(dir, slotMs, threads)).results;
  for (const [name, q] of Object.entries(before)) {
    if (after[name]!.count !== q.count) throw new Error(`bench: ${name} counted ${q.count} before the merge and ${after[name]!.count} after`);
  }
  // the same file as an import: `nml ingest` with its defaults (whole-hour shards, then any merges due)
  const importDir = join(work, 'data-spread-import');
  const imported = await benchBulkIngest(path, lines, importDir, []);
  catalog = new Catalog(importDir, slotMs, false);
  const importShards = catalog.all().length;
  const importBytes = shardBytes(catalog);
  catalog.close();
  const importResults = (await runQueries(importDir, slotMs, threads)).results;
  for (const [name, q] of Object.entries(before)) {
    if (importResults[name]!.count !== q.count) throw new Error(`bench: ${name} counted ${q.count} as written and ${importResults[name]!.count} imported`);
  }
  rmSync(path, { force: true });
  return {
    imported: { ...imported, shards: importShards, bytes: importBytes, results: importResults },
    lines,
    ingest,
    shardsBefore,
    shardsAfter,
    hoursMerged: outcomes.length,
    mergeSeconds,
    mergeCpuSeconds: (used.user + used.system) / 1e6,
    bytesBefore,
    bytesAfter,
    before,
    after,
  };
}

const ms = (v: number | null): string => (v === null ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(0));

export function renderSpread(r: SpreadReport): string[] {
  const out = [
    `## A quiet network: ${r.lines} lines over one day`,
    '',
    `The generator's lines at ${Math.round(r.lines / 86_400)} a second, one day that ended two hours ago; \`nml ingest --no-compact\` ${Math.round(r.ingest.linesPerSecond / 1000)}k lines/s. ` +
      `${r.shardsBefore} shards (${(r.bytesBefore / 1e6).toFixed(0)} MB) as written; ${r.hoursMerged} hours merged into ${r.shardsAfter} shards (${(r.bytesAfter / 1e6).toFixed(0)} MB) in ${r.mergeSeconds.toFixed(1)} s ` +
      `(${r.mergeCpuSeconds.toFixed(1)} CPU-s, ${((r.mergeCpuSeconds * 1e6) / r.lines).toFixed(0)} µs per line); the counts agree.`,
    '',
    '| query | count | count warm ms, as written → merged | count cold ms | newest-100 warm ms | newest-100 cold ms |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, b] of Object.entries(r.before)) {
    const a = r.after[name]!;
    out.push(
      `| ${name}: \`${b.query}\` | ${b.count} | ${ms(b.countWarmMs)} → ${ms(a.countWarmMs)} | ${ms(b.countColdMs)} → ${ms(a.countColdMs)} | ${ms(b.pageWarmMs)} → ${ms(a.pageWarmMs)} | ${ms(b.pageColdMs)} → ${ms(a.pageColdMs)} |`,
    );
  }
  const im = r.imported;
  out.push(
    '',
    `Imported by \`nml ingest\` as it runs by default (the hours long past go to one shard an hour and lane; hours of at most 4 such shards are not merged): ` +
      `${Math.round(im.linesPerSecond / 1000)}k lines/s (${im.seconds.toFixed(1)} s, merges included), ${im.shards} shards (${(im.bytes / 1e6).toFixed(0)} MB); the counts agree.`,
    '',
    '| query | count warm ms | count cold ms | newest-100 warm ms | newest-100 cold ms |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const [name, q] of Object.entries(im.results)) out.push(`| ${name}: \`${q.query}\` | ${ms(q.countWarmMs)} | ${ms(q.countColdMs)} | ${ms(q.pageWarmMs)} | ${ms(q.pageColdMs)} |`);
  out.push('');
  return out;
}

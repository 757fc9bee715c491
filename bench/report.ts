/** The benchmark report as JSON and as a markdown table with the issue's targets beside the figures. */
import type { Machine } from './machine.js';
import type { QueryResult } from './queries.js';

import { renderSpread, type SpreadReport } from './spread.js';
import { renderLate, type LateReport } from './late.js';

export interface BenchReport {
  date: string;
  machine: Machine;
  ripgrepVersion: string | null;
  corpus: { kind: string; lines: number; bytes: number; seed: number; needles: { text: string; count: number }[] };
  ingest: { bulk: { seconds: number; linesPerSecond: number }; tcp: { seconds: number; linesPerSecond: number } | null };
  /** `bytes`: the whole data folder; `parts`: shards/, relations/ (the relation index), catalog.db (with -wal/-shm), anything else */
  disk: { bytes: number; shards: number; perRawByte: number; parts: { shardBytes: number; relationBytes: number; catalogBytes: number; otherBytes: number } };
  queries: Record<string, QueryResult>;
  coldCacheDropped: boolean;
  ripgrep: Record<string, { count: number; countMs: number; newestMs: number }>;
  /** the same kind of lines over a day, as written and merged (bench/spread.ts); null when skipped */
  spread: SpreadReport | null;
  /** paging over late lines against the same lines in time order (bench/late.ts); null when skipped (absent in reports before session 39) */
  late?: LateReport | null;
}

const ms = (v: number | null): string => (v === null ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const k = (v: number): string => `${Math.round(v / 1000)}k`;

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# NML benchmark ${r.date}`, '');
  out.push(`Machine: ${m.cores} × ${m.cpu}, ${m.memGiB} GiB, ${m.os}, Node ${m.node}, SQLite ${m.sqlite}; baseline ${r.ripgrepVersion ?? 'ripgrep not installed'}.`);
  const source = r.corpus.kind === 'loghub' ? 'loghub samples expanded by shared/tools/gen_syslog_corpus.py' : "the project's generator";
  out.push(`Corpus: ${r.corpus.lines} lines, ${(r.corpus.bytes / 1e6).toFixed(0)} MB (${(r.corpus.bytes / r.corpus.lines).toFixed(0)} B/line), ${source}, seed ${r.corpus.seed}.`, '');
  out.push('| measure | result | target |', '| --- | --- | --- |');
  out.push(`| end-to-end ingest, TCP syslog → searchable | ${r.ingest.tcp === null ? 'skipped' : k(r.ingest.tcp.linesPerSecond) + ' lines/s'} | ≥400k lines/s |`);
  out.push(`| bulk file ingest (\`nml ingest\`) | ${k(r.ingest.bulk.linesPerSecond)} lines/s | — |`);
  const d = r.disk;
  const per = (b: number): string => (b / r.corpus.bytes).toFixed(3);
  const parts = `shards ${per(d.parts.shardBytes)} (${d.shards} shards) + relation index ${per(d.parts.relationBytes)} + catalog ${per(d.parts.catalogBytes)}${d.parts.otherBytes > 0 ? ` + other ${per(d.parts.otherBytes)}` : ''}`;
  out.push(`| bytes on disk per raw byte (whole data folder, index included) | ${d.perRawByte.toFixed(3)}: ${parts} | ≤1.0 |`);
  const rare = r.queries.rare;
  if (rare !== undefined) {
    out.push(`| rare-term count, warm | ${ms(rare.countWarmMs)} ms | ≤5 ms |`);
    out.push(`| rare-term count, cold | ${ms(rare.countColdMs)} ms | ≤100 ms |`);
    out.push(`| rare-term newest-100 page, warm | ${ms(rare.pageWarmMs)} ms | ≤10 ms |`);
    const rg = r.ripgrep.rare;
    if (rg !== undefined) out.push(`| rare-term count vs ripgrep | ${(rg.countMs / rare.countWarmMs).toFixed(0)}× faster | ≥10× |`);
  }
  out.push('', '| query | NML count | count warm ms | count cold ms | newest-100 warm ms | newest-100 cold ms | rg count | rg count ms | rg newest-100 ms | speed-up (count) |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, q] of Object.entries(r.queries)) {
    const rg = r.ripgrep[name];
    out.push(
      `| ${name}: \`${q.query}\` | ${q.count} | ${ms(q.countWarmMs)} | ${ms(q.countColdMs)} | ${ms(q.pageWarmMs)} | ${ms(q.pageColdMs)} | ${rg?.count ?? 'n/a'} | ${ms(rg?.countMs ?? null)} | ${ms(rg?.newestMs ?? null)} | ${rg === undefined ? 'n/a' : (rg.countMs / q.countWarmMs).toFixed(0) + '×'} |`,
    );
  }
  out.push('', r.coldCacheDropped ? 'Cold: OS page cache dropped before the query, fresh worker threads and connections.' : 'Cold figures unavailable: the OS page cache could not be dropped here.');
  out.push(`Needles planted: ${r.corpus.needles.map((n) => `${n.text} ×${n.count}`).join(', ')}.`, '');
  if (r.spread !== null) out.push(...renderSpread(r.spread));
  if (r.late != null) out.push(...renderLate(r.late));
  return out.join('\n');
}

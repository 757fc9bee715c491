/**
 * Lines that arrive late: the same lines written twice, once as a live network delivers them (every third
 * sender cuts its time to the second, one batch in twenty held back three batches, so rows are stored
 * after newer ones) and once in time order, then paged newest first. Shards keep a lateness bound and the
 * leaf reads past a page's rows until no unread row can be newer (search/leaf.ts); the in-order store,
 * whose bound is 0, is the baseline of the same run. Every page is checked to be in time order across
 * its boundary.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Catalog, ShardSet, type StoredLine } from '../src/store/index.js';
import { Searcher } from '../src/search/index.js';
import { median } from './timing.js';

const SLOT_MS = 60_000;
/** lines a second: a busy network's minute shards */
const RATE = 2_000;
const BATCH = 500;
const PAGES = 20;
export const LATE_QUERIES: Record<string, string> = { every: '', common: 'sshd', rarer: 'user7', phrase: '"port 22"' };

export interface LateReport {
  lines: number;
  /** the greatest lateness bound of the arrival-order store's shards, ms */
  boundMs: number;
  /** per query: median ms of the first page and of pages 2..PAGES, arrival order and in time order */
  results: Record<string, { query: string; firstMs: [number, number]; nextMs: [number, number]; outOfOrder: number }>;
}

function makeLines(n: number, t0: number): StoredLine[] {
  const apps = ['sshd', 'cron', 'kernel', 'nginx', 'postfix'];
  return Array.from({ length: n }, (_, i) => {
    let time = t0 + Math.floor((i * 1000) / RATE);
    if (i % 3 === 0) time -= time % 1000; // an RFC 3164 sender: to the second
    const raw = `host${i % 40} ${apps[i % 5]}[${i % 997}]: event ${i} for user${i % 300} port ${i % 2 === 0 ? 22 : 443}`;
    return { time, receivedAt: time, source: 'bench', raw, text: raw };
  });
}

function write(dir: string, batches: StoredLine[][]): void {
  const lanes = [0, 1].map((lane) => new ShardSet({ dir: join(dir, 'shards'), lane, slotMs: SLOT_MS, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: true, fsyncCommits: false }));
  batches.forEach((b, i) => lanes[i % 2]!.append(b));
  for (const l of lanes) l.closeAll(Date.now() + 3_600_000);
}

async function pageTimes(dir: string, threads: number, query: string): Promise<{ first: number[]; next: number[]; outOfOrder: number }> {
  const catalog = new Catalog(dir, SLOT_MS, false);
  const searcher = new Searcher(catalog, threads);
  const first: number[] = [];
  const next: number[] = [];
  let outOfOrder = 0;
  try {
    for (let rep = 0; rep < 5; rep++) {
      let cursor: string | null = null;
      let last = Infinity;
      for (let p = 0; p < PAGES; p++) {
        const t = performance.now();
        const page: Awaited<ReturnType<Searcher['page']>> = await searcher.page(query, { from: null, to: null }, 100, cursor);
        (p === 0 ? first : next).push(performance.now() - t);
        for (const h of page.hits) {
          if (h.time > last) outOfOrder++;
          last = h.time;
        }
        cursor = page.cursor;
        if (cursor === null) break;
      }
    }
  } finally {
    await searcher.close();
    catalog.close();
  }
  return { first, next, outOfOrder };
}

export async function benchLate(work: string, lines: number, threads: number): Promise<LateReport> {
  const t0 = Math.floor((Date.now() - 2 * 86_400_000) / SLOT_MS) * SLOT_MS;
  const all = makeLines(lines, t0);
  const arrival: StoredLine[][] = [];
  for (let at = 0; at < all.length; at += BATCH) arrival.push(all.slice(at, at + BATCH));
  // a slow sender: one batch in twenty comes three batches late
  for (let i = 10; i + 3 < arrival.length; i += 20) arrival.splice(i + 3, 0, arrival.splice(i, 1)[0]!);
  const sorted = [...all].sort((a, b) => a.time - b.time);
  const inOrder: StoredLine[][] = [];
  for (let at = 0; at < sorted.length; at += BATCH) inOrder.push(sorted.slice(at, at + BATCH));
  const dirs = { arrival: join(work, 'data-late-arrival'), inOrder: join(work, 'data-late-sorted') };
  for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  write(dirs.arrival, arrival);
  write(dirs.inOrder, inOrder);
  const results: LateReport['results'] = {};
  for (const [name, query] of Object.entries(LATE_QUERIES)) {
    const a = await pageTimes(dirs.arrival, threads, query);
    const s = await pageTimes(dirs.inOrder, threads, query);
    results[name] = { query, firstMs: [median(a.first), median(s.first)], nextMs: [median(a.next), median(s.next)], outOfOrder: a.outOfOrder + s.outOfOrder };
  }
  let boundMs = 0;
  for (const l of arrivalLateness(arrival)) boundMs = Math.max(boundMs, l);
  return { lines, boundMs, results };
}

/** Each slot's lateness as the arrival order stores it (per lane, as the writers see it). */
function* arrivalLateness(batches: StoredLine[][]): Generator<number> {
  const max = new Map<string, number>();
  const late = new Map<string, number>();
  batches.forEach((b, i) => {
    for (const l of b) {
      const key = `${i % 2}:${Math.floor(l.time / SLOT_MS)}`;
      const m = max.get(key) ?? -Infinity;
      if (l.time > m) max.set(key, l.time);
      else late.set(key, Math.max(late.get(key) ?? 0, m - l.time));
    }
  });
  yield* late.values();
}

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(0));

export function renderLate(r: LateReport): string[] {
  const out = [
    `## Late lines: ${r.lines} lines paged newest first`,
    '',
    `${RATE} lines a second in minute shards over two lanes, batches of ${BATCH}; stored as they arrive (every third line cut to the second, one batch in twenty three batches late: a lateness bound up to ${(r.boundMs / 1000).toFixed(1)} s) and, as the baseline, in time order. Pages of 100, ${PAGES} deep, five runs; medians.`,
    '',
    '| query | first page ms, arrival / in order | later pages ms, arrival / in order | ratio (later pages) | rows listed above a newer one |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [name, q] of Object.entries(r.results)) {
    out.push(`| ${name}: \`${q.query}\` | ${ms(q.firstMs[0])} / ${ms(q.firstMs[1])} | ${ms(q.nextMs[0])} / ${ms(q.nextMs[1])} | ${(q.nextMs[0] / q.nextMs[1]).toFixed(2)}× | ${q.outOfOrder} |`);
  }
  out.push('');
  return out;
}

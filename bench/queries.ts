/** The benchmark's questions, asked of NML (count and newest 100, warm and cold). */
import { Catalog } from '../src/store/index.js';
import { Searcher } from '../src/search/index.js';
import { dropCaches, medianMs } from './timing.js';

export const QUERIES: Record<string, string> = {
  rare: 'kernelpanic42',
  common: 'failed',
  and: 'failed password',
  ip: '203.0.113.77',
  cidr: '203.0.113.0/24',
};

export interface QueryResult {
  query: string;
  count: number;
  countWarmMs: number;
  pageWarmMs: number;
  countColdMs: number | null;
  pageColdMs: number | null;
}

const ALL = { from: null, to: null };

export async function runQueries(dataDir: string, slotMs: number, threads: number): Promise<{ results: Record<string, QueryResult>; coldDropped: boolean }> {
  const results: Record<string, QueryResult> = {};
  let coldDropped = true;
  for (const [name, q] of Object.entries(QUERIES)) {
    // cold: page cache dropped (where allowed) and fresh threads and connections
    const dropped = dropCaches();
    coldDropped &&= dropped;
    let catalog = new Catalog(dataDir, slotMs, false);
    let searcher = new Searcher(catalog, threads);
    await searcher.count('warmup-the-thread-pool-not-the-data', ALL).catch(() => undefined);
    if (dropped) dropCaches();
    let t = performance.now();
    const count = (await searcher.count(q, ALL)).count;
    const countColdMs = dropped ? performance.now() - t : null;
    await searcher.close();
    catalog.close();
    if (dropped) dropCaches();
    catalog = new Catalog(dataDir, slotMs, false);
    searcher = new Searcher(catalog, threads);
    await searcher.count('warmup-the-thread-pool-not-the-data', ALL).catch(() => undefined);
    if (dropped) dropCaches();
    t = performance.now();
    await searcher.page(q, ALL, 100);
    const pageColdMs = dropped ? performance.now() - t : null;
    const countWarmMs = await medianMs(9, () => searcher.count(q, ALL));
    const pageWarmMs = await medianMs(9, () => searcher.page(q, ALL, 100));
    await searcher.close();
    catalog.close();
    results[name] = { query: q, count, countWarmMs, pageWarmMs, countColdMs, pageColdMs };
  }
  return { results, coldDropped };
}

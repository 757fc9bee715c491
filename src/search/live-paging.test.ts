// Paging a shard that is still being written: later pages go on from the first page's snapshot of it,
// in time order, and lines stored since (newer ones, or late ones older than the page boundary) are
// left to a new search rather than slipped in out of place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, ShardSet, type StoredLine } from '../store/index.js';
import { Searcher, type Hit } from './root.js';
import { storedLine } from './testing.js';

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const ALL = { from: null, to: null };

test('pages over an open shard keep time order and the first page snapshot while lines keep arriving', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-live-paging-'));
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 60_000, maxOpenShards: 4, optimizeOnSeal: false });
  const append = (lines: StoredLine[]): void => catalog.apply(set.append(lines));
  try {
    // 200 lines in one minute, every batch of 10 stored in reverse: arrival is not time order
    const first = Array.from({ length: 200 }, (_, i) => storedLine(T0 + i * 200, `live ${i}`));
    for (let at = 0; at < first.length; at += 10) append(first.slice(at, at + 10).reverse());
    const seen: Hit[] = [];
    let page = await searcher.page('live', ALL, 30);
    seen.push(...page.hits);
    const boundary = page.hits[page.hits.length - 1]!.time;
    // then lines newer than any, and late ones older than the page's last line
    const later = [storedLine(T0 + 59_000, 'live newer'), storedLine(boundary - 1_001, 'live late'), storedLine(boundary - 51, 'live late2')];
    append(later);
    while (page.cursor !== null) {
      page = await searcher.page('live', ALL, 30, page.cursor);
      seen.push(...page.hits);
    }
    assert.deepEqual(
      seen.map((h) => h.raw),
      [...first].sort((a, b) => b.time - a.time).map((l) => l.raw),
      'the first snapshot, newest first, once each',
    );
    const fresh = [];
    for await (const h of searcher.stream('live', ALL)) fresh.push(h.raw);
    assert.deepEqual(fresh, [...first, ...later].sort((a, b) => b.time - a.time).map((l) => l.raw), 'a new search lists them in place');
  } finally {
    set.closeAll(T0 + 3600_000);
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

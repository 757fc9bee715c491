import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, ShardSet, type StoredLine } from '../store/index.js';
import { Searcher } from './root.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 5);
const line = (raw: string): StoredLine => ({ time: T0, receivedAt: T0, source: 't', raw, text: raw });

test('a shard that retention removed and a late line made again at the same path is read anew, not from the cached reader', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-stale-'));
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 1);
  try {
    const write = (raw: string): string => {
      const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 4, optimizeOnSeal: false });
      const events = [...set.append([line(raw)]), ...set.closeAll(T0 + 3600_000)];
      catalog.apply(events);
      return events[0]!.rel;
    };
    const first = write('gamma old line');
    assert.deepEqual((await searcher.page('gamma', { from: null, to: null }, 10)).hits.map((h) => h.raw), ['gamma old line']);
    catalog.remove(first); // retention
    const again = write('gamma late line');
    assert.equal(again, first, 'the slot and lane give the same path: sequence 0 is free again');
    assert.deepEqual((await searcher.page('gamma', { from: null, to: null }, 10)).hits.map((h) => h.raw), ['gamma late line']);
  } finally {
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

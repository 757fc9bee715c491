/** For search tests: a store written directly by lanes (no parsing: the raw line is indexed), sealed, with a searcher over it. */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, ShardSet, type StoredLine } from '../store/index.js';
import { Searcher } from './root.js';

/** A raw line as the tests store it: its own text indexed, received when it happened. */
export function storedLine(time: number, raw: string): StoredLine {
  return { time, receivedAt: time, source: 't', raw, text: raw };
}

/**
 * Writes each lane's batches in order (lane i gets `lanes[i]`, one append per batch), seals every shard,
 * and opens a searcher over the store; both are closed and the folder removed after the file's tests.
 */
export function sealedStore(prefix: string, lanes: readonly (readonly StoredLine[][])[], slotMs = 60_000): { catalog: Catalog; searcher: Searcher } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let sealAt = 0;
  for (const batches of lanes) for (const b of batches) for (const l of b) sealAt = Math.max(sealAt, l.time);
  lanes.forEach((batches, lane) => {
    const set = new ShardSet({ dir: join(dir, 'shards'), lane, slotMs, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: true });
    for (const b of batches) set.append(b);
    set.closeAll(sealAt + 3600_000);
  });
  const catalog = new Catalog(dir, slotMs);
  const searcher = new Searcher(catalog, 2);
  after(async () => {
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { catalog, searcher };
}

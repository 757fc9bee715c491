/**
 * Merges per-shard pages newest first. Each shard's page is in its own order (rowid descending, i.e.
 * arrival order), so this is a k-way merge that only ever takes a shard's next hit: what a page takes
 * from a shard is always a prefix, and the cursor stays exact. Between shards, the later event time wins.
 */
import type { HitRef, ShardPage } from './leaf.js';

export interface MergedRef extends HitRef {
  shard: string;
}

export interface MergeResult {
  hits: MergedRef[];
  /** new position per shard that was read: rowid to continue below, or -1 when exhausted */
  positions: Map<string, number>;
}

/** `group`: each shard's slot group (slot-groups.ts), the newer group first */
export function mergeNewestFirst(pages: ShardPage[], group: ReadonlyMap<string, number>, limit: number): MergeResult {
  const heads = pages.map((p) => ({ page: p, at: 0 }));
  const hits: MergedRef[] = [];
  while (hits.length < limit) {
    let best: (typeof heads)[number] | null = null;
    for (const h of heads) {
      if (h.at >= h.page.hits.length) continue;
      if (best === null || newer(h, best, group)) best = h;
    }
    if (best === null) break;
    const hit = best.page.hits[best.at++]!;
    hits.push({ ...hit, shard: best.page.rel });
  }
  const positions = new Map<string, number>();
  for (const h of heads) {
    if (h.at === h.page.hits.length && h.page.exhausted) positions.set(h.page.rel, -1);
    else if (h.at > 0) positions.set(h.page.rel, h.page.hits[h.at - 1]!.rowid);
  }
  return { hits, positions };
}

type Head = { page: ShardPage; at: number };

function newer(a: Head, b: Head, group: ReadonlyMap<string, number>): boolean {
  const sa = group.get(a.page.rel)!;
  const sb = group.get(b.page.rel)!;
  if (sa !== sb) return sa > sb;
  const ha = a.page.hits[a.at]!;
  const hb = b.page.hits[b.at]!;
  if (ha.time !== hb.time) return ha.time > hb.time;
  return a.page.rel < b.page.rel;
}

/**
 * Merges per-shard pages newest first. Each shard's page is its newest hits below its position, in
 * (time, rowid) order (leaf.ts), so this is a k-way merge that only ever takes a shard's next hit: what
 * a page takes from a shard is always a prefix, and the positions stay exact (positions.ts). Between
 * shards, the newer slot group, then the later event time, then the shard named first wins.
 */
import type { HitRef, ShardPage } from './leaf.js';

export interface MergedRef extends HitRef {
  shard: string;
}

/** `group`: each shard's slot group (slot-groups.ts), the newer group first */
export function mergeNewestFirst(pages: ShardPage[], group: ReadonlyMap<string, number>, limit: number): MergedRef[] {
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
  return hits;
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

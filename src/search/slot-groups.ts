/**
 * The groups a page reads shards in: shards whose slots overlap are one group, newest group first. A
 * group is read as one k-way merge by event time (merge.ts) and a cursor holds a position per shard of
 * the group it stopped in. Minute shards are each their own slot, or share it across lanes; a merged
 * hour's shard (store/compaction.ts) spans its hour, and the minute shards of lines that arrived for
 * that hour after the merge lie inside it. Read as groups of their own (until session 37), those came
 * wholly before the hour's newer lines, and across a page boundary a late line could sit above lines up
 * to an hour newer.
 */
import type { ShardInfo } from '../store/index.js';

/** Each shard's group, named by the earliest slot start in it. */
export function slotGroups(shards: readonly ShardInfo[]): Map<string, number> {
  const byStart = [...shards].sort((a, b) => a.slotStart - b.slotStart || b.slotEnd - a.slotEnd);
  const group = new Map<string, number>();
  let start = 0;
  let end = -Infinity;
  for (const s of byStart) {
    if (s.slotStart >= end) start = s.slotStart;
    end = Math.max(end, s.slotEnd);
    group.set(s.rel, start);
  }
  return group;
}

/** The shards newest group first; within a group, in the order they came (the catalog's: newest slot, lane, sequence). */
export function inGroupOrder(shards: readonly ShardInfo[], group: ReadonlyMap<string, number>): ShardInfo[] {
  return [...shards].sort((a, b) => group.get(b.rel)! - group.get(a.rel)!);
}

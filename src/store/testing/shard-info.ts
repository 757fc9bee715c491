/** For tests: a catalog entry of a sealed shard of 10 rows at `/x/<rel>`, spanning [slotStart, slotStart + slotMs). */
import type { ShardInfo } from '../catalog-types.js';

export function shardInfo(rel: string, slotStart: number, slotMs: number, over: Partial<ShardInfo> = {}): ShardInfo {
  return {
    rel,
    path: `/x/${rel}`,
    slotStart,
    slotEnd: slotStart + slotMs,
    lane: 0,
    seq: 0,
    rows: 10,
    tmin: slotStart,
    tmax: slotStart + 1,
    bytes: 1,
    sealed: true,
    ...over,
  };
}

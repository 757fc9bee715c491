/** Retention: delete whole sealed shards older than the age limit, then oldest first until under the disk budget. */
import type { Catalog } from './catalog.js';

export interface RetentionPolicy {
  /** keep shards whose slot ended within this many ms; null = no age limit */
  maxAgeMs: number | null;
  /** keep total shard bytes under this; null = no budget */
  maxBytes: number | null;
}

export interface RetentionResult {
  removed: number;
  removedBytes: number;
}

export function applyRetention(catalog: Catalog, policy: RetentionPolicy, now: number): RetentionResult {
  const result: RetentionResult = { removed: 0, removedBytes: 0 };
  catalog.refreshSizes();
  const oldestFirst = catalog.all().reverse();
  let total = oldestFirst.reduce((sum, s) => sum + s.bytes, 0);
  for (const s of oldestFirst) {
    if (!s.sealed) continue;
    const tooOld = policy.maxAgeMs !== null && s.slotEnd <= now - policy.maxAgeMs;
    const overBudget = policy.maxBytes !== null && total > policy.maxBytes;
    if (!tooOld && !overBudget) continue;
    catalog.remove(s.rel);
    total -= s.bytes;
    result.removed++;
    result.removedBytes += s.bytes;
  }
  return result;
}

/**
 * Retention: delete whole sealed shards older than the age limit, then oldest first until under the disk
 * budget; then the relation files of periods that ended before the oldest shard left (derived data goes
 * with the lines it came from).
 */
import type { Catalog } from './catalog.js';
import { removeRelationFilesBefore } from './relation-files.js';
import { removeRollupsBefore } from './relation-rollup.js';

export interface RetentionPolicy {
  /** keep shards whose slot ended within this many ms; null = no age limit */
  maxAgeMs: number | null;
  /** keep total shard bytes under this; null = no budget */
  maxBytes: number | null;
}

export interface RetentionResult {
  removed: number;
  removedBytes: number;
  /** relation files removed with them */
  removedRelationFiles?: number;
}

export function applyRetention(catalog: Catalog, policy: RetentionPolicy, now: number, relationsDir?: string): RetentionResult {
  const result: RetentionResult = { removed: 0, removedBytes: 0 };
  catalog.refreshSizes();
  const oldestFirst = catalog.all().reverse();
  let total = oldestFirst.reduce((sum, s) => sum + s.bytes, 0);
  let removedUpTo: number | null = null;
  for (const s of oldestFirst) {
    if (!s.sealed) continue;
    const tooOld = policy.maxAgeMs !== null && s.slotEnd <= now - policy.maxAgeMs;
    const overBudget = policy.maxBytes !== null && total > policy.maxBytes;
    if (!tooOld && !overBudget) continue;
    catalog.remove(s.rel);
    removedUpTo = Math.max(removedUpTo ?? s.slotEnd, s.slotEnd);
    total -= s.bytes;
    result.removed++;
    result.removedBytes += s.bytes;
  }
  if (relationsDir !== undefined && removedUpTo !== null) {
    // everything before the oldest shard left is gone; with no shard left, everything up to the last one removed
    const left = catalog.all();
    const cutoff = left.length === 0 ? removedUpTo : Math.min(...left.map((s) => s.slotStart));
    const r = removeRelationFilesBefore(relationsDir, cutoff);
    // a day that lost some of its period files: its roll-up no longer matches them
    const d = removeRollupsBefore(relationsDir, cutoff);
    result.removedRelationFiles = r.removed + d.removed;
    result.removedBytes += r.bytes + d.bytes;
  }
  return result;
}

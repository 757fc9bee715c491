/**
 * Retention: delete whole sealed shards older than the age limit, then oldest first until under the disk
 * budget; then the relation files of periods that ended before the oldest shard left (derived data goes
 * with the lines it came from). A shard is old when both its slot (the lines' own time) and its file's
 * last write are past the limit: lines from a device whose clock says 1970, or a log of 2018 replayed
 * today, are kept for the age limit after they arrived, not deleted the minute they were acknowledged.
 */
import type { Catalog } from './catalog.js';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { listRelationFiles, removeRelationFilesBefore } from './relation-files.js';
import { dayDirs, dayFiles, removeRollupsBefore } from './relation-rollup.js';

export interface RetentionPolicy {
  /** keep shards whose slot ended within this many ms; null = no age limit */
  maxAgeMs: number | null;
  /** keep the bytes of shards and of the relation index beside them under this; null = no budget */
  maxBytes: number | null;
}

export interface RetentionResult {
  /** shards removed */
  removed: number;
  /** their bytes, and those of the relation files removed with them */
  removedBytes: number;
  /** the lines the removed shards held (their catalog rows) */
  removedLines: number;
  /** of `removed`, the shards past the age limit; the others went to bring the bytes under the budget */
  removedForAge: number;
  /** relation files removed with them */
  removedRelationFiles?: number;
  /** shards and relation files that could not be deleted (kept, each named in the catalog's problems) */
  failed?: number;
  /** lost shards (files gone, loss not accepted) whose time retention has passed: forgotten, no longer named */
  forgottenLost?: number;
  /** why the pass stopped (an error outside one file); what it removed before that is counted above */
  error?: string;
}

/**
 * Relation index files with their size and the cutoff from which retention removes them: a period file
 * once the cutoff reaches its period's end, a day roll-up once the cutoff passes its day's start.
 */
function relationItems(root: string): { removeAt: number; bytes: number }[] {
  const size = (path: string): number => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const items = listRelationFiles(root, { from: null, to: null }).map((f) => ({ removeAt: f.end, bytes: size(f.path) + size(f.path + '-wal') }));
  for (const { dir, start } of dayDirs(root)) for (const r of dayFiles(dir).rollups) items.push({ removeAt: start + 1, bytes: size(join(dir, r.name)) });
  return items.sort((a, b) => a.removeAt - b.removeAt);
}

/** When a shard file was last written; one that cannot be read counts as written long ago. */
function writtenAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The earliest slot start among `shards`, or null when there is none. A loop, not `Math.min(...)`: a
 * month of one-minute shards over five lanes is 216,000 arguments, past V8's stack (about 130,000).
 */
function oldestStart(shards: readonly { slotStart: number }[]): number | null {
  let min: number | null = null;
  for (const s of shards) if (min === null || s.slotStart < min) min = s.slotStart;
  return min;
}

/** A pass that removed nothing (yet). */
export function noRetention(): RetentionResult {
  return { removed: 0, removedBytes: 0, removedLines: 0, removedForAge: 0 };
}

/** One pass; counts into `result` as it goes, so a pass that throws part-way leaves what it removed counted there. */
export function applyRetention(catalog: Catalog, policy: RetentionPolicy, now: number, relationsDir?: string, result: RetentionResult = noRetention()): RetentionResult {
  catalog.refreshSizes();
  const oldestFirst = catalog.all().reverse();
  let total = oldestFirst.reduce((sum, s) => sum + s.bytes, 0);
  // the relation index counts against the byte budget; its files go as the shards before them go
  const rel = policy.maxBytes !== null && relationsDir !== undefined ? relationItems(relationsDir) : [];
  total += rel.reduce((sum, r) => sum + r.bytes, 0);
  let relGone = 0;
  let removedUpTo: number | null = null;
  // the start of the oldest shard kept so far (shards come oldest first)
  let keptFrom = Infinity;
  for (let k = 0; k < oldestFirst.length; k++) {
    const s = oldestFirst[k]!;
    const tooOld = policy.maxAgeMs !== null && s.slotEnd <= now - policy.maxAgeMs && writtenAt(s.path) <= now - policy.maxAgeMs;
    const overBudget = policy.maxBytes !== null && total > policy.maxBytes;
    const due = s.sealed && (tooOld || overBudget);
    // a shard that cannot be deleted is kept (the catalog's problems say why), and the pass goes on
    const gone = due && catalog.remove(s.rel);
    if (!gone) {
      if (due) result.failed = (result.failed ?? 0) + 1;
      keptFrom = Math.min(keptFrom, s.slotStart);
      continue;
    }
    removedUpTo = Math.max(removedUpTo ?? s.slotEnd, s.slotEnd);
    total -= s.bytes;
    result.removed++;
    result.removedBytes += s.bytes;
    result.removedLines += s.rows;
    if (tooOld) result.removedForAge++;
    // what the relation cleanup below will take with it, as things stand now
    const next = oldestFirst[k + 1];
    const cutoff = Math.min(keptFrom, next === undefined ? removedUpTo : next.slotStart);
    while (relGone < rel.length && rel[relGone]!.removeAt <= cutoff) total -= rel[relGone++]!.bytes;
  }
  // a lost shard older than the age limit, or than everything the byte budget removed, would be gone by now
  const ageCut = policy.maxAgeMs === null ? -Infinity : now - policy.maxAgeMs;
  const budgetCut = removedUpTo === null ? -Infinity : (oldestStart(catalog.all()) ?? removedUpTo);
  const forgotten = catalog.forgetLostBefore(Math.max(ageCut, budgetCut));
  if (forgotten > 0) result.forgottenLost = forgotten;
  if (relationsDir !== undefined && removedUpTo !== null) {
    // everything before the oldest shard left is gone; with no shard left, everything up to the last one removed
    const cutoff = oldestStart(catalog.all()) ?? removedUpTo;
    const r = removeRelationFilesBefore(relationsDir, cutoff);
    // a day that lost some of its period files: its roll-up no longer matches them
    const d = removeRollupsBefore(relationsDir, cutoff);
    result.removedRelationFiles = r.removed + d.removed;
    result.removedBytes += r.bytes + d.bytes;
    const failures = [...r.failures, ...d.failures];
    for (const f of failures) catalog.problem(`store: retention could not delete relation index file ${f}; it is kept: check that nml may write its folder and that the disk is not read-only`);
    if (failures.length > 0) result.failed = (result.failed ?? 0) + failures.length;
  }
  return result;
}

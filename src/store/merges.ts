/**
 * At open, what the merged shards on disk replaced (see compaction.ts): those files are not shards any
 * more, whatever the catalog file says. A writer deletes the ones still there: a merge interrupted after
 * its rename (a crash, a stop) leaves its sources until here, and they hold only lines the merged shard has.
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseShardRelPath } from './slots.js';
import { replacedBy } from './shard-merge.js';

export interface SettledMerges {
  /** every rel some merged shard on disk replaced (transitively) */
  replaced: Set<string>;
  /** each merged shard's `replaces` */
  byMerged: Map<string, string[]>;
}

export function settleMerges(shardsDir: string, onDisk: ReadonlySet<string>, writable: boolean, problem: (message: string) => void): SettledMerges {
  const out: SettledMerges = { replaced: new Set(), byMerged: new Map() };
  for (const rel of onDisk) {
    if (parseShardRelPath(rel)?.merged !== true) continue;
    let sources: string[];
    try {
      sources = replacedBy(join(shardsDir, rel));
    } catch {
      continue; // a damaged merged shard: reconciliation names it; its sources, if any are left, stay listed
    }
    out.byMerged.set(rel, sources);
    for (const s of sources) out.replaced.add(s);
  }
  if (!writable) return out;
  for (const rel of out.replaced) {
    if (!onDisk.has(rel)) continue;
    try {
      unlinkSync(join(shardsDir, rel));
    } catch (e) {
      problem(`store: shard ${rel}, merged into an hour's shard, could not be deleted (${(e as Error).message}); it is not searched, and the next start tries again`);
    }
  }
  return out;
}

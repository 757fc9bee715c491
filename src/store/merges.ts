/**
 * At open, what the merged shards on disk replaced (see compaction.ts): those files are not shards any
 * more, whatever the catalog file says. A writer deletes the ones still there: a merge interrupted after
 * its rename (a crash, a stop) leaves its sources until here, and they hold only lines the merged shard has.
 * A writer also deletes the temporary files of merges interrupted before their rename (removeMergeTemps).
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

/**
 * Deletes merges' temporary files (`YYYY/MM/DD/HH/hour-<seq>.db.tmp` and its -journal, -wal, -shm; the
 * rels listed by listShardFiles) that a stop or a crash in the middle of a merge left: until here only a
 * later merge of the same hour removed them. For a writer's open only: no merge runs then. Another
 * process cannot be merging (the data directory's lock, lock.ts: a writer opens its catalog once it holds
 * it, and takes it over only from a dead owner, whose merge worker died with it), and this one starts its
 * merges after the open (one Store per data directory and process: the lock lets its own process in
 * again; were a merge's file deleted under it, that merge would fail before its rename, its hour kept as
 * it is). A reader (the CLI beside a running server) must not: the server may be merging.
 */
export function removeMergeTemps(shardsDir: string, temps: readonly string[], problem: (message: string) => void): void {
  for (const rel of temps) {
    try {
      unlinkSync(join(shardsDir, rel));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      problem(`store: ${rel}, the temporary file of a merge that was stopped, could not be deleted (${(e as Error).message}); it holds no line of its own, and the next start or merge of its hour tries again`);
    }
  }
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

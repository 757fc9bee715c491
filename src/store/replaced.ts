/**
 * Which shard files a merged shard replaced (its meta `replaces`, transitive: a re-merge lists what the
 * merge before it did). Those names are never written again: a late line for a compacted minute goes to
 * a new sequence number, so a leftover source (a crash between the merge's rename and the deletion of
 * its sources) can always be told from a file holding lines no merge has seen.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MERGED_NAME } from './slots.js';
import { replacedBy } from './shard-merge.js';

/** The rels (relative to `shardsDir`) replaced by the merged shards of the folder `folderRel`; empty when it has none. */
export function replacedIn(shardsDir: string, folderRel: string): Set<string> {
  const out = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(join(shardsDir, folderRel));
  } catch {
    return out; // no folder yet: nothing merged there
  }
  for (const name of names) {
    if (!MERGED_NAME.test(name)) continue;
    try {
      for (const rel of replacedBy(join(shardsDir, folderRel, name))) out.add(rel);
    } catch {
      // a merged file that cannot be read is the catalog's to report (damaged shard); its names stay free
    }
  }
  return out;
}

/** Opens the investigator of a configuration: the store's relation index plus the blocklist and article folders. */
import { join, resolve } from 'node:path';
import { Articles, Blocklists, Investigator } from './investigate/index.js';
import { RelationIndex } from './store/index.js';
import type { NmlConfig } from './config-types.js';
import { builtInBlocklist } from './demo-blocklist.js';

export function investigateDirs(config: Readonly<NmlConfig>): { blocklists: string; articles: string } {
  const data = resolve(config.dataDir);
  const inv = config.investigate;
  return {
    blocklists: inv?.blocklistsDir ?? join(data, 'blocklists'),
    articles: inv?.articlesDir ?? join(data, 'articles'),
  };
}

/**
 * The investigator over a data directory (read-only: it may be beside a running server). Blocklists
 * and articles start loading at once (`ready` resolves when loaded); with `watch`, a change in either
 * folder reloads it. The configuration's built-in blocklist (the demo's) is held beside the folder's here,
 * for every caller: until 2026-12 each passed it, and `nml pivot` did not, so its pivots of a demo host
 * flagged none of the command-and-control domains the server's Investigate page flagged.
 */
export function openInvestigator(config: Readonly<NmlConfig>, watch = false): { investigator: Investigator; relations: RelationIndex; ready: Promise<unknown>; close(): void } {
  const dirs = investigateDirs(config);
  const relations = new RelationIndex(resolve(config.dataDir));
  const investigator = new Investigator({ relations, blocklists: new Blocklists(dirs.blocklists, builtInBlocklist(config)), articles: new Articles(dirs.articles) });
  const ready = investigator.reload();
  if (watch) {
    investigator.blocklists.watch();
    investigator.articles.watch();
  }
  return {
    investigator,
    relations,
    ready,
    close: () => {
      investigator.close();
      relations.close();
    },
  };
}

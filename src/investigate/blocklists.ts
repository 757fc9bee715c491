/** The configured blocklist folder as one reloadable Blocklist, plus a list built in by the caller (the demo's). */
import { Blocklist, type BlocklistCounts } from './blocklist.js';
import { addIndicator, blocklistFiles, loadBlocklistFile, type BlocklistFileStatus } from './blocklist-load.js';
import { FolderSource, type FolderStatus } from './folder-source.js';

/** A list held in memory, not in the folder: `nml serve --demo`'s command-and-control domains. */
export interface BuiltInList {
  /** the list's name, as hits show it */
  name: string;
  /** what `describe()` says it is, in place of a file name */
  about: string;
  indicators: readonly string[];
}

function addBuiltIn(bl: Blocklist, list: BuiltInList): BlocklistFileStatus {
  let entries = 0;
  for (const v of list.indicators) if (addIndicator(bl, v, list.name)) entries++;
  return { file: list.about, format: 'plain', entries, skipped: list.indicators.length - entries };
}

export interface BlocklistStatus extends FolderStatus {
  counts: BlocklistCounts;
  files: BlocklistFileStatus[];
}

export async function loadBlocklistDir(dir: string): Promise<{ value: Blocklist; details: BlocklistFileStatus[] }> {
  const bl = new Blocklist();
  const files: BlocklistFileStatus[] = [];
  for (const path of blocklistFiles(dir)) files.push(await loadBlocklistFile(path, bl));
  return { value: bl, details: files };
}

export class Blocklists extends FolderSource<Blocklist, BlocklistFileStatus[]> {
  /** the built-in list's status (null: none) */
  private readonly builtIn: BlocklistFileStatus | null;

  /** `builtIn` is in every value, the folder's files or none (a missing folder) beside it. */
  constructor(dir: string | null, builtIn: BuiltInList | null = null) {
    const empty = new Blocklist();
    const status = builtIn === null ? null : addBuiltIn(empty, builtIn);
    super(dir, empty, async (d) => {
      const r = await loadBlocklistDir(d);
      if (builtIn !== null) addBuiltIn(r.value, builtIn);
      return r;
    });
    this.builtIn = status;
  }

  describe(): BlocklistStatus {
    const files = this.details ?? [];
    return { ...this.status, counts: this.value.counts(), files: this.builtIn === null ? files : [...files, this.builtIn] };
  }
}

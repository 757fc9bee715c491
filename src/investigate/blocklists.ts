/** The configured blocklist folder as one reloadable Blocklist. */
import { Blocklist, type BlocklistCounts } from './blocklist.js';
import { blocklistFiles, loadBlocklistFile, type BlocklistFileStatus } from './blocklist-load.js';
import { FolderSource, type FolderStatus } from './folder-source.js';

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
  constructor(dir: string | null) {
    super(dir, new Blocklist(), loadBlocklistDir);
  }

  describe(): BlocklistStatus {
    return { ...this.status, counts: this.value.counts(), files: this.details ?? [] };
  }
}

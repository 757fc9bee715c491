/** Opening the store and searcher for CLI commands that work on a data directory directly. */
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { AppError } from '../core/index.js';
import { Catalog } from '../store/index.js';
import { Searcher } from '../search/index.js';
import { resolveConfig, envPatch, filePatch, type ConfigPatch, type NmlConfig } from '../config.js';

export interface CommonFlags {
  data?: string;
  config?: string;
}

export function loadConfig(flags: CommonFlags, extra: ConfigPatch = {}): Readonly<NmlConfig> {
  const patches: ConfigPatch[] = [];
  if (flags.config !== undefined) patches.push(filePatch(flags.config));
  patches.push(envPatch(process.env));
  if (flags.data !== undefined) patches.push({ dataDir: flags.data });
  patches.push(extra);
  return resolveConfig(...patches);
}

/** A searcher over a data directory that another process may be writing (no lock, no recovery). */
export function openReader(config: Readonly<NmlConfig>): { searcher: Searcher; catalog: Catalog; close(): Promise<void> } {
  const dir = resolve(config.dataDir);
  if (!existsSync(dir)) {
    throw new AppError('STORE_NOT_FOUND', 'not_found', `store: no data directory at ${dir}; ingest something first or pass --data DIR`, { dataDir: dir });
  }
  const catalog = new Catalog(dir, config.store.slotMs, false);
  const searcher = new Searcher(catalog, config.search.threads);
  return {
    searcher,
    catalog,
    close: async () => {
      await searcher.close();
      catalog.close();
    },
  };
}

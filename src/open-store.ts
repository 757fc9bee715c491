/** Opens the writable store of a configuration, with the writer lanes that parse (see writer.worker.ts). */
import { resolve } from 'node:path';
import { Store } from './store/index.js';
import { timeZoneMinutes, type NmlConfig } from './config.js';

// from source (tsx: this file is .ts) the worker is the .ts file; workers inherit `--import tsx`
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
export const WRITER_WORKER = new URL(`./writer.worker${EXT}`, import.meta.url);

export function openStore(config: Readonly<NmlConfig>): Store {
  return new Store(resolve(config.dataDir), config.store, WRITER_WORKER, { timeZone: timeZoneMinutes(config.parse.timeZone) });
}

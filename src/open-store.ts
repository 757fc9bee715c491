/** Opens the writable store of a configuration, with the writer lanes that parse (see writer.worker.ts). */
import { resolve } from 'node:path';
import { Store, type StoreHooks } from './store/index.js';
import { timeZoneMinutes } from './config.js';
import type { NmlConfig } from './config-types.js';
import { refusePseudoDataDir } from './disk-path.js';

// from source (tsx: this file is .ts) a bootstrap registers tsx in the worker first
export const WRITER_WORKER = new URL(import.meta.url.endsWith('.ts') ? './writer.worker.dev.mjs' : './writer.worker.js', import.meta.url);

/** `hooks.onProblem`: where the store's runtime failures go (the server's log); without it, process warnings. */
export function openStore(config: Readonly<NmlConfig>, hooks: StoreHooks = {}): Store {
  // the Store makes its folder with a recursive mkdir, which never ends below /proc on Node 20
  refusePseudoDataDir(config.dataDir);
  return new Store(resolve(config.dataDir), config.store, WRITER_WORKER, { timeZone: timeZoneMinutes(config.parse.timeZone) }, hooks);
}

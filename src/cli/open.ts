/** Opening the store and searcher for CLI commands that work on a data directory directly. */
import { join, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { AppError, describeCause, errnoOf, isWrongPath } from '../core/index.js';
import { Catalog } from '../store/index.js';
import { Searcher } from '../search/index.js';
import { resolveConfig, filePatch } from '../config.js';
import { envPatch, unknownEnvNames } from '../config-env.js';
import type { ConfigPatch, NmlConfig } from '../config-types.js';
import { refusePseudoDataDir } from '../disk-path.js';

/** `--data`'s help, the same in every command: where the directory comes from when the flag is not given */
export const DATA_HELP = 'data directory (default: $NML_DATA, else dataDir in --config, else ./nml-data)';

export interface CommonFlags {
  data?: string;
  config?: string;
}

/**
 * The configuration: defaults ← `--config` ← environment ← flags ← `extra`. Its data directory is
 * refused (STORE_DATA_DIR) when on a kernel pseudo-filesystem such as /proc, before anything is made
 * there, unless `usesData` is false (a command that only reads settings from it).
 */
export function loadConfig(flags: CommonFlags, extra: ConfigPatch = {}, usesData = true): Readonly<NmlConfig> {
  const patches: ConfigPatch[] = [];
  if (flags.config !== undefined) patches.push(filePatch(flags.config));
  patches.push(envPatch(process.env));
  warnUnknownEnv();
  if (flags.data !== undefined) patches.push({ dataDir: flags.data });
  patches.push(extra);
  const config = resolveConfig(...patches);
  if (usesData) refusePseudoDataDir(config.dataDir, dataDirSource(flags));
  return config;
}

/** Where the data directory came from, said in an error about it. */
function dataDirSource(flags: CommonFlags): string {
  if (flags.data !== undefined) return '--data';
  if (process.env['NML_DATA'] !== undefined) return 'NML_DATA';
  return flags.config === undefined ? 'the default' : `dataDir of ${flags.config}, or the default`;
}

let envWarned = false;

/** Says once, on stderr, which NML_ variables are set that nothing reads (a typo would be ignored silently). */
function warnUnknownEnv(): void {
  if (envWarned) return;
  envWarned = true;
  for (const { name, like } of unknownEnvNames(process.env)) {
    process.stderr.write(`nml: warning: environment variable ${name} is not an NML setting and is ignored${like === null ? '' : `; did you mean ${like}?`}\n`);
  }
}

/**
 * A searcher over a data directory that another process may be writing (no lock, no recovery). The
 * directory must hold an NML store already: a read command creates nothing.
 */
export function openReader(config: Readonly<NmlConfig>): { searcher: Searcher; catalog: Catalog; close(): Promise<void> } {
  const dir = resolve(config.dataDir);
  requireStore(dir);
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

/** True when `path` is a directory (false when it is anything else, is not there, or cannot be looked at). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Throws unless `dir` is an existing directory: a read command creates nothing, so a misspelt --data is
 * told, not answered as empty. Missing, or a file, is the command line's mistake (bad_request: exit 2);
 * a directory that cannot be read is not (unavailable, `unreadable`'s code: exit 1). `what`: the
 * message's prefix (`store`, `assist`); `fill`: the command that fills the directory.
 */
export function requireDataDir(dir: string, what: string, code: string, fill: string, unreadable = code): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    if (isWrongPath(e)) throw new AppError(code, 'bad_request', `${what}: no data directory at ${dir}; ${fill} first or pass --data DIR`, { dataDir: dir });
    const errno = errnoOf(e);
    const advice = errno === 'EACCES' || errno === 'EPERM' ? "run nml as the user that owns it (the one nml serve runs as), or give this user the access to it and the folders above it (chown, chmod)" : 'check the path and the disk it is on';
    throw new AppError(unreadable, 'unavailable', `${what}: cannot read data directory ${dir}: ${describeCause(e)}; ${advice}`, { dataDir: dir }, e);
  }
  if (!isDir) throw new AppError(code, 'bad_request', `${what}: ${dir} is a file, not a data directory; pass --data DIR, the directory that nml serve or nml ingest keeps its data in`, { dataDir: dir });
}

/** True when `dir` holds an NML store: its `catalog.db`, or its `shards/` (the catalog is rebuilt from them). */
export function hasStore(dir: string): boolean {
  return existsSync(join(dir, 'catalog.db')) || existsSync(join(dir, 'shards'));
}

/**
 * Throws unless `dir` is a directory with an NML store in it: its `catalog.db` (which the writer makes
 * when it opens the directory, before any line, so a fresh store from `nml serve` has one) or, should
 * that have been lost, its `shards/` (the catalog is rebuilt from them). A folder without either is not
 * a data directory the user meant (bad_request), as a missing one is.
 */
export function requireStore(dir: string): void {
  requireDataDir(dir, 'store', 'STORE_NOT_FOUND', 'ingest something', 'STORE_DATA_DIR');
  if (!hasStore(dir)) {
    throw new AppError(
      'STORE_NOT_FOUND',
      'bad_request',
      `store: ${dir} holds no NML data (no catalog.db); store lines there first (nml ingest FILE --data ${dir}, or nml serve --data ${dir}) or pass --data DIR of an existing store`,
      { dataDir: dir },
    );
  }
}

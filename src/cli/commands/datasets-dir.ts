import { statSync } from 'node:fs';
import { AppError } from '../../core/index.js';
/**
 * Where the commands that read the shared datasets (train, eval, trends, assist) look by default:
 * `NML_DATASETS` when set, else `../shared/datasets` (the folder beside a checkout). Each command's
 * `--datasets` (or `--data-dir`) overrides it.
 */
export function datasetsDefault(env: NodeJS.ProcessEnv = process.env): string {
  return datasetsFromEnv(env) ?? '../shared/datasets';
}

/** `NML_DATASETS` when set and not blank, else null. */
export function datasetsFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env['NML_DATASETS'];
  return set !== undefined && set.trim() !== '' ? set : null;
}

export const DEFAULT_DATASETS = datasetsDefault();

/**
 * The datasets folder a train or eval command was given, checked before anything is read: a file there
 * (or a --datasets that names none) was said as "no urls-… under FILE" or "no real capture under FILE",
 * which reads as a folder missing some of its contents. `given`: named on the command line (a default
 * that is not there is left to the loader, which says where it looked and how to point elsewhere).
 */
export function checkDatasetsDir(path: string, given: boolean, code: 'URL_DATA_MISSING' | 'SYN_DATASET_MISSING', holds: string, orElse = ''): void {
  let dir: boolean;
  try {
    dir = statSync(path).isDirectory();
  } catch {
    if (given) throw new AppError(code, 'bad_request', `--datasets ${path}: there is no such folder; give the folder that holds ${holds}${orElse}`, { datasets: path });
    return;
  }
  if (!dir) throw new AppError(code, 'bad_request', `--datasets ${path} is a file, not a folder; give the folder that holds ${holds}${orElse}`, { datasets: path });
}

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

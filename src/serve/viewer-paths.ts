/**
 * The server's folders are an operator's business: a viewer reads what the server does, not where it keeps
 * it (as `/api/pivot/sources` hides its folders). `/api/stats` and `/api/live` give a viewer's session the
 * scheduled backups without `backup.dir`, the backups' folders and the paths in a failed run's message, and
 * the store's problems (a SQLite error may name a file) with their absolute paths said "(a path)". An
 * analyst, an admin and the API token read them whole. A followed file's path stays: each of its lines
 * carries it as its source (`file:/var/log/…`), which a viewer searches anyway.
 */
import type { ApiBackupRun, ApiBackupStats, StatsResponse } from './api.js';

// an absolute path: at the start, or after a space, a bracket, a quote or '='; up to a space, ';', ',', a bracket,
// a quote, or a ':' that ends a clause ("backup.dir /x: EACCES")
const ABSOLUTE_PATH = /(^|[\s(['"=])\/[^\s;,()[\]'"]*?(?=$|[\s;,()[\]'"]|:(?:\s|$))/g;

/** The text with each absolute path in it said as "(a path)": a message stays readable, its folders gone. */
export function withoutPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, '$1(a path)');
}

function runForViewer(run: ApiBackupRun): ApiBackupRun {
  return { ...run, folder: null, pruned: [], error: run.error === null ? null : withoutPaths(run.error) };
}

/** The scheduled backups' state as a viewer reads it: counts, times and codes, no paths. */
export function backupForViewer(b: ApiBackupStats): ApiBackupStats {
  return {
    ...b,
    dir: null,
    lastSuccess: b.lastSuccess === null ? null : { ...b.lastSuccess, folder: null },
    lastRun: b.lastRun === null ? null : runForViewer(b.lastRun),
  };
}

/** The store's problem lines as a viewer reads them: each absolute path said "(a path)". */
export function problemsForViewer(problems: string[]): string[] {
  return problems.map(withoutPaths);
}

/** `/api/stats` as a viewer reads it: the backups without paths, the store's problems and retention error without them. */
export function statsForViewer(s: StatsResponse): StatsResponse {
  const store = { ...s.store, problems: problemsForViewer(s.store.problems), retentionError: s.store.retentionError === null ? null : withoutPaths(s.store.retentionError) };
  return { ...s, store, ...(s.backup === undefined ? {} : { backup: backupForViewer(s.backup) }) };
}

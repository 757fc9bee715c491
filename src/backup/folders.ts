/**
 * The folders of scheduled backups in `backup.dir`: each run writes `.nml-backup-<time>.partial-<pid>`
 * and renames it to `nml-backup-<time>` only once its manifest is written and it verified, so a folder of
 * that name is always a finished, verified backup and a partial one is told by its name (and its pid: a
 * partial folder of a process no longer running, or of this process outside a run, is removed). Pruning
 * counts only the backups whose manifest names this data directory as their source: another server's
 * backups in the same folder, and folders nml cannot read as its own, are never removed.
 */
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncFolderOfSync } from '../core/index.js';
import { pidAlive } from '../store/index.js';
import { readManifest } from './manifest.js';

const FINISHED = /^nml-backup-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)(?:-(\d+))?$/;
const PARTIAL = /^\.nml-backup-.*\.partial-(\d+)$/;

/** One finished backup of this data directory in the folder. */
export interface KeptBackup {
  name: string;
  path: string;
  startedAt: number;
  finishedAt: number;
  files: number;
  bytes: number;
}

/** `nml-backup-2026-12-08T01-02-03-456Z` for a run started at `at`, with `-N` when that name is taken. */
export function backupName(at: number, taken: ReadonlySet<string>): string {
  const base = `nml-backup-${new Date(at).toISOString().replace(/[:.]/g, '-')}`;
  if (!taken.has(base)) return base;
  for (let n = 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The name a run writes under until its backup verified. */
export function partialName(name: string, pid = process.pid): string {
  return `.${name}.partial-${pid}`;
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Every name in `dir` (for `backupName`'s `taken`). */
export function namesIn(dir: string): Set<string> {
  return new Set(names(dir));
}

/** The finished backups of `source` in `dir`, oldest first; those whose manifest does not read are not nml's to count or remove. */
export function keptBackups(dir: string, source: string): KeptBackup[] {
  const out: KeptBackup[] = [];
  for (const name of names(dir)) {
    if (!FINISHED.test(name)) continue;
    const path = join(dir, name);
    try {
      const m = readManifest(path);
      if (m.source !== source) continue;
      const startedAt = Date.parse(m.startedAt);
      const finishedAt = Date.parse(m.finishedAt);
      if (!Number.isFinite(startedAt) || !Number.isFinite(finishedAt)) continue;
      out.push({ name, path, startedAt, finishedAt, files: m.files.length, bytes: m.files.reduce((n, f) => n + f.bytes, 0) });
    } catch {
      // not a finished backup nml can read: left as it is
    }
  }
  return out.sort((a, b) => a.startedAt - b.startedAt || (a.name < b.name ? -1 : 1));
}

/**
 * Removes the partial folders no run is writing: of a process that no longer runs (a server killed in a
 * run) or of this one (a run cut by a failure), but for `current`. Returns the names removed.
 */
export function removePartials(dir: string, current: string | null = null): string[] {
  const removed: string[] = [];
  for (const name of names(dir)) {
    const m = PARTIAL.exec(name);
    if (m === null || name === current) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && pidAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The verified partial folder under its finished name, the rename synced into the folder. */
export function finish(dir: string, partial: string, name: string): string {
  const to = join(dir, name);
  renameSync(join(dir, partial), to);
  syncFolderOfSync(to);
  return to;
}

/** Removes the oldest of `source`'s backups past the newest `keep`; returns those removed. */
export function prune(dir: string, source: string, keep: number): KeptBackup[] {
  const all = keptBackups(dir, source);
  const old = all.slice(0, Math.max(0, all.length - keep));
  for (const b of old) rmSync(b.path, { recursive: true, force: true });
  return old;
}

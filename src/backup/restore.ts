/**
 * `nml restore`: a backup, verified first, copied into an empty data directory. The directory's lock is
 * held while it is filled, so nml serve or ingest cannot start on it half-restored, and one running there
 * already is refused (STORE_LOCKED). A copy that fails part-way removes what it wrote.
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError, describeCause, isAppError, isWrongPath } from '../core/index.js';
import { DataDirLock } from '../store/index.js';
import { FILE_MODE, FOLDER_MODE, fsyncFile, makeFolderOf, statNamed } from './copy.js';
import type { Manifest } from './manifest.js';
import { verifyBackup } from './verify.js';

export interface RestoreResult {
  dataDir: string;
  manifest: Manifest;
  files: number;
  bytes: number;
}

/** Verifies `backupDir`, then fills the empty (or new) `dataDir` with it. */
export function restoreBackup(backupDir: string, target: string): RestoreResult {
  const dir = resolve(backupDir);
  const dataDir = resolve(target);
  const report = verifyBackup(dir);
  if (report.problems.length > 0) {
    const shown = report.problems.slice(0, 5).join('; ') + (report.problems.length > 5 ? `; and ${report.problems.length - 5} more` : '');
    throw new AppError('BACKUP_VERIFY_FAILED', 'conflict', `restore: the backup in ${dir} does not verify (${shown}); nothing was restored. Run nml backup verify ${dir} for the whole report, and restore an older backup`, { dir, problems: report.problems.length });
  }
  const st = statNamed(dataDir, 'BACKUP_RESTORE_TARGET_NOT_EMPTY', 'restore');
  if (st !== undefined && !st.isDirectory()) throw notEmpty(dataDir, 'is a file');
  try {
    mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
  } catch (e) {
    throw new AppError('BACKUP_COPY_FAILED', isWrongPath(e) ? 'bad_request' : 'unavailable', `restore: cannot make the data directory ${dataDir}: ${describeCause(e)}; give --data a new folder in one that exists`, { dataDir }, e);
  }
  const lock = new DataDirLock(dataDir);
  // a running nml serve or ingest holds it: STORE_LOCKED names the process
  lock.acquire();
  const written: string[] = [];
  try {
    const there = readdirSync(dataDir).filter((n) => n !== 'nml.lock');
    if (there.length > 0) throw notEmpty(dataDir, `holds ${there.length} entr${there.length === 1 ? 'y' : 'ies'} (${there.slice(0, 3).join(', ')}${there.length > 3 ? ', …' : ''})`);
    chmodSync(dataDir, FOLDER_MODE);
    let bytes = 0;
    const folders = new Set<string>([dataDir]);
    for (const f of report.manifest.files) {
      const dest = join(dataDir, f.path);
      makeFolderOf(dest);
      copyFileSync(join(dir, f.path), dest);
      written.push(f.path);
      chmodSync(dest, FILE_MODE);
      utimesSync(dest, new Date(f.mtimeMs), new Date(f.mtimeMs));
      fsyncFile(dest);
      folders.add(join(dest, '..'));
      bytes += f.bytes;
    }
    for (const d of folders) fsyncFile(d, true);
    return { dataDir, manifest: report.manifest, files: written.length, bytes };
  } catch (e) {
    // the folder was empty: what is in it now is this restore's, and half a data directory must not be started
    for (const name of new Set(written.map((p) => p.split('/')[0]!))) rmSync(join(dataDir, name), { recursive: true, force: true });
    if (isAppError(e)) throw e;
    throw new AppError('BACKUP_COPY_FAILED', 'unavailable', `restore: cannot copy into ${dataDir}: ${describeCause(e)}; check its space and permissions (what was copied is removed again)`, { dataDir }, e);
  } finally {
    lock.release();
  }
}

function notEmpty(dataDir: string, why: string): AppError {
  return new AppError('BACKUP_RESTORE_TARGET_NOT_EMPTY', 'bad_request', `restore: ${dataDir} ${why}; restore into a new or empty folder (a restore never mixes with or replaces data: move the old directory aside first)`, { dataDir });
}

/** What to do after a restore, as printed lines. */
export function nextSteps(r: RestoreResult): string[] {
  const m = r.manifest;
  const lines = [
    `restored ${r.files} files (${(r.bytes / 1e6).toFixed(1)} MB) from the backup of ${m.source} taken ${m.startedAt} (nml ${m.nmlVersion}) into ${r.dataDir}`,
    `next: nml serve --data ${r.dataDir} (with your configuration file: it is not part of the backup); the first start measures the shards the backup's catalog does not name yet`,
  ];
  if (!m.secrets.included) lines.push(`secrets: ${m.secrets.onRestore}`);
  if (m.catalogRowsDropped.length > 0) lines.push(`${m.catalogRowsDropped.length} shards nml deleted while the backup ran (retention or merges) are not in it`);
  return lines;
}

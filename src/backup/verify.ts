/**
 * `nml backup verify`: every file of a backup against its manifest (present, size, SHA-256), nothing
 * there the manifest does not name, and each database opened read-only and checked (`PRAGMA quick_check`).
 */
import { readdirSync, lstatSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/index.js';
import { openForReading } from '../store/index.js';
import { sha256File, statNamed } from './copy.js';
import { MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';

export interface VerifyReport {
  dir: string;
  manifest: Manifest;
  /** files whose size and hash matched */
  checked: number;
  /** databases that passed quick_check */
  databases: number;
  bytes: number;
  /** one line each: `<path>: what is wrong` */
  problems: string[];
}

/** Throws BACKUP_NOT_FOUND unless `dir` is a folder. */
export function requireBackupDir(dir: string): void {
  const st = statNamed(dir, 'BACKUP_NOT_FOUND', 'backup');
  if (st === undefined) throw new AppError('BACKUP_NOT_FOUND', 'bad_request', `backup: no folder at ${dir}; give the folder nml backup --out wrote`, { dir });
  if (!st.isDirectory()) throw new AppError('BACKUP_NOT_FOUND', 'bad_request', `backup: ${dir} is a file, not a backup folder; give the folder nml backup --out wrote`, { dir });
}

function isSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(16);
    return readSync(fd, b, 0, 16, 0) === 16 && b.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

/** The files under `dir`, relative and `/`-separated (links and other non-files too, so they are reported). */
function present(dir: string, rel = '', out: string[] = []): string[] {
  for (const name of readdirSync(join(dir, rel))) {
    const r = rel === '' ? name : `${rel}/${name}`;
    if (lstatSync(join(dir, r)).isDirectory()) present(dir, r, out);
    else out.push(r);
  }
  return out;
}

function quickCheck(path: string): string | null {
  try {
    const db = openForReading(path);
    try {
      const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
      return rows.length === 1 && rows[0]!.quick_check === 'ok' ? null : rows.slice(0, 3).map((r) => r.quick_check).join('; ');
    } finally {
      db.close();
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/** Checks the backup in `dir`; never throws for what it finds in the files (those are `problems`), only for a missing folder or manifest. */
export function verifyBackup(dir: string): VerifyReport {
  requireBackupDir(dir);
  const manifest = readManifest(dir);
  const report: VerifyReport = { dir, manifest, checked: 0, databases: 0, bytes: 0, problems: [] };
  const named = new Set(manifest.files.map((f) => f.path));
  for (const rel of present(dir)) if (rel !== MANIFEST_FILE && !named.has(rel)) report.problems.push(`${rel}: not named in the manifest (added after the backup was taken)`);
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined) {
      report.problems.push(`${f.path}: missing`);
      continue;
    }
    if (!st.isFile()) {
      report.problems.push(`${f.path}: not a plain file`);
      continue;
    }
    if (st.size !== f.bytes) {
      report.problems.push(`${f.path}: ${st.size} bytes, the manifest says ${f.bytes} (cut short or changed)`);
      continue;
    }
    if (sha256File(path) !== f.sha256) {
      report.problems.push(`${f.path}: its SHA-256 differs from the manifest's (changed or damaged)`);
      continue;
    }
    report.checked++;
    report.bytes += f.bytes;
    if (!isSqlite(path)) continue;
    const bad = quickCheck(path);
    if (bad === null) report.databases++;
    else report.problems.push(`${f.path}: SQLite quick_check failed: ${bad}`);
  }
  return report;
}

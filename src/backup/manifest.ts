/**
 * The backup's MANIFEST.json: what `nml backup` wrote (every file, its size and SHA-256, how it was
 * copied), from where and when, whether secrets are in it, and what restore does about those that are
 * not. Written last, whole: a folder without one is no finished backup. Read back with every field checked,
 * so a cut or edited manifest is refused by name, never half-trusted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/index.js';

export const MANIFEST_FILE = 'MANIFEST.json';
export const BACKUP_FORMAT = 'nml-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** `sqlite`: copied with SQLite's online backup (a snapshot of one transaction); `copy`: a file never written again, copied as it is */
export type CopyHow = 'sqlite' | 'copy';

export interface ManifestFile {
  /** relative to the backup (and to the data directory), `/`-separated */
  path: string;
  bytes: number;
  sha256: string;
  how: CopyHow;
  /** the source file's modification time (ms), given back on restore: relation roll-ups and retention read it */
  mtimeMs: number;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  nmlVersion: string;
  source: string;
  startedAt: string;
  finishedAt: string;
  /** the pid that held nml.lock when the backup started (a running nml serve or ingest), null: none */
  writerPid: number | null;
  secrets: { included: boolean; excluded: string[]; onRestore: string };
  consistency: string;
  /** catalog rows of shards the server deleted (retention, compaction) between the catalog's copy and the shard's */
  catalogRowsDropped: string[];
  /** what was left out on purpose, and why */
  skipped: Array<{ path: string; why: string }>;
  files: ManifestFile[];
}

function invalid(dir: string, why: string): AppError {
  return new AppError('BACKUP_MANIFEST_INVALID', 'bad_request', `backup: ${join(dir, MANIFEST_FILE)} ${why}; give the folder nml backup --out wrote (a backup whose manifest is cut or edited cannot be checked: take a new one)`, { dir });
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A safe relative path: no absolute path, no `..`, no empty part (a manifest must not send restore outside its folder). */
export function safeRelPath(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !p.includes('\\') && !p.includes('\0') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Reads and checks `<dir>/MANIFEST.json`; BACKUP_MANIFEST_INVALID names what is wrong. */
export function readManifest(dir: string): Manifest {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw invalid(dir, code === 'ENOENT' ? 'is missing: this is not a finished nml backup' : `cannot be read (${(e as Error).message})`);
  }
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch (e) {
    throw invalid(dir, `is not valid JSON (${(e as Error).message}): cut short or edited`);
  }
  if (m === null || typeof m !== 'object' || m.format !== BACKUP_FORMAT) throw invalid(dir, `is not an nml backup manifest (no "format": "${BACKUP_FORMAT}")`);
  if (m.formatVersion !== BACKUP_FORMAT_VERSION) throw invalid(dir, `has format version ${String(m.formatVersion)}; this nml reads version ${BACKUP_FORMAT_VERSION}`);
  if (!Array.isArray(m.files)) throw invalid(dir, 'has no file list');
  const seen = new Set<string>();
  for (const [i, f] of m.files.entries()) {
    const ok = f !== null && typeof f === 'object' && isStr(f.path) && safeRelPath(f.path) && isNum(f.bytes) && f.bytes >= 0 && isStr(f.sha256) && /^[0-9a-f]{64}$/.test(f.sha256) && (f.how === 'sqlite' || f.how === 'copy') && isNum(f.mtimeMs);
    if (!ok) throw invalid(dir, `has a bad entry at files[${i}]`);
    if (seen.has(f.path) || f.path === MANIFEST_FILE) throw invalid(dir, `names ${f.path} twice`);
    seen.add(f.path);
  }
  if (!isStr(m.source) || !isStr(m.nmlVersion) || !isStr(m.startedAt) || m.secrets === undefined || typeof m.secrets.included !== 'boolean') throw invalid(dir, 'lacks its source, version, time or secrets fields');
  return m as Manifest;
}

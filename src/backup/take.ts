/**
 * `nml backup`: a copy of a data directory that opens, taken while nml serve writes it or not.
 * Order: the catalog first (a snapshot), then the shard and relation trees, walked again until a walk
 * finds nothing new (a merge renamed meanwhile, a new minute's shard), then every other file. A catalog
 * row whose shard the server deleted before its copy (retention, a merge's sources after their grace)
 * is dropped from the catalog's copy, so the backup's catalog names no shard the backup lacks; a shard
 * the catalog's copy does not name (sealed or created after it) is found and measured by the store's
 * open (store/shard-recovery.ts), a merged hour's leftover sources by its meta. See docs/architecture.md.
 */
import { readdirSync, readFileSync, statSync, mkdirSync, chmodSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, describeCause, isAppError, isWrongPath, syncFolderOfSync, writeWholeFileSync } from '../core/index.js';
import { copyImmutable, copyPlain, FILE_MODE, FOLDER_MODE, fsyncFile, settle, snapshotSqlite, statNamed } from './copy.js';
import { listSource, SECRET_FILES, type SourceFile } from './files.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_FILE, type Manifest, type ManifestFile } from './manifest.js';

export interface BackupOptions {
  dataDir: string;
  out: string;
  includeSecrets: boolean;
  /** the nml version written in the manifest (the caller's: this stage does not read package.json) */
  nmlVersion: string;
  /** asked before each file: true stops the backup (BACKUP_STOPPED), its folder left without a manifest (the server stopping, its parent gone) */
  stopped?: () => boolean;
  /** called once the catalog's snapshot is taken, before any shard is copied (tests: a deletion by retention then) */
  afterCatalog?: () => void;
}

const CONSISTENCY =
  'each SQLite database is one transaction\'s state (SQLite online backup); sealed shards and relation roll-ups, never written again, are copied as they are. ' +
  'Across files: every line acknowledged before the backup started is in a shard of the backup (shards are copied after that moment and see every commit); ' +
  'the catalog names no shard the backup lacks; shards it does not name are measured at the first start. Databases are not one moment together: ' +
  'a finding or a relation edge made during the backup may be there without its line, or the other way round.';

const SECRETS_ON_RESTORE =
  'left out: api-token (nml serve makes a new one at its first start: give it to every client), admin-password (the first password file; the password itself still works if it was never changed, its hash is in users.db), ' +
  "users.db's sessions (every user logs in again). Webhook and feed secrets are in the configuration file, which is not in the data directory: back it up yourself.";

function fail(code: string, message: string, details: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError(code, 'bad_request', message, details, cause);
}

/** Refuses a source that is not a data directory, and an --out that is not empty or lies inside it (or it inside --out). */
function checkPaths(dataDir: string, out: string): void {
  const st = statNamed(dataDir, 'BACKUP_SOURCE_MISSING', 'backup');
  if (st === undefined || !st.isDirectory()) throw fail('BACKUP_SOURCE_MISSING', `backup: no data directory at ${dataDir}; pass --data DIR, the directory nml serve keeps its data in`, { dataDir });
  if (!['catalog.db', 'shards', 'findings.db', 'users.db'].some((n) => statSync(join(dataDir, n), { throwIfNoEntry: false }) !== undefined)) {
    throw fail('BACKUP_SOURCE_MISSING', `backup: ${dataDir} holds no nml data (no catalog.db, shards/, findings.db or users.db); pass --data DIR, the directory nml serve keeps its data in`, { dataDir });
  }
  const within = (a: string, b: string): boolean => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
  if (within(out, dataDir) || within(dataDir, out)) throw fail('BACKUP_OUT_INSIDE_DATA', `backup: --out ${out} and the data directory ${dataDir} lie one inside the other; give --out a folder outside it`, { out, dataDir });
  const o = statNamed(out, 'BACKUP_OUT_NOT_EMPTY', 'backup');
  if (o !== undefined) {
    if (!o.isDirectory()) throw fail('BACKUP_OUT_NOT_EMPTY', `backup: --out ${out} is a file; give a new or empty folder`, { out });
    if (readdirSync(out).length > 0) throw fail('BACKUP_OUT_NOT_EMPTY', `backup: --out ${out} is not empty; give a new or empty folder (a backup is never written over another)`, { out });
  }
  try {
    mkdirSync(out, { recursive: true, mode: FOLDER_MODE });
    chmodSync(out, FOLDER_MODE);
  } catch (e) {
    throw new AppError('BACKUP_COPY_FAILED', isWrongPath(e) ? 'bad_request' : 'unavailable', `backup: cannot make --out ${out}: ${describeCause(e)}; give a new folder in one that exists and that this user may write`, { out }, e);
  }
}

/** The pid named by the data directory's lock when its process runs (nml serve or ingest), else null. */
function writerPid(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, 'nml.lock'), 'utf8'), 10);
    if (!Number.isSafeInteger(pid) || pid <= 0) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** The catalog copy's shard rows (`rel`), none when it has no table. */
function catalogRels(db: Database.Database): string[] {
  const t = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'shards'").get();
  return t === undefined ? [] : (db.prepare('SELECT rel FROM shards').pluck().all() as string[]);
}

/** Takes the backup; returns its manifest (also written to `<out>/MANIFEST.json`). */
export async function takeBackup(o: BackupOptions): Promise<Manifest> {
  const dataDir = resolve(o.dataDir);
  const out = resolve(o.out);
  try {
    checkPaths(dataDir, out);
  } catch (e) {
    if (isAppError(e)) throw e;
    throw new AppError('BACKUP_COPY_FAILED', 'unavailable', `backup: cannot look at ${dataDir} or --out ${out}: ${describeCause(e)}; run nml as the user that owns them`, { dataDir, out }, e);
  }
  const startedAt = new Date().toISOString();
  const pid = writerPid(dataDir);
  const files: ManifestFile[] = [];
  const done = new Set<string>();
  const vanished: string[] = [];
  const record = (f: SourceFile, how: ManifestFile['how'], mtimeMs: number): void => {
    files.push({ path: f.rel, how, mtimeMs, ...settle(join(out, f.rel), mtimeMs) });
  };
  const copy = async (f: SourceFile): Promise<void> => {
    if (o.stopped?.() === true) throw new AppError('BACKUP_STOPPED', 'unavailable', `backup: stopped before it finished (the server is stopping); ${out} holds no manifest and is no backup: it is removed, or by the next scheduled backup`, { out });
    done.add(f.rel);
    const mtimeMs = statSync(f.path, { throwIfNoEntry: false })?.mtimeMs;
    const dest = join(out, f.rel);
    try {
      if (mtimeMs === undefined) return void vanished.push(f.rel);
      if (f.immutable) {
        const r = await copyImmutable(f.path, dest);
        return void (r === null ? vanished.push(f.rel) : record(f, r.how, mtimeMs));
      }
      if (f.sqlite) {
        // without secrets, users.db's sessions stay behind: a backup must not carry live logins
        const edit = f.rel === 'users.db' && !o.includeSecrets ? dropSessions : undefined;
        const r = await snapshotSqlite(f.path, dest, edit);
        return void (r === null ? vanished.push(f.rel) : record(f, 'sqlite', mtimeMs));
      }
      if (!copyPlain(f.path, dest)) return void vanished.push(f.rel);
      record(f, 'copy', mtimeMs);
    } catch (e) {
      if (isAppError(e)) throw e;
      throw new AppError('BACKUP_COPY_FAILED', 'unavailable', `backup: cannot copy ${f.path} to ${dest}: ${describeCause(e)}; check the space and permissions of --out (the backup in ${out} is unfinished: remove it)`, { file: f.rel }, e);
    }
  };

  // 1. the catalog: a snapshot, before any shard; the shards it names that exist now must be in the backup
  const first = listSource(dataDir, o.includeSecrets);
  const catalog = first.files.find((f) => f.rel === 'catalog.db');
  let namedMissing = new Set<string>();
  if (catalog !== undefined) {
    await copy(catalog);
    if (files.at(-1)?.path === 'catalog.db') files.pop();
    if (!vanished.includes('catalog.db'))
      // rows whose file is already gone are the source's lost shards: kept, so the restored store says so too
    namedMissing = new Set(withDb(join(out, 'catalog.db'), catalogRels).filter((rel) => statSync(join(dataDir, 'shards', rel), { throwIfNoEntry: false }) === undefined));
  }
  o.afterCatalog?.();
  // 2. shards and relations, walked again until a walk finds nothing new (at most 5 walks)
  const trees = (f: SourceFile): boolean => f.rel.startsWith('shards/') || f.rel.startsWith('relations/');
  for (const f of first.files.filter(trees)) await copy(f);
  for (let walk = 0; walk < 5; walk++) {
    const again = [...listSource(dataDir, o.includeSecrets, 'shards').files, ...listSource(dataDir, o.includeSecrets, 'relations').files].filter((f) => !done.has(f.rel));
    if (again.length === 0) break;
    for (const f of again) await copy(f);
  }
  // 3. everything else
  for (const f of first.files) if (!done.has(f.rel)) await copy(f);
  // 4. the catalog's copy names only shards the backup holds (or that were lost before it began)
  const dropped: string[] = [];
  if (catalog !== undefined && !vanished.includes('catalog.db')) {
    const held = new Set(files.filter((f) => f.path.startsWith('shards/')).map((f) => f.path.slice('shards/'.length)));
    withDb(join(out, 'catalog.db'), (db) => {
      const del = db.prepare('DELETE FROM shards WHERE rel = ?');
      for (const rel of catalogRels(db)) {
        if (held.has(rel) || namedMissing.has(rel)) continue;
        dropped.push(rel);
        del.run(rel);
      }
    });
    record(catalog, 'sqlite', statSync(catalog.path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    nmlVersion: o.nmlVersion,
    source: dataDir,
    startedAt,
    finishedAt: new Date().toISOString(),
    writerPid: pid,
    secrets: o.includeSecrets
      ? { included: true, excluded: [], onRestore: 'secrets included: the API token, the first admin password file and the sessions come back as they were' }
      : { included: false, excluded: [...SECRET_FILES, 'users.db sessions'], onRestore: SECRETS_ON_RESTORE },
    consistency: CONSISTENCY,
    catalogRowsDropped: dropped,
    skipped: [...first.skipped, ...vanished.map((p) => ({ path: p, why: 'deleted by nml while the backup ran (retention, or a merged hour\'s sources)' }))],
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
  syncFolders(out, files);
  writeWholeFileSync(join(out, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n', { mode: FILE_MODE });
  return manifest;
}

function dropSessions(db: Database.Database): void {
  if (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").get() !== undefined) db.exec('DELETE FROM sessions');
}

function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  // the copy is this process's own file: opened read-write, closed at once
  const db = new Database(path, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Syncs every folder the backup made, so the files' names survive a power loss with them. */
function syncFolders(out: string, files: ManifestFile[]): void {
  const folders = new Set<string>([out]);
  for (const f of files) for (let d = join(out, f.path, '..'); relative(out, d) !== '' && !relative(out, d).startsWith('..'); d = join(d, '..')) folders.add(d);
  for (const d of folders) fsyncFile(d, true);
  syncFolderOfSync(out);
}

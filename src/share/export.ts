/**
 * Writing a shared dataset: `lines.ndjson`, `findings.ndjson`, `MANIFEST.json` and `README.md` in a new
 * folder. The lines stream through (a page of the search at a time, written with back-pressure), so a
 * range of millions of lines holds no more than a page in memory; the findings, some thousands at most,
 * are read whole to label the lines. Everything is written in a temporary folder beside the one asked
 * for and renamed to it at the end: a failed or interrupted export leaves no folder that looks complete.
 * Each file is synced to disk before the rename, the temporary folder too (its entries), and the folder
 * holding --out after it: a power cut leaves the whole export or none, never one of short files.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError, describeCause, errnoOf, syncFolderOfSync } from '../core/index.js';
import { shareReadme } from './readme.js';
import type { ShareManifest } from './manifest.js';
import { shareRecords, type ShareRecordsInput } from './records.js';

export interface ShareExportInput extends ShareRecordsInput {
  /** the folder to make (refused when it exists and is not empty) */
  dir: string;
  /** writes a file's data to the disk (tests watch it); default fsync */
  syncFile?: (path: string) => Promise<void>;
  /** syncs the folder holding `path` (tests watch it); default core's syncFolderOfSync */
  syncFolderOf?: (path: string) => void;
}

/** fsync of a file by its path (a file's data is the inode's, whichever descriptor writes or syncs it) */
async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export const SHARE_FILES = ['findings.ndjson', 'lines.ndjson', 'MANIFEST.json', 'README.md'] as const;

/** Refuses a folder that is there and not empty, or a file there. */
export async function checkShareDir(dir: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return;
    throw new AppError('SHARE_OUT_UNWRITABLE', 'bad_request', `share: cannot look at --out ${dir}: ${describeCause(e)}; give a folder that can be made`, { dir }, e);
  }
  if (!isDir) throw new AppError('SHARE_OUT_EXISTS', 'bad_request', `share: --out ${dir} is a file; give a new folder`, { dir });
  if ((await readdir(dir)).length > 0) throw new AppError('SHARE_OUT_EXISTS', 'bad_request', `share: --out ${dir} exists and is not empty; give a new folder (an export never mixes with other files)`, { dir });
}

/** one NDJSON file written in chunks, waiting whenever the disk is behind */
class NdjsonFile {
  private buf = '';
  records = 0;
  private readonly out: WriteStream;
  private failed: Error | null = null;
  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'wx' });
    this.out.on('error', (e) => (this.failed = e));
  }
  async add(record: unknown): Promise<void> {
    this.buf += `${JSON.stringify(record)}\n`;
    this.records++;
    if (this.buf.length >= 64 * 1024) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.failed !== null) throw this.failed;
    const chunk = this.buf;
    this.buf = '';
    if (!this.out.write(chunk)) await this.settled('drain');
    if (this.failed !== null) throw this.failed;
  }
  async close(): Promise<void> {
    if (this.buf !== '') await this.flush();
    this.out.end();
    await this.settled('finish');
    if (this.failed !== null) throw this.failed;
  }
  /** until `event` or an error, without leaving a listener behind */
  private settled(event: 'drain' | 'finish'): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.out.off(event, done);
        this.out.off('error', done);
        resolve();
      };
      this.out.on(event, done);
      this.out.on('error', done);
    });
  }
  destroy(): void {
    this.out.destroy();
  }
}

/** Writes the export; returns its manifest. Bad --out, a full disk: SHARE_OUT_* errors, and nothing left behind. */
export async function writeShareExport(input: ShareExportInput): Promise<ShareManifest> {
  const dir = resolve(input.dir);
  await checkShareDir(dir);
  const tmp = join(dirname(dir), `.${basename(dir)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dirname(dir), { recursive: true });
    // owner-only, as the data directory is: the operator decides who gets it
    await mkdir(tmp, { mode: 0o700 });
  } catch (e) {
    throw new AppError('SHARE_OUT_UNWRITABLE', 'bad_request', `share: cannot make --out ${dir}: ${describeCause(e)}; give a folder in a place this user can write`, { dir }, e);
  }
  const files: NdjsonFile[] = [];
  try {
    const manifest = await writeInto(tmp, input, files);
    const syncFolderOf = input.syncFolderOf ?? syncFolderOfSync;
    for (const f of SHARE_FILES) await (input.syncFile ?? fsyncFile)(join(tmp, f));
    syncFolderOf(join(tmp, SHARE_FILES[0])); // the folder's entries
    await rmdir(dir).catch(() => undefined);
    await rename(tmp, dir);
    syncFolderOf(dir); // the rename
    return manifest;
  } catch (e) {
    for (const f of files) f.destroy();
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (e instanceof AppError) throw e;
    const errno = errnoOf(e);
    if (errno === undefined) throw e;
    throw new AppError('SHARE_OUT_WRITE_FAILED', 'unavailable', `share: writing the export to ${dir} failed: ${describeCause(e)}; nothing was left there: free space or fix the permissions and run it again`, { dir }, e);
  }
}

async function writeInto(tmp: string, input: ShareExportInput, files: NdjsonFile[]): Promise<ShareManifest> {
  const findings = new NdjsonFile(join(tmp, 'findings.ndjson'));
  files.push(findings);
  const lines = new NdjsonFile(join(tmp, 'lines.ndjson'));
  files.push(lines);
  const records = shareRecords(input);
  let r = await records.next();
  try {
    for (; r.done !== true; r = await records.next()) {
      if ('finding' in r.value) await findings.add(r.value.finding);
      else await lines.add(r.value.line);
    }
  } finally {
    // a write that failed part-way: the search under the records stops too
    if (r.done !== true) await records.return(undefined as never).catch(() => undefined);
  }
  await findings.close();
  await lines.close();
  const manifest = r.value;
  await writeFile(join(tmp, 'MANIFEST.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  await writeFile(join(tmp, 'README.md'), shareReadme(manifest), { flag: 'wx' });
  return manifest;
}

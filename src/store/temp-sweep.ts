/**
 * The temporary files of whole-file writes (core's writeWholeFile: `.<name>.<pid>-<hex>.tmp`) that a
 * process killed before its rename (SIGKILL, the OOM killer, a power cut) left in the data directory,
 * removed when the store opens it, once this process holds the directory's lock. Nothing else removes
 * them: each write names its own. One is removed when the process that made it is gone: its pid runs
 * no process (or a zombie), or the process now under that pid started after the file was last written
 * (the pid was given again: after a reboot, or to nml itself, pid 1 in a container, on every start).
 * Only a plain file with exactly such a name: a link or a folder under one was not made by the writer
 * and is left as it is (a link is never followed). A file that cannot be removed is a warning.
 */
import { lstatSync, readdirSync, rmSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { describeCause, errnoOf, wholeFileTempOf } from '../core/index.js';
import { pidAlive, pidStartedMs } from './lock.js';

/**
 * The data directory's folders that whole-file writers write in: the folder itself (`api-token` by
 * `nml token rotate`, `admin-password`, `findings-notify-outbox.json` and its keeper) and `collect`
 * (`file-positions.json`). The CLI's results go where `--out` says and are not looked for.
 */
export const WHOLE_FILE_FOLDERS: readonly string[] = ['.', 'collect'];

export interface TempSweepReport {
  folder: string;
  removed: number;
  /** all of it in one sentence, for the log (names no file's contents) */
  message: string;
}

/**
 * A temporary file of process `pid`, last written at `mtimeMs`, that no running process will rename:
 * - this process's pid: written before this process started (`ownStartMs`, performance.timeOrigin);
 * - another's: no such process, or it started more than a second after the write (its start is read
 *   from /proc in whole seconds of boot time; without /proc, a running pid keeps its file).
 */
export function staleTemp(pid: number, mtimeMs: number, ownStartMs = performance.timeOrigin): boolean {
  if (pid === process.pid) return mtimeMs < ownStartMs;
  if (!pidAlive(pid)) return true;
  const started = pidStartedMs(pid);
  return started !== null && mtimeMs < started - 1000;
}

/**
 * Removes the stale temporary files of whole-file writes in `folder` (see the file's comment). Returns
 * what it removed, or null when it removed nothing (or the folder is not there); a failure is told to
 * `onProblem` and the others are still looked at.
 */
export function sweepWholeFileTemps(folder: string, onProblem: (message: string) => void, ownStartMs = performance.timeOrigin): TempSweepReport | null {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') onProblem(`store: cannot look for temporary files left by stopped writes in ${folder}: ${describeCause(e)}`);
    return null;
  }
  let removed = 0;
  for (const name of names) {
    const temp = wholeFileTempOf(name);
    if (temp === null) continue;
    const path = join(folder, name);
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      continue; // gone meanwhile: its write finished
    }
    if (!st.isFile() || !staleTemp(temp.pid, st.mtimeMs, ownStartMs)) continue;
    try {
      rmSync(path);
      removed++;
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT') onProblem(`store: cannot remove ${path}, the temporary file of a write that process ${temp.pid} did not finish: ${describeCause(e)}; remove it by hand`);
    }
  }
  if (removed === 0) return null;
  const files = removed === 1 ? '1 temporary file' : `${removed} temporary files`;
  return { folder, removed, message: `store: removed ${files} of whole-file writes that a stopped process did not finish, in ${folder}` };
}

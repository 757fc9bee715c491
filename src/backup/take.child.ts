/**
 * Takes one backup and verifies it in a child process of `nml serve` (schedule.ts): takes a `BackupWork`
 * as its one message, answers one `BackupAnswer`, then exits. A process, as the hour merge is
 * (store/compact.child.ts): a backup reads every shard (GBs), hashes each file and runs SQLite's online
 * backup and quick_check, all synchronous work that would stall the server's event loop, and its SQLite
 * caches go back to the system when the process ends. A parent gone (killed) stops it before its next
 * file: its folder keeps no manifest and is removed by the next run.
 */
import { isAppError } from '../core/index.js';
import type { BackupAnswer, BackupWork } from './child-protocol.js';
import { takeBackup } from './take.js';
import { verifyBackup } from './verify.js';

const parent = process.ppid;
const orphaned = (): boolean => process.ppid !== parent || !process.connected;

/** Sends the one answer; a parent gone meanwhile has nobody to hear it: the process just ends. */
const send = (m: BackupAnswer): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected) return resolve();
    try {
      process.send!(m, undefined, undefined, () => resolve());
    } catch {
      resolve();
    }
  });

process.once('message', (work: BackupWork) => {
  void (async () => {
    try {
      const m = await takeBackup({ dataDir: work.dataDir, out: work.out, includeSecrets: work.includeSecrets, nmlVersion: work.nmlVersion, stopped: orphaned });
      if (orphaned()) process.exit(1);
      const report = verifyBackup(work.out);
      await send({ ok: true, startedAt: m.startedAt, finishedAt: m.finishedAt, files: m.files.length, bytes: m.files.reduce((n, f) => n + f.bytes, 0), databases: report.databases, dropped: m.catalogRowsDropped.length, problems: report.problems });
    } catch (e) {
      await send(isAppError(e) ? { ok: false, code: e.code, message: e.message } : { ok: false, code: 'BACKUP_COPY_FAILED', message: `backup: ${(e as Error).message}` });
    }
    if (process.connected) process.disconnect();
  })();
});

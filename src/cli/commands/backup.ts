/**
 * `nml backup --out DIR` (beside a running nml serve or not) and `nml backup verify DIR`. The work is in
 * src/backup/: which files and how (files.ts, copy.ts), the order that keeps the set openable (take.ts),
 * the manifest (manifest.ts) and the check (verify.ts).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { AppError } from '../../core/index.js';
import { takeBackup, verifyBackup } from '../../backup/index.js';
import { VERSION } from '../../version.js';
import { loadConfig, type CommonFlags, DATA_HELP } from '../open.js';

interface BackupFlags extends CommonFlags {
  out?: string;
  includeSecrets?: boolean;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

export function registerBackup(program: Command): void {
  const backup = program
    .command('backup')
    .description('copy the data directory to a new folder, consistent even while nml serve writes it (nml backup verify DIR checks one)')
    .option('--out <dir>', 'a new or empty folder for the backup (made owner-only)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--include-secrets', 'also copy the API token, the first admin password file and the login sessions (left out by default)')
    .action(async (flags: BackupFlags) => {
      if (flags.out === undefined) throw new AppError('BACKUP_OUT_MISSING', 'bad_request', 'backup: --out DIR is needed: the new or empty folder to write the backup to (or: nml backup verify DIR)');
      const out = flags.out;
      const dataDir = resolve(loadConfig(flags).dataDir);
      const t0 = performance.now();
      const m = await takeBackup({ dataDir, out, includeSecrets: flags.includeSecrets === true, nmlVersion: VERSION });
      const s = (performance.now() - t0) / 1000;
      const bytes = m.files.reduce((n, f) => n + f.bytes, 0);
      const copied = m.files.filter((f) => f.how === 'copy').length;
      process.stdout.write(
        `backup of ${dataDir} in ${resolve(out)}: ${m.files.length} files, ${mb(bytes)} MB in ${s.toFixed(1)} s (${mb(bytes / Math.max(s, 1e-3))} MB/s); ` +
          `${m.files.length - copied} by SQLite's online backup, ${copied} copied as they are${m.writerPid === null ? '' : `; process ${m.writerPid} was writing the data directory`}\n`,
      );
      if (!m.secrets.included) process.stdout.write(`secrets left out (--include-secrets to keep them): ${m.secrets.excluded.join(', ')}\n`);
      if (m.catalogRowsDropped.length > 0) process.stdout.write(`${m.catalogRowsDropped.length} shards were deleted by nml while the backup ran (retention or merges): their catalog rows are left out\n`);
      process.stdout.write(`check it any time with: nml backup verify ${resolve(out)}\n`);
    });
  backup
    .command('verify <dir>')
    .description("check a backup: every file's size and SHA-256 against its MANIFEST.json, and each database with SQLite's quick_check")
    .action((dir: string) => {
      const r = verifyBackup(resolve(dir));
      for (const p of r.problems) process.stderr.write(`nml: backup verify: ${p}\n`);
      if (r.problems.length > 0) {
        throw new AppError('BACKUP_VERIFY_FAILED', 'conflict', `backup verify: ${resolve(dir)} has ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} (listed above); restore an older backup, or take a new one`, { problems: r.problems.length });
      }
      process.stdout.write(`backup ${resolve(dir)} is sound: ${r.checked} files (${mb(r.bytes)} MB) match the manifest, ${r.databases} databases pass quick_check; taken ${r.manifest.startedAt} from ${r.manifest.source} (nml ${r.manifest.nmlVersion}), secrets ${r.manifest.secrets.included ? 'included' : 'left out'}\n`);
    });
}

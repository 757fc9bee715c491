/** `nml restore DIR --data DATADIR`: a verified backup into a new or empty data directory (backup/restore.ts). */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { nextSteps, restoreBackup } from '../../backup/index.js';
import { loadConfig, type CommonFlags, DATA_HELP } from '../open.js';

export function registerRestore(program: Command): void {
  program
    .command('restore <dir>')
    .description('verify the backup in <dir> (from nml backup) and copy it into a new or empty data directory')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .action((dir: string, flags: CommonFlags) => {
      const r = restoreBackup(resolve(dir), resolve(loadConfig(flags).dataDir));
      for (const line of nextSteps(r)) process.stdout.write(line + '\n');
    });
}

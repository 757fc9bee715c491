import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../core/index.js';
import { rotateTokenFile } from '../../serve/tokens.js';
import { loadConfig, type CommonFlags, DATA_HELP } from '../open.js';

/** `nml token rotate`: a new API token in `<data>/api-token`; a running server takes it at once and refuses the old one. */
export function registerToken(program: Command): void {
  const token = program.command('token').description('the API token in <data>/api-token: rotate');
  token
    .command('rotate')
    .description('write a new API token; a running nml serve refuses the old one within a second (no restart)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .action((flags: CommonFlags) => {
      const dir = resolve(loadConfig(flags).dataDir);
      // a mistyped --data must not leave a token in a new folder while the server's stays as it was
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new AppError('TOKEN_DATA_MISSING', 'bad_request', `token: ${dir} is not a data directory; give --data the folder nml serve uses`, { dataDir: dir });
      }
      const file = join(dir, 'api-token');
      rotateTokenFile(file);
      // the token itself is not printed: terminals and CI logs keep what is printed
      process.stdout.write(`new API token written to ${file}; a running nml serve refuses the old one within a second. Read it with: cat ${file}\n`);
    });
}

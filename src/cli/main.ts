/** The `nml` command line: one parser, one module per command under commands/. Returns the exit code. */
import { Command, CommanderError } from 'commander';
import { isAppError } from '../core/index.js';
import { registerServe } from './commands/serve.js';
import { registerIngest } from './commands/ingest.js';
import { registerSearch } from './commands/search.js';
import { registerCount } from './commands/count.js';
import { registerStats } from './commands/stats.js';
import { registerUser } from './commands/user.js';
import { registerToken } from './commands/token.js';
import { registerFindings } from './commands/findings.js';
import { registerAssist } from './commands/assist.js';
import { registerTrain } from './commands/train.js';
import { registerEval } from './commands/eval.js';
import { registerScore } from './commands/score.js';
import { registerPivot } from './commands/pivot.js';
import { registerTrends } from './commands/trends.js';
import { VERSION } from '../version.js';
import { errText } from './output.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('nml')
    .description('NML: collect, search and mine the logs your network already produces')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    // commander's errors quote the arguments given, which a pasted log line can fill with escape sequences
    .configureOutput({ writeErr: (str) => process.stderr.write(errText(str)) })
    .exitOverride();
  registerServe(program);
  registerIngest(program);
  registerSearch(program);
  registerCount(program);
  registerStats(program);
  registerUser(program);
  registerToken(program);
  registerFindings(program);
  registerAssist(program);
  registerTrain(program);
  registerEval(program);
  registerScore(program);
  registerPivot(program);
  registerTrends(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isAppError(e)) {
      process.stderr.write(errText(`nml: ${e.message}\n`));
      return e.kind === 'bad_request' ? 2 : 1;
    }
    process.stderr.write(errText(`nml: internal error: ${(e as Error).stack ?? String(e)}\n`));
    return 1;
  }
}

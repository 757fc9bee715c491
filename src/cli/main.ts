/**
 * The `nml` command line: one parser, one module per command under commands/. Returns the exit code.
 * Only the command named is loaded (its module pulls in the stages it needs: the server's, the trends
 * crawler's, the models' runtimes); `nml --help`, `nml help`, a mistyped name and no name load them all.
 */
import { Command, CommanderError } from 'commander';
import { isAppError } from '../core/index.js';
import { VERSION } from '../version.js';
import { errText } from './output.js';

type Register = (program: Command) => void;

/** each command's module, in the order `nml --help` lists them */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ['serve', async () => (await import('./commands/serve.js')).registerServe],
  ['ingest', async () => (await import('./commands/ingest.js')).registerIngest],
  ['search', async () => (await import('./commands/search.js')).registerSearch],
  ['count', async () => (await import('./commands/count.js')).registerCount],
  ['stats', async () => (await import('./commands/stats.js')).registerStats],
  ['user', async () => (await import('./commands/user.js')).registerUser],
  ['audit', async () => (await import('./commands/audit.js')).registerAudit],
  ['watch', async () => (await import('./commands/watch.js')).registerWatch],
  ['token', async () => (await import('./commands/token.js')).registerToken],
  ['backup', async () => (await import('./commands/backup.js')).registerBackup],
  ['restore', async () => (await import('./commands/restore.js')).registerRestore],
  ['findings', async () => (await import('./commands/findings.js')).registerFindings],
  ['assist', async () => (await import('./commands/assist.js')).registerAssist],
  ['train', async () => (await import('./commands/train.js')).registerTrain],
  ['eval', async () => (await import('./commands/eval.js')).registerEval],
  ['score', async () => (await import('./commands/score.js')).registerScore],
  ['pivot', async () => (await import('./commands/pivot.js')).registerPivot],
  ['trends', async () => (await import('./commands/trends.js')).registerTrends],
  ['share', async () => (await import('./commands/share.js')).registerShare],
];

/** the commands to load for these arguments: the one named (also after `help`), else all */
export function commandsFor(argv: readonly string[]): Array<() => Promise<Register>> {
  const named = argv[0] === 'help' ? argv[1] : argv[0];
  const one = COMMANDS.find(([name]) => name === named);
  return one === undefined ? COMMANDS.map(([, load]) => load) : [one[1]];
}

/** The `nml` program with the commands these arguments need registered (every command for `[]`); it throws instead of exiting. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('nml')
    .description('NML: collect, search and mine the logs your network already produces')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    // commander's errors quote the arguments given, which a pasted log line can fill with escape sequences
    .configureOutput({ writeErr: (str) => process.stderr.write(errText(str)) })
    .exitOverride();
  for (const register of await Promise.all(commandsFor(argv).map((load) => load()))) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isAppError(e)) {
      process.stderr.write(errText(`nml: ${e.message}\n`));
      // 2: the command line is wrong (a path it names that is not there is bad_request wherever it is found); 1: anything else
      return e.kind === 'bad_request' ? 2 : 1;
    }
    process.stderr.write(errText(`nml: internal error: ${(e as Error).stack ?? String(e)}\n`));
    return 1;
  }
}

import type { Command } from 'commander';
import { loadConfig, openReader, type CommonFlags, DATA_HELP } from '../open.js';
import { addRangeOptions, futureRangeNote, rangeOf } from './range.js';
import { hintDashQuery, warnSkipped } from './search.js';

export function registerCount(program: Command): void {
  const cmd = program
    .command('count')
    .description('print only the number of lines that match QUERY (an empty query counts everything)')
    .argument('[query...]', "the query; see `nml search --help` for the language; several arguments are one query, joined by spaces (one starting with '-': put -- before it)")
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .addHelpText('after', "\nA query that starts with '-' would be read as an option: put -- before it, after the options:\n  nml count --data DIR -- '-cron sshd'\n");
  hintDashQuery(cmd);
  addRangeOptions(cmd).action(async (words: string[], flags: CommonFlags & { from?: string; to?: string }) => {
    const query = words.join(' ');
    const config = loadConfig(flags);
    const now = Date.now();
    const range = rangeOf(flags, now);
    const reader = openReader(config);
    try {
      const r = await reader.searcher.count(query, range);
      process.stdout.write(`${r.count}\n`);
      const note = r.count === 0 ? futureRangeNote(range, now) : '';
      if (note !== '') process.stderr.write(`nml: nothing counted${note}\n`);
      warnSkipped(r.skipped);
    } finally {
      await reader.close();
    }
  });
}

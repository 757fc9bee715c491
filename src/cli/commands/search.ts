import type { Command } from 'commander';
import { loadConfig, openReader, type CommonFlags, DATA_HELP } from '../open.js';
import { addRangeOptions, futureRangeNote, rangeOf } from './range.js';
import { enrichHit } from '../../enrich.js';
import { escapeOption, outputClosed, shownText, writeOut, type EscapeMode } from '../output.js';
import { positiveInt } from './args.js';
import { isFindingLine, LineUrls } from '../../detect/index.js';
import { SkippedShards, skippedMessage, type SkippedShard } from '../../search/index.js';

/**
 * After an answer that left damaged shards out: the warning on stderr (the answer itself went to
 * stdout, whole for the shards read) and exit status 1, so a script does not take it for complete.
 */
export function warnSkipped(skipped: readonly SkippedShard[], what = 'search'): void {
  if (skipped.length === 0) return;
  process.stderr.write(`nml: warning: ${skippedMessage(skipped, what)}\n`);
  if (typeof process.exitCode !== 'number' || process.exitCode === 0) process.exitCode = 1;
}

const HELP = `
Query language:
  failed password        both words (AND is implicit)
  "failed password"      the phrase
  ssh OR telnet          either; OR binds tighter than the implicit AND
  -cron  NOT cron        exclude
  (a OR b) c             grouping
  pass*                  word prefix
  host:web-01 app:sshd severity:<=3 user:alice port:22 domain:example.com
  10.0.0.5  10.1.0.0/16  an IP address, or any address in a network
  example.com            a domain and its subdomains
  sub:"192.168"          exact substring (Hayabusa's exact option)
  url:"http://x.example/a?b"  the lines of a URL (a URL finding's entity): its substring search

A query that starts with '-' (an exclusion such as -cron) would be read as an option:
put -- before it, after the options:  nml search --data DIR -- '-cron sshd'
`;

/**
 * A query that starts with '-' (`-cron sshd`) reaches commander as an unknown option: its error says
 * how to pass it. Shared by search and count.
 */
export function hintDashQuery(cmd: Command): Command {
  const outputError = cmd.configureOutput().outputError;
  return cmd.configureOutput({
    outputError: (str, write) => {
      const hint = /^error: unknown option '-[^-]/.test(str) ? `a query that starts with '-' goes after --: nml ${cmd.name()} [options] -- '${/'(-[^']*)'/.exec(str)?.[1] ?? '-word'} …'\n` : '';
      if (outputError !== undefined) outputError(str + hint, write);
      else write(str + hint);
    },
  });
}

export function registerSearch(program: Command): void {
  const cmd = program
    .command('search')
    .description('print matching lines, newest first, one raw line per hit')
    .argument('[query...]', 'the query (empty: every line); several arguments are one query, joined by spaces (nml search failed password)')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--limit <n>', 'most hits to print', positiveInt, 100)
    .option('--json', 'print one JSON object per hit with parsed fields and entities (JSON-escaped: --escape does not apply)')
    .addOption(escapeOption())
    .option('--urls', "print instead the distinct URLs of the matching lines, as the live URL scorer reads them (TLS server names as <name>/ unless url.tlsNames is false; NML's own finding lines left out), up to --limit URLs: the file nml train url --adapt-urls takes; with --json one {\"url\": …} object a line")
    .addHelpText('after', HELP);
  hintDashQuery(cmd);
  addRangeOptions(cmd).action(async (words: string[], flags: CommonFlags & { from?: string; to?: string; limit: number; json?: boolean; urls?: boolean; escape: EscapeMode }) => {
    const query = words.join(' ');
    const config = loadConfig(flags);
    const shown = shownText(flags.escape);
    const now = Date.now();
    const range = rangeOf(flags, now);
    const reader = openReader(config);
    const skipped = new SkippedShards();
    try {
      if (flags.urls === true) {
        const lineUrls = new LineUrls(config.url.tlsNames);
        const seen = new Set<string>();
        for await (const hit of reader.searcher.stream(query, range, Infinity, undefined, undefined, skipped)) {
          if (isFindingLine(hit.raw)) continue;
          for (const u of lineUrls.find(hit.raw) ?? []) {
            if (seen.has(u.url)) continue;
            seen.add(u.url);
            // --json: one {"url"} object a line (JSON-escaped); it was ignored without a word until session 33 (CLI review)
            await writeOut((flags.json === true ? JSON.stringify({ url: u.url }) : shown(u.url)) + '\n');
            if (outputClosed()) return;
            if (seen.size >= flags.limit) {
              process.stderr.write(`nml: stopped at --limit ${flags.limit} distinct URLs; --limit N prints more\n`);
              return;
            }
          }
        }
        return;
      }
      // one hit past the limit tells whether the output was cut short; it is not printed
      let printed = 0;
      let more = false;
      for await (const hit of reader.searcher.stream(query, range, flags.limit + 1, undefined, undefined, skipped)) {
        if (printed === flags.limit) {
          more = true;
          break;
        }
        const text = flags.json === true ? JSON.stringify(enrichHit(hit)) : shown(hit.raw);
        await writeOut(text + '\n');
        printed++;
        // the reader went away (| head): stop searching
        if (outputClosed()) return;
      }
      // on stderr, so that what a script reads is the lines alone
      if (more) process.stderr.write(`nml: the newest ${printed} matching lines were printed and more match; --limit N prints more, nml count gives how many\n`);
      else if (printed === 0) process.stderr.write(`nml: no line matches${query.trim() === '' ? '' : ` ${JSON.stringify(query)}`} in the time range searched${futureRangeNote(range, now)}\n`);
    } finally {
      await reader.close();
      warnSkipped(skipped.list);
    }
  });
}

import type { Command } from 'commander';
import { loadConfig, openReader, type CommonFlags } from '../open.js';
import { escapeOption, shownText, type EscapeMode } from '../output.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('shards, lines, bytes on disk and time span of a data directory')
    .option('--data <dir>', 'data directory')
    .option('--config <file>', 'JSON configuration file')
    .option('--json', 'print JSON (JSON-escaped: --escape does not apply)')
    .addOption(escapeOption())
    .action(async (flags: CommonFlags & { json?: boolean; escape: EscapeMode }) => {
      const config = loadConfig(flags);
      const reader = openReader(config);
      try {
        const sum = reader.catalog.summary();
        const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
        const stats = {
          dataDir: config.dataDir,
          shards: sum.shards,
          sealedShards: sum.sealedShards,
          rows: sum.rows,
          bytes: sum.bytes,
          bytesPerRow: sum.rows === 0 ? 0 : sum.bytes / sum.rows,
          oldest: iso(sum.oldest),
          newest: iso(sum.newest),
          problems: reader.catalog.problems,
        };
        if (flags.json === true) {
          process.stdout.write(JSON.stringify(stats, null, 2) + '\n');
          return;
        }
        const lines = [
          `data dir     ${stats.dataDir}`,
          `shards       ${stats.shards} (${stats.sealedShards} sealed)`,
          `lines        ${stats.rows}`,
          `disk         ${(stats.bytes / 1e6).toFixed(1)} MB (${stats.bytesPerRow.toFixed(1)} bytes/line)`,
          `time span    ${stats.oldest ?? '-'} .. ${stats.newest ?? '-'}`,
        ];
        for (const p of stats.problems) lines.push(`problem      ${p}`);
        // the problems quote file names and the errors of what read them, as the data directory's path is quoted
        process.stdout.write(lines.map(shownText(flags.escape)).join('\n') + '\n');
      } finally {
        await reader.close();
      }
    });
}

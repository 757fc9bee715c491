import type { Command } from 'commander';
import { loadConfig, openReader, type CommonFlags } from '../open.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('shards, lines, bytes on disk and time span of a data directory')
    .option('--data <dir>', 'data directory')
    .option('--config <file>', 'JSON configuration file')
    .option('--json', 'print JSON')
    .action(async (flags: CommonFlags & { json?: boolean }) => {
      const config = loadConfig(flags);
      const reader = openReader(config);
      try {
        const shards = reader.catalog.all();
        const rows = shards.reduce((a, s) => a + s.rows, 0);
        const bytes = shards.reduce((a, s) => a + s.bytes, 0);
        const times = shards.flatMap((s) => (s.tmin === null || s.tmax === null ? [] : [s.tmin, s.tmax]));
        const stats = {
          dataDir: config.dataDir,
          shards: shards.length,
          sealedShards: shards.filter((s) => s.sealed).length,
          rows,
          bytes,
          bytesPerRow: rows === 0 ? 0 : bytes / rows,
          oldest: times.length === 0 ? null : new Date(Math.min(...times)).toISOString(),
          newest: times.length === 0 ? null : new Date(Math.max(...times)).toISOString(),
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
          `disk         ${(bytes / 1e6).toFixed(1)} MB (${stats.bytesPerRow.toFixed(1)} bytes/line)`,
          `time span    ${stats.oldest ?? '-'} .. ${stats.newest ?? '-'}`,
        ];
        for (const p of stats.problems) lines.push(`problem      ${p}`);
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        await reader.close();
      }
    });
}

/** Time-range flags shared by search and count. */
import type { Command } from 'commander';
import type { TimeRange } from '../../core/index.js';
import { parseTimeRange } from '../../search/index.js';

export function addRangeOptions(cmd: Command): Command {
  return cmd
    .option('--from <time>', "start: ISO time, relative (-15m, -2h, -7d), epoch ms, or Hayabusa's 2017/10/17/15/*")
    .option('--to <time>', 'end (exclusive), same forms; default now');
}

export function rangeOf(flags: { from?: string; to?: string }): TimeRange {
  return parseTimeRange({ from: flags.from, to: flags.to }, Date.now());
}

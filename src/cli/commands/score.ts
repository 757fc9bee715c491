/** `nml score <detector>`: one subcommand per detector, each in its own score-<detector>.ts. */
import type { Command } from 'commander';
import { addScoreUrl } from './score-url.js';
import { addScoreSyn } from './score-syn.js';

export function registerScore(program: Command): void {
  const score = program.command('score').description('score subjects with a trained detector');
  addScoreUrl(score);
  addScoreSyn(score);
  // one line per further detector, e.g. addScoreSyn(score) from ./score-syn.js
}

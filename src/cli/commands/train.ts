/** `nml train <detector>`: one subcommand per detector, each in its own train-<detector>.ts. */
import type { Command } from 'commander';
import { addTrainUrl } from './train-url.js';
import { addTrainSyn } from './train-syn.js';

export function registerTrain(program: Command): void {
  const train = program.command('train').description('train a detector model from labelled data (CPU only)');
  addTrainUrl(train);
  addTrainSyn(train);
  // one line per further detector, e.g. addTrainSyn(train) from ./train-syn.js
}

/** `nml train syn`: trains the SYN-image CNN on the real captures plus synthetic traffic and writes models/syn/model.json. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { shellWord } from '../../core/index.js';
import { DEFAULT_SYN_MODEL, SYN_VARIANTS as VARIANTS, type SynModelFile, type SynVariant as Variant } from '../../detect/index.js';
import { epochs, fraction, outputFile, positiveInt, seedOf, syntheticStacks, synVariant } from './args.js';
import { checkDatasetsDir, DEFAULT_DATASETS, datasetsFromEnv } from './datasets-dir.js';
import { runJob, trainWords } from './job-thread.js';
import { writeFileWhole } from './write-whole.js';

export interface TrainSynFlags {
  datasets: string;
  out: string;
  seed: number;
  epochs: number;
  patience: number;
  synthetic: number;
  variant: Variant;
  modelVersion: string;
  syntheticOnly?: boolean;
  threshold: number;
  portPrior: boolean;
  syntheticStacks: 'real' | 'shared';
}

/**
 * The command recorded in the model, one that trains it again: every option that shapes the weights or
 * the file; `--datasets` when given, and data found through NML_DATASETS named as the variable before
 * the command (as `nml train url` records it); `--model-version` always (its default is the day);
 * `--out` when given (else the shipped model's path is the default).
 */
export function trainSynCommand(f: TrainSynFlags, given: { datasets: boolean; out: boolean }, env: NodeJS.ProcessEnv = process.env): string {
  const words = ['nml', 'train', 'syn'];
  if (given.datasets) words.push('--datasets', shellWord(f.datasets));
  if (given.out) words.push('--out', shellWord(f.out));
  words.push('--seed', `${f.seed}`, '--epochs', `${f.epochs}`, '--patience', `${f.patience}`, '--synthetic', `${f.synthetic}`, '--variant', shellWord(f.variant), '--threshold', `${f.threshold}`);
  if (!f.portPrior) words.push('--no-port-prior');
  if (f.syntheticStacks !== 'shared') words.push('--synthetic-stacks', f.syntheticStacks);
  if (f.syntheticOnly === true) words.push('--synthetic-only');
  words.push('--model-version', shellWord(f.modelVersion));
  const fromEnv = datasetsFromEnv(env);
  return fromEnv !== null && !given.datasets ? `NML_DATASETS=${shellWord(fromEnv)} ${words.join(' ')}` : words.join(' ');
}

/** What a SYN datasets folder holds, for messages. */
export const SYN_HOLDS = 'syn-pcaps/ or syn-more/ (syn-more/captures/ beside its hosts.csv)';

export function addTrainSyn(train: Command): void {
  train
    .command('syn')
    .description('train the SYN-packet image CNN (malicious source hosts) on ../shared/datasets syn-pcaps + syn-more and synthetic traffic')
    .option('--datasets <dir>', 'folder holding syn-pcaps/ and syn-more/ (NML_DATASETS sets the default)', DEFAULT_DATASETS)
    .option('--out <file>', 'where to write the model', outputFile, DEFAULT_SYN_MODEL)
    .option('--seed <n>', 'seed for data, initialisation and order', seedOf(1), 1)
    .option('--epochs <n>', 'most epochs', epochs, 12)
    .option('--patience <n>', 'stop after this many epochs without a better validation loss', positiveInt, 3)
    .option('--synthetic <n>', 'synthetic hosts per profile weight', positiveInt, 10)
    .option('--variant <v>', `input layout: ${VARIANTS.join(', ')} (+bag: the wide fingerprint-token input)`, synVariant, 'fields+stats+bag' as Variant)
    .option('--threshold <p>', 'score at which a host becomes a finding, recorded in the model (pick it from nml eval syn)', fraction, 0.5)
    .option('--synthetic-only', 'train on synthetic traffic alone when --datasets holds no real capture')
    .option('--synthetic-stacks <kind>', "shared: the synthetic benign hosts draw Windows XP's stack too, so no stack is the worms' alone (default since syn-2026-11-30); real: XP only on synthetic worms, as before", syntheticStacks, 'shared')
    .option('--no-port-prior', 'without the port-rarity input (how rare each destination port is among the training benign hosts), as before syn-2026-11-29i')
    .option('--model-version <name>', 'model version recorded with findings', `syn-${new Date().toISOString().slice(0, 10)}`)
    .action(async (f: TrainSynFlags, cmd: Command) => {
      if (f.syntheticOnly !== true) checkDatasetsDir(resolve(f.datasets), cmd.getOptionValueSource('datasets') === 'cli' || datasetsFromEnv() !== null, 'SYN_DATASET_MISSING', SYN_HOLDS, ', or --synthetic-only to train on synthetic traffic alone');
      const out = resolve(f.out);
      const options = {
        datasets: resolve(f.datasets),
        seed: f.seed,
        epochs: f.epochs,
        patience: f.patience,
        variant: f.variant,
        synthPerWeight: f.synthetic,
        version: f.modelVersion,
        syntheticOnly: f.syntheticOnly === true,
        threshold: f.threshold,
        portPrior: f.portPrior,
        syntheticStacks: f.syntheticStacks,
        command: trainSynCommand(f, { datasets: cmd.getOptionValueSource('datasets') === 'cli', out: cmd.getOptionValueSource('out') === 'cli' }),
      };
      // in a worker thread, so that a Ctrl-C during training is heard (job-thread.ts)
      await runJob({ kind: 'train-syn', options }, 'train syn', trainWords('train syn', out), { log: (l: string) => process.stderr.write(`${l}\n`) }, (model: SynModelFile) => {
        writeFileWhole(out, JSON.stringify(model) + '\n', 'SYN model');
      });
      process.stderr.write(`wrote ${out}\n`);
    });
}

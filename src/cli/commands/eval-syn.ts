/** `nml eval syn`: leave-one-capture-out on the real captures, synthetic tools apart, image variants; a markdown report. */
import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { SYN_VARIANTS, type SynVariant } from '../../detect/index.js';
import { evalWords, runJob } from './job-thread.js';
import { epochs, reportFile, positiveInt, seedOf, syntheticStacks, synVariant } from './args.js';
import { writeOut } from '../output.js';
import { writeFileWhole } from './write-whole.js';
import { SYN_HOLDS } from './train-syn.js';
import { checkDatasetsDir, DEFAULT_DATASETS, datasetsFromEnv } from './datasets-dir.js';

export function addEvalSyn(ev: Command): void {
  ev.command('syn')
    .description('evaluate the SYN detector: leave-one-capture-out on real captures (headline), synthetic tools separately, baselines in every table')
    .option('--datasets <dir>', 'folder holding syn-pcaps/ and syn-more/ (NML_DATASETS sets the default)', DEFAULT_DATASETS)
    .option('--seed <n>', 'seed', seedOf(1), 1)
    .option('--epochs <n>', 'epochs per fold model', epochs, 4)
    .option('--train-seeds <n>', 'repeat leave-one-capture-out with this many training seeds and report the spread', positiveInt, 5)
    .option('--synthetic <n>', 'synthetic hosts per profile weight (train and test sets each)', positiveInt, 8)
    .option('--variant <v>', `input layout of the evaluated model: ${SYN_VARIANTS.join(', ')}`, synVariant, 'fields+stats+bag' as SynVariant)
    .option('--variants', `also compare the input layouts (${SYN_VARIANTS.length} more models)`)
    .option('--synthetic-ports <kind>', "real: the synthetic worms and P2P hosts use those tools' real ports; neutral: ports no real capture uses (measures how much a result rests on that knowledge)", syntheticPorts, 'real')
    .option('--synthetic-stacks <kind>', "shared: the synthetic benign hosts draw Windows XP's stack too, as the shipped model trains (default); real: XP only on synthetic worms, as before syn-2026-11-30 (measures how much a result rests on a stack only the malicious hosts use)", syntheticStacks, 'shared')
    .option('--no-port-prior', 'models without the port-rarity input (how rare each destination port is among the training benign hosts), as before syn-2026-11-29i')
    .option('--out <file>', 'write the markdown report here instead of stdout', reportFile)
    .action(async (f: { datasets: string; seed: number; epochs: number; synthetic: number; trainSeeds: number; variant: SynVariant; variants?: boolean; syntheticPorts: 'real' | 'neutral'; syntheticStacks: 'real' | 'shared'; portPrior: boolean; out?: string }, cmd: Command) => {
      checkDatasetsDir(resolve(f.datasets), cmd.getOptionValueSource('datasets') === 'cli' || datasetsFromEnv() !== null, 'SYN_DATASET_MISSING', SYN_HOLDS);
      const options = {
        datasets: resolve(f.datasets),
        seed: f.seed,
        epochs: f.epochs,
        variant: f.variant,
        trainSeeds: f.trainSeeds,
        synthPerWeight: f.synthetic,
        variants: f.variants === true,
        syntheticPorts: f.syntheticPorts,
        syntheticStacks: f.syntheticStacks,
        portPrior: f.portPrior,
      };
      // in a worker thread, so that a Ctrl-C during the evaluation is heard (job-thread.ts)
      await runJob({ kind: 'eval-syn', options }, 'eval syn', evalWords('eval syn'), { log: (l: string) => process.stderr.write(`${l}\n`) }, async (md: string) => {
        if (f.out !== undefined) writeFileWhole(f.out, md, 'report');
        else await writeOut(md);
      });
    });
}

function syntheticPorts(v: string): 'real' | 'neutral' {
  if (v !== 'real' && v !== 'neutral') throw new InvalidArgumentError(`expected real or neutral, got '${v}'`);
  return v;
}

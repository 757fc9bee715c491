/** `nml eval assist` (and `nml assist eval`): retrieval evaluation of the incident assistant; writes a markdown report. */
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { rankModelText, DEFAULT_MODEL_PATH, type RankModel } from '../../assist/index.js';
import { evalWords, runJob } from './job-thread.js';
import type { AssistEvalResult } from './job-worker.js';
import { writeOut } from '../output.js';
import { modelCard } from './assist-model-card.js';
import { nonNegInt, reportFile } from './args.js';
import { writeFileWhole } from './write-whole.js';
import { DEFAULT_DATASETS } from './datasets-dir.js';

interface EvalFlags {
  datasets: string;
  out?: string;
  seed: number;
  saveModel?: boolean;
}

export function registerEvalAssist(parent: Command, name = 'assist'): void {
  parent
    .command(name)
    .description('precision@5 and nDCG@10 of plain BM25 vs the hybrid ranking on CASIE and Hackmageddon (relevance = same type)')
    .option('--datasets <dir>', 'folder holding news-cyber-events-casie and attack-timeline-hackmageddon', DEFAULT_DATASETS)
    .option('--out <file>', 'also write the markdown report to this file', reportFile)
    .option('--seed <n>', 'split seed', nonNegInt, 7)
    .option('--save-model', `train on the training splits of both corpora and write ${DEFAULT_MODEL_PATH} with its MODEL_CARD.md`)
    .action(async (flags: EvalFlags) => {
      const seed = flags.seed;
      // in a worker thread, so that a Ctrl-C during the evaluation (and --save-model's training) is heard (job-thread.ts)
      const job = { kind: 'eval-assist' as const, datasets: flags.datasets, seed, saveModel: flags.saveModel === true };
      await runJob(job, `eval ${name}`, evalWords(`eval ${name}`), {}, async ({ results, report, model }: AssistEvalResult) => {
        await writeOut(report);
        if (flags.out !== undefined) writeFileWhole(flags.out, report, 'report');
        if (model !== undefined) {
          saveAssistModel(model, modelCard(model, results, seed));
          await writeOut(`\nmodel written to ${DEFAULT_MODEL_PATH}\n`);
        }
      });
    });
}

/**
 * `--save-model`: the ranking weights at `path`, then MODEL_CARD.md beside them, each written whole
 * (a temporary file renamed over the old one): a Ctrl-C or a full disk mid-write left a cut-short
 * weights.json that `nml assist similar` refused (ASSIST_MODEL_INVALID), and a failed write was an
 * internal error with a stack; now the old file stays and the error is CLI_OUTPUT_WRITE_FAILED.
 */
export function saveAssistModel(model: RankModel, card: string, path = DEFAULT_MODEL_PATH): void {
  const fix = 'then run nml eval assist --save-model again';
  writeFileWhole(path, rankModelText(model), 'assist ranking model', fix);
  writeFileWhole(join(dirname(path), 'MODEL_CARD.md'), card, 'assist model card', fix);
}

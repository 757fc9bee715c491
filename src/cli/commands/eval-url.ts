/** `nml eval url`: random split by host and leave-one-source-out, markdown report to a file and stdout. */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { AppError } from '../../core/index.js';
import { DEFAULT_ADAPT_BELOW, DEFAULT_EXTRA_BENIGN, DEFAULT_NGRAM_GRAMS, DEFAULT_POPULARITY, EXTRA_BENIGN, NGRAM_GRAMS, POPULARITY_LISTS, NGRAM_EPOCHS, OUTSIDE_SOURCES, renderEvalMarkdown, type NgramGrams, type UrlEvalReport, type UrlModelKind } from '../../detect/index.js';
import { epochs, fraction, nonNegInt, outputFile, seedOf } from './args.js';
import { PACKAGE_ROOT } from '../../version.js';
import { writeFileWhole } from './write-whole.js';
import { evalWords, runJob } from './job-thread.js';
import { commandLine, urlDatasets, EXTRA_BENIGN_HELP, extraBenignList, GRAMS_HELP, gramsKind, POPULARITY_HELP, popularityList, listOf, modelKinds } from './detect-url-flags.js';

interface Flags {
  models: UrlModelKind[];
  epochs: number;
  ngramEpochs: number;
  seed: number;
  dataDir?: string;
  datasets?: string;
  report: string;
  out?: string;
  maxTrain: number;
  exposeTrain: number;
  exposeEpochs: number;
  exposeTest: number;
  sources?: string;
  random: boolean;
  loso: boolean;
  outside: boolean;
  outsideOnly?: boolean;
  extraTrain?: string[];
  dropout?: number;
  hostWeighting?: boolean;
  sourceBalance?: boolean;
  stripWww?: boolean;
  extraBenign: string[];
  popularity: string;
  grams: NgramGrams;
  dropTrainTypes?: string;
  adapt?: boolean;
  adaptBelow: number;
}

/** The report beside the shipped models (models/url/EVAL.md of the package), whatever the working directory. */
export const DEFAULT_URL_REPORT = join(PACKAGE_ROOT, 'models', 'url', 'EVAL.md');

/** The default report's folder is checked before the evaluation, as --report is when parsed (an installed package may be read-only). */
function checkDefaultReport(file: string): void {
  try {
    outputFile(file);
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    throw new AppError('URL_OUTPUT_UNWRITABLE', 'unavailable', `url eval: cannot write the report to ${file}: ${e.message}; give --report FILE`, { file });
  }
}

export function addEvalUrl(ev: Command): void {
  ev.command('url')
    .description('train and test the URL models on a random split by host and leaving each source out; print and write a markdown report')
    .option('--models <list>', 'comma-separated: ngram, bob, expose (errors are listed for the first that is not expose)', modelKinds, ['ngram', 'bob'] as UrlModelKind[])
    .option('--epochs <n>', 'most epochs for bob (early stopping on validation loss)', epochs, 10)
    .option('--ngram-epochs <n>', 'most epochs for ngram (early stopping on validation loss)', epochs, NGRAM_EPOCHS)
    .option('--seed <n>', 'random seed for splits and training', seedOf(0), 1)
    .option('--datasets <dir>', 'folder holding urls-iscx-phishtank/ and urls-more/ (default ../shared/datasets)')
    .option('--data-dir <dir>', 'the older name of --datasets')
    .option('--report <file>', 'markdown report (a .json with the figures is written beside it)', outputFile, DEFAULT_URL_REPORT)
    .option('--out <file>', 'the same as --report (the name eval syn and eval assist use)', outputFile)
    .option('--max-train <n>', 'bob: train on at most this many rows per split (0 = all)', nonNegInt, 0)
    .option('--expose-train <n>', 'expose: training rows per split', nonNegInt, 5000)
    .option('--expose-epochs <n>', 'expose: most epochs', epochs, 2)
    .option('--expose-test <n>', 'expose: test rows per split, drawn by seed (bob is scored on the same rows too)', nonNegInt, 3000)
    .option('--sources <list>', 'leave out only these sources (comma-separated)')
    .option('--no-random', 'skip the random split')
    .option('--no-loso', 'skip leave-one-source-out (the headline; with data of one source there is nothing to leave out)')
    .option('--no-outside', 'skip the outside split (news links vs Maltrail URLs; runs when those datasets are present)')
    .option('--outside-only', 'run only the outside split')
    .option('--extra-train <list>', 'also train on the spare half of these outside sources (news-links, maltrail); the outside split tests on the other half', (v: string) => listOf(v, OUTSIDE_SOURCES, '--extra-train'))
    .option('--dropout <p>', 'bob: dropout between layers (default 0.5)', fraction)
    .option('--drop-train-types <list>', 'leave rows of these original types (e.g. spam) out of training, never out of test')
    .option('--strip-www', 'bob: the model also drops a leading www. (default: scheme only)')
    .option('--host-weighting', 'bob: weight rows by 1/√(rows of their host)')
    .option('--source-balance', 'bob: weight rows so every (source, label) group counts the same')
    .option('--extra-benign <list>', EXTRA_BENIGN_HELP, (v: string) => extraBenignList(v, Object.keys(EXTRA_BENIGN)), [...DEFAULT_EXTRA_BENIGN])
    .option('--popularity <list>', POPULARITY_HELP, (v: string) => popularityList(v, Object.keys(POPULARITY_LISTS)), DEFAULT_POPULARITY)
    .option('--grams <how>', GRAMS_HELP, (v: string) => gramsKind(v, NGRAM_GRAMS), DEFAULT_NGRAM_GRAMS)
    .option('--adapt', 'also measure adaptation to each held-out source (nml train url --adapt-urls): half its hosts adapt the n-gram model, the other half tests it (a protocol beside the headline)')
    .option('--adapt-below <p>', 'with --adapt: the score below which an adaptation URL trains as benign', fraction, DEFAULT_ADAPT_BELOW)
    .action(async (flags: Flags, cmd: Command) => {
      if (flags.out !== undefined) {
        if (cmd.getOptionValueSource('report') !== 'default' && resolve(flags.report) !== resolve(flags.out)) throw new AppError('URL_OPTIONS_INVALID', 'bad_request', 'url eval: --report and --out name two files; give one (they are the same option)');
        flags.report = flags.out;
      } else if (cmd.getOptionValueSource('report') === 'default') checkDefaultReport(flags.report);
      if (flags.outsideOnly === true && flags.outside === false) throw new AppError('URL_OPTIONS_INVALID', 'bad_request', 'url eval: --outside-only and --no-outside together leave nothing to evaluate; give one of them');
      const dataDir = urlDatasets(flags);
      const options = {
        dataDir,
        models: flags.models,
        seed: flags.seed,
        epochs: flags.epochs,
        ngramEpochs: flags.ngramEpochs,
        maxTrain: flags.maxTrain,
        exposeTrain: flags.exposeTrain,
        exposeEpochs: flags.exposeEpochs,
        exposeTest: flags.exposeTest,
        ...(flags.sources === undefined ? {} : { sources: flags.sources.split(',').map((s) => s.trim()) }),
        noRandom: !flags.random,
        noLoso: !flags.loso,
        ...(flags.extraTrain === undefined ? {} : { extraTrain: flags.extraTrain }),
        outside: flags.outsideOnly === true ? ('only' as const) : flags.outside === false ? ('no' as const) : ('auto' as const),
        ...(flags.dropout === undefined ? {} : { dropout: flags.dropout }),
        hostWeighting: flags.hostWeighting === true,
        sourceBalance: flags.sourceBalance === true,
        extraBenign: flags.extraBenign,
        popularity: flags.popularity,
        grams: flags.grams,
        ...(flags.dropTrainTypes === undefined ? {} : { dropTrainTypes: flags.dropTrainTypes.split(',').map((s) => s.trim()) }),
        ...(flags.stripWww === true ? { normalize: 'scheme+www' as const } : {}),
        ...(flags.adapt === true ? { adapt: { below: flags.adaptBelow } } : {}),
      };
      // in a worker thread, so that a Ctrl-C during the evaluation is heard (job-thread.ts)
      await runJob({ kind: 'eval-url', options, command: commandLine() }, 'eval url', evalWords('eval url'), { log: (l: string) => process.stderr.write(l + '\n') }, (report: UrlEvalReport) => {
        const md = renderEvalMarkdown(report);
        const file = resolve(flags.report);
        writeFileWhole(file, md, 'report');
        writeFileWhole(file.replace(/\.md$/, '') + '.json', JSON.stringify(report, null, 2) + '\n', 'report figures');
        process.stdout.write(md);
        process.stderr.write(`wrote ${file}\n`);
      });
    });
}

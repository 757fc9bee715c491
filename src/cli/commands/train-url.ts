/** `nml train url`: trains the byte n-gram model (default), Bag-of-Bytes or the eXpose baseline, and writes models/url/<model>/. */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { BENIGN_REPEAT, DEFAULT_ADAPT_BELOW, DEFAULT_ADAPT_MAX, DEFAULT_EXTRA_BENIGN, DEFAULT_NGRAM_GRAMS, DEFAULT_POPULARITY, EXTRA_BENIGN, NGRAM_GRAMS, POPULARITY_LISTS, NGRAM_EPOCHS, type EpochInfo, type NgramGrams, type TrainedUrl, type UrlModelKind } from '../../detect/index.js';
import { epochs, fraction, nonNegInt, outputDir, positiveInt, seedOf } from './args.js';
import { runJob, trainWords } from './job-thread.js';
import { AppError } from '../../core/index.js';
import { PACKAGE_ROOT } from '../../version.js';
import { commandLine, urlDatasets, EXTRA_BENIGN_HELP, extraBenignList, GRAMS_HELP, gramsKind, POPULARITY_HELP, popularityList, modelKind } from './detect-url-flags.js';

interface Flags {
  model: UrlModelKind;
  epochs?: number;
  seed: number;
  dataDir?: string;
  datasets?: string;
  out?: string;
  maxRows: number;
  dropout?: number;
  progress: boolean;
  hostWeighting?: boolean;
  sourceBalance?: boolean;
  stripWww?: boolean;
  extraBenign: string[];
  popularity: string;
  grams: NgramGrams;
  modelVersion?: string;
  adaptUrls?: string;
  adaptBelow: number;
  adaptMax: number;
  benignUrls?: string;
  benignRepeat?: number;
}

/**
 * The shipped model of a kind, beside the package: what `nml score url` (and `nml serve`) read without
 * --model, whatever the working directory (resolved against it, a retrained model went where nothing reads).
 */
export function shippedUrlModelDir(kind: UrlModelKind): string {
  return join(PACKAGE_ROOT, 'models', 'url', kind);
}

/**
 * Where the model goes: --out (checked as it was parsed), else the shipped model's folder, checked
 * here before minutes of training (an installed package may be read-only) and said on stderr, since
 * it replaces the model `nml score url` and `nml serve` use.
 */
function outFolder(flags: Flags): string {
  if (flags.out !== undefined) return resolve(flags.out);
  const dir = shippedUrlModelDir(flags.model);
  try {
    outputDir(dir);
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    throw new AppError('URL_OUTPUT_UNWRITABLE', 'unavailable', `train url: cannot write the model to the shipped models folder ${dir}: ${e.message}; give --out DIR (then nml score url --model DIR)`, { dir });
  }
  process.stderr.write(`train url: no --out: the model will replace the shipped one in ${dir} (what nml score url and nml serve read); give --out DIR to keep it\n`);
  return dir;
}

export function addTrainUrl(train: Command): void {
  train
    .command('url')
    .description('train the malicious-URL model on the labelled URL sets (urls-iscx-phishtank, urls-more)')
    .option('--model <kind>', 'ngram (byte n-grams, the default model), bob (Bag-of-Bytes, the seed\'s model) or expose (the character-CNN baseline)', modelKind, 'ngram' as UrlModelKind)
    .option('--epochs <n>', 'most epochs; early stopping on a validation split (default ngram 4, bob 10, expose 2)', epochs)
    .option('--seed <n>', 'random seed: the same seed and data give the same model', seedOf(0), 1)
    .option('--datasets <dir>', 'folder holding urls-iscx-phishtank/ and urls-more/ (default $NML_DATASETS, else ../shared/datasets)')
    .option('--data-dir <dir>', 'the older name of --datasets')
    .option('--out <dir>', 'where to write model.json and weights.bin (default: the shipped models/url/<model> of the package, which nml score url reads)', outputDir)
    .option('--max-rows <n>', 'train on at most this many rows, drawn by seed (0 = all; default bob 0, expose 10000)', nonNegInt)
    .option('--dropout <p>', 'bob, expose: dropout between layers (default 0.5)', fraction)
    .option('--strip-www', 'bob: the model also drops a leading www. (default: scheme only)')
    .option('--host-weighting', 'ngram, bob: weight rows by 1/√(rows of their host)')
    .option('--source-balance', 'ngram, bob: weight rows so every (source, label) group counts the same')
    .option('--extra-benign <list>', EXTRA_BENIGN_HELP, (v: string) => extraBenignList(v, Object.keys(EXTRA_BENIGN)), [...DEFAULT_EXTRA_BENIGN])
    .option('--popularity <list>', POPULARITY_HELP, (v: string) => popularityList(v, Object.keys(POPULARITY_LISTS)), DEFAULT_POPULARITY)
    .option('--grams <how>', GRAMS_HELP, (v: string) => gramsKind(v, NGRAM_GRAMS), DEFAULT_NGRAM_GRAMS)
    .option('--model-version <name>', 'model version recorded with findings (default <model>-<date>-s<seed>, with -adapted after --adapt-urls)')
    .option('--adapt-urls <file>', "ngram: adapt to your network: your own URLs (one per line, unlabelled) that the model trained first scores below --adapt-below train again as benign (use traffic you trust as mostly benign; keep the model you adapted from)")
    .option('--adapt-below <p>', 'ngram: the first model\'s score below which an --adapt-urls URL trains as benign', fraction, DEFAULT_ADAPT_BELOW)
    .option('--adapt-max <n>', 'ngram: read at most this many distinct --adapt-urls URLs (drawn by seed)', positiveInt, DEFAULT_ADAPT_MAX)
    .option('--benign-urls <file>', "ngram: URLs a person confirmed benign, one per line (the URL findings marked false positive: 'nml findings urls'), trained as benign whatever the model scores them")
    .option('--benign-repeat <n>', `ngram: times each --benign-urls URL trains (default ${BENIGN_REPEAT})`, positiveInt)
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Your own labelled URLs: a folder D with D/urls-more/urls.csv.gz, a gzip CSV whose first line is the header
url,label,original_type,source; label benign or malicious, source any name (leave-one-source-out needs
two or more); then: nml train url --datasets D --extra-benign none --popularity none --out MODEL_DIR
(the two 'none' leave out the shared domain lists, which D does not hold).`,
    )
    .action(async (flags: Flags & { maxRows?: number }) => {
      const dataDir = urlDatasets(flags);
      const out = outFolder(flags);
      const expose = flags.model === 'expose';
      const epochs = flags.epochs ?? (expose ? 2 : flags.model === 'ngram' ? NGRAM_EPOCHS : 10);
      const bar = flags.progress && process.stderr.isTTY ? new SingleBar({ format: `train ${flags.model} epoch {epoch}/${epochs} [{bar}] {percentage}% | {value}/{total} URLs | {note}`, stream: process.stderr }) : null;
      let started = false;
      const options = {
        dataDir,
        model: flags.model,
        epochs,
        seed: flags.seed,
        outDir: out,
        command: commandLine(),
        maxRows: flags.maxRows ?? (expose ? 10_000 : 0),
        ...(flags.dropout === undefined ? {} : { dropout: flags.dropout }),
        hostWeighting: flags.hostWeighting === true,
        sourceBalance: flags.sourceBalance === true,
        extraBenign: flags.extraBenign,
        popularity: flags.popularity,
        ...(flags.model === 'ngram' ? { grams: flags.grams } : {}),
        ...(flags.modelVersion === undefined ? {} : { version: flags.modelVersion }),
        ...(flags.adaptUrls === undefined ? {} : { adapt: { file: resolve(flags.adaptUrls), below: flags.adaptBelow, max: flags.adaptMax } }),
        ...(flags.benignUrls === undefined ? {} : { benign: { file: resolve(flags.benignUrls), ...(flags.benignRepeat === undefined ? {} : { repeat: flags.benignRepeat }) } }),
        ...(flags.stripWww === true ? { normalize: 'scheme+www' as const } : {}),
      };
      // in a worker thread, so that a Ctrl-C during training is heard (job-thread.ts)
      // the worker writes the model (saveModel): the job is over once its result is here
      const r = await runJob({ kind: 'train-url', options }, 'train url', trainWords('train url', out), {
        onProgress: (done: number, total: number, epoch: number) => {
          if (bar === null) return;
          if (!started) {
            bar.start(total, 0, { epoch, note: '' });
            started = true;
          }
          bar.update(done, { epoch });
        },
        onAdaptStart: (rows: number, urls: number, below: number) => {
          const line = `first model trained; ${rows} of the ${urls} URLs to adapt to scored below ${below}: training again with them as benign`;
          if (bar !== null) bar.update({ note: line });
          else process.stderr.write(line + '\n');
        },
        onWarning: (line: string) => process.stderr.write(`nml: warning: ${line}\n`),
        onEpoch: (e: EpochInfo) => {
          const line = `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, validation loss ${e.valLoss?.toFixed(4) ?? 'n/a'}, ${e.seconds.toFixed(1)} s`;
          if (bar !== null) bar.update({ note: line });
          else process.stderr.write(line + '\n');
        },
      }, (trained: TrainedUrl) => trained);
      bar?.stop();
      const c = r.confirmedBenign;
      if (c !== undefined) process.stdout.write(`confirmed benign: ${c.urls - c.validationHostUrls} distinct URLs trained as benign, ${c.repeat} times each (${c.skipped} line${c.skipped === 1 ? '' : 's'} skipped${c.validationHostUrls > 0 ? `; ${c.validationHostUrls} left out: their hosts validate` : ''})\n`);
      const a = r.adaptation;
      if (a !== undefined) process.stdout.write(`adapted: ${a.urls} distinct URLs read (${a.skipped} line${a.skipped === 1 ? '' : 's'} skipped), ${a.rows} of them on ${a.hosts} hosts scored below ${a.below} by the first model and trained as benign${a.validationHostRows > 0 ? ` (${a.validationHostRows} left out: their hosts validate)` : ''}\n`);
      process.stdout.write(`trained ${r.meta.version} on ${r.trainRows} URLs (validation ${r.valRows}) in ${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(1)} s of CPU), best epoch ${String(r.meta.training.bestEpoch)}; wrote ${out}\n`);
    });
}

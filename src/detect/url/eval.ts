/** `nml eval url`: each model on the random split by host and on leave-one-source-out, with an error study. */
import { AppError } from '../../core/index.js';
import { evaluateAdaptation, type AdaptEvalResult } from './eval-adapt.js';
import { BareHostPool, bareBenignUrls, type BareHostResult } from './eval-bare.js';
import { DEFAULT_POPULARITY, loadPopularity, loadUrlRows, type UrlRow } from './data.js';
import { classResults, isLabelNoise, withoutNoiseKey, type ClassResult } from './eval-classes.js';
import { ExposeScorer } from './expose-train.js';
import { summarize } from './explain.js';
import type { UrlNormalization } from './features.js';
import { computeMetrics, type Metrics } from './metrics.js';
import { NGRAM_EPOCHS } from './ngram.js';
import { DEFAULT_NGRAM_GRAMS, type NgramGrams } from './ngram-grams.js';
import { outsideFor } from './outside.js';
import { Rng } from './rng.js';
import { scorerFor, type UrlScorer } from './scorer.js';
import { extrasToTrain, hostSplit, leaveOneSourceOut, sharedHosts, sourcesOf, type Split } from './split.js';
import { missingClasses, requireBothClasses, trainOnRows, type UrlModelKind } from './train.js';

export interface EvalOptions {
  dataDir: string;
  models: UrlModelKind[];
  seed: number;
  epochs: number;
  /** most epochs of the n-gram model (default NGRAM_EPOCHS) */
  ngramEpochs?: number;
  /** BoB: rows per training fold at most (0 = all) */
  maxTrain: number;
  /** eXpose: rows per training fold, epochs, and test rows per fold (it is ~100× dearer) */
  exposeTrain: number;
  exposeEpochs: number;
  exposeTest: number;
  /** only these leave-out sources (default all) */
  sources?: string[];
  /** Bag-of-Bytes dropout and host weighting (see TrainUrlOptions) */
  dropout?: number;
  hostWeighting?: boolean;
  sourceBalance?: boolean;
  normalize?: UrlNormalization;
  /** leave rows of these original types out of training (never out of test), e.g. `spam` */
  dropTrainTypes?: string[];
  /** skip the random split */
  noRandom?: boolean;
  /** skip leave-one-source-out (`--no-loso`: one source, or only the random and outside splits wanted) */
  noLoso?: boolean;
  /** EXTRA_BENIGN sources added to every training fold (never tested on, never held out) */
  extraBenign?: string[];
  /** n-grams: the popularity list learned beside the grams (POPULARITY_LISTS), or `none` (default DEFAULT_POPULARITY) */
  popularity?: string;
  /** n-grams: how the models read grams (default DEFAULT_NGRAM_GRAMS) */
  grams?: NgramGrams;
  /** the outside split (see outside.ts): 'auto' runs it when its files are present (default), 'only' skips every other split */
  outside?: 'auto' | 'no' | 'only';
  /** outside sources (OUTSIDE_SOURCES) whose spare half is added to every training fold (never tested on, never held out) */
  extraTrain?: string[];
  /** also the adaptation protocol (eval-adapt.ts), with this line (`--adapt`, `--adapt-below`) */
  adapt?: { below: number };
  log?(line: string): void;
}

export interface FoldResult {
  split: string;
  model: UrlModelKind;
  trainRows: number;
  testRows: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  bestEpoch: number;
  metrics: Metrics;
  /** this model (ngram or bob) on the same test rows as eXpose (set when eXpose ran on a sample) */
  sameTestAsExpose?: Metrics;
  /** the mean of BoB's and eXpose's scores on eXpose's test rows (set on eXpose folds when both ran) */
  meanOfBoth?: Metrics;
}

export interface ErrorExample {
  url: string;
  source: string;
  score: number;
  why: string;
}

export interface UrlEvalReport {
  date: string;
  seed: number;
  command: string;
  rows: number;
  bySource: Record<string, [number, number]>;
  /** the outside test rows (news links benign, Maltrail URLs malicious), when that split ran */
  outside?: { benign: number; malicious: number; benignHosts: number; maliciousHosts: number; falsePositives: ErrorExample[]; falseNegatives: ErrorExample[] };
  folds: FoldResult[];
  /** leave-one-source-out, every held-out row scored by a model that never saw its source; with both
   * models, also each byte model and the mean of BoB and eXpose on eXpose's test rows (`ngram on eXpose's test rows`, `bob on eXpose's test rows`, `mean of bob and expose`) */
  pooled: Record<string, Metrics>;
  /** every held-out source by malicious class, for the byte models (absent in older reports) */
  byClass?: ClassResult[];
  falsePositives: ErrorExample[];
  falseNegatives: ErrorExample[];
  /** the model whose errors are listed: the first one of `models` that is not eXpose (absent in older reports: bob) */
  errorsModel?: string;
  /** leave-one-source-out on URLs that are only a host (eval-bare.ts); absent without the benign domain list */
  bareHosts?: BareHostResult[];
  /** the EXTRA_BENIGN lists every training fold had */
  extraBenign?: string[];
  /** the popularity list the n-gram folds learned beside the grams (absent in older reports: none) */
  popularity?: string;
  /** how the n-gram folds read grams (absent in older reports, and without the n-gram model: counted) */
  grams?: NgramGrams;
  /** `--adapt`: the adaptation protocol (eval-adapt.ts), beside the headline */
  adaptation?: AdaptEvalResult;
  /** splits not run, and why (a leave-out fold whose training side is empty or of one class) */
  skippedSplits?: { split: string; why: string }[];
  /** rows of the URL sets left out as unreadable, per file (data.ts) */
  dataWarnings?: string[];
}

/** Why a split cannot be trained on (its training side empty or of one class), or null when it can. */
function untrainable(trainRows: readonly UrlRow[]): string | null {
  if (trainRows.length === 0) return 'its training side has no rows (every row is of the held-out source or shares a host with it)';
  const missing = missingClasses(trainRows);
  return missing.length === 0 ? null : `its training side has no ${missing.join(' and no ')} rows`;
}

function sample(ids: number[], max: number, seed: number): number[] {
  const a = ids.slice();
  new Rng(seed).shuffle(a);
  return max > 0 && a.length > max ? a.slice(0, max) : a;
}

/** The split of every URL-set row against the outside rows (news links vs Maltrail URLs). */
export const OUTSIDE_SPLIT = 'outside: news links vs maltrail URLs';

export function evaluateUrlModels(o: EvalOptions, command: string): UrlEvalReport {
  const log = o.log ?? ((): void => {});
  const dataWarnings: string[] = [];
  const rows = loadUrlRows(o.dataDir, undefined, o.extraBenign ?? [], (l) => {
    dataWarnings.push(l);
    log(`warning: ${l}`);
  });
  requireBothClasses(rows.filter((r) => r.extra !== true), `the URL sets under ${o.dataDir}`);
  const outside = o.outside ?? 'auto';
  const { test: outsideRows, extra } = outsideFor(rows, o.dataDir, o.seed, outside, o.extraTrain ?? []);
  rows.push(...extra);
  const bySource: Record<string, [number, number]> = {};
  for (const r of rows) (bySource[r.source] ??= [0, 0])[r.label]++;
  const known = sourcesOf(rows);
  const unknown = (o.sources ?? []).filter((x) => !known.includes(x));
  if (unknown.length > 0) throw new AppError('URL_OPTIONS_INVALID', 'bad_request', `url eval: --sources names ${unknown.map((x) => `'${x}'`).join(', ')}, which the URL sets do not hold; the sources are ${known.join(', ')}`, { unknown });
  const splits: Split[] = [];
  if (outside !== 'only') {
    if (o.noRandom !== true) splits.push(extrasToTrain(rows, hostSplit(rows, 0.2, o.seed + 100)));
    if (o.noLoso !== true) for (const s of o.sources ?? sourcesOf(rows)) splits.push(leaveOneSourceOut(rows, s));
  }
  const mainRows = rows.length;
  if (outsideRows.length > 0) splits.push({ name: OUTSIDE_SPLIT, train: rows.map((_, i) => i), test: outsideRows.map((_, i) => mainRows + i) });
  rows.push(...outsideRows);
  // what each split trains on, and the splits that cannot train, told before any training
  const dropTypes = new Set(o.dropTrainTypes ?? []);
  const trainOf = (split: Split): UrlRow[] => split.train.map((i) => rows[i]!).filter((r) => !dropTypes.has(r.type));
  const skippedSplits: { split: string; why: string }[] = [];
  for (const split of splits) {
    const why = untrainable(trainOf(split));
    if (why === null) continue;
    skippedSplits.push({ split: split.name, why });
    log(`${split.name}: skipped: ${why}${known.length === 1 && split.name.startsWith('leave-out:') ? ' (the data has one source: --no-loso leaves this fold out)' : ''}`);
  }
  const runnable = splits.filter((x) => !skippedSplits.some((k) => k.split === x.name));
  if (runnable.length === 0) {
    const told = skippedSplits.map((k) => `${k.split}: ${k.why}`).join('; ');
    throw new AppError('URL_OPTIONS_INVALID', 'bad_request', `url eval: no split to evaluate${told === '' ? ' (--no-random, --no-loso and no outside split leave none)' : ` (${told})`}; leave out --no-random, or give data with more than one source`);
  }
  const popularityName = o.models.includes('ngram') ? (o.popularity ?? DEFAULT_POPULARITY) : 'none';
  const popularity = loadPopularity(o.dataDir, popularityName);
  const bare = new BareHostPool(outside === 'only' ? [] : bareBenignUrls(o.dataDir, rows, popularity));
  const folds: FoldResult[] = [];
  const pooledScores: Record<string, { s: number[]; y: number[] }> = {};
  const pool = (key: string, scores: ArrayLike<number>, labels: readonly number[]): void => {
    const p = (pooledScores[key] ??= { s: [], y: [] });
    for (let i = 0; i < labels.length; i++) {
      p.s.push(scores[i]!);
      p.y.push(labels[i]!);
    }
  };
  const errorsModel = o.models.find((m) => m !== 'expose');
  const byClass: ClassResult[] = [];
  const noisy = rows.some(isLabelNoise);
  const losoErrors: { row: UrlRow; score: number; scorer: UrlScorer }[] = [];
  const outsideErrors: { row: UrlRow; score: number; scorer: UrlScorer }[] = [];
  for (const split of runnable) {
    if (sharedHosts(rows, split).length > 0) throw new Error(`split ${split.name} shares hosts between train and test`);
    const isLoso = split.name.startsWith('leave-out:');
    const exposeTestIds = sample(split.test, o.exposeTest, o.seed + 3);
    /** scores of the byte models (ngram, bob) on every test row of the split */
    const fullScores = new Map<UrlModelKind, Float32Array>();
    let exposeScores: Float32Array | null = null;
    const trainRows = trainOf(split);
    for (const model of o.models) {
      const expose = model === 'expose';
      log(`${split.name}: training ${model} on ${expose ? Math.min(o.exposeTrain || trainRows.length, trainRows.length) : Math.min(o.maxTrain || trainRows.length, trainRows.length)} of ${trainRows.length} rows`);
      const t = trainOnRows(trainRows, model, {
        epochs: expose ? o.exposeEpochs : model === 'ngram' ? (o.ngramEpochs ?? NGRAM_EPOCHS) : o.epochs,
        seed: o.seed,
        maxRows: expose ? o.exposeTrain : o.maxTrain,
        ...(o.dropout === undefined ? {} : { dropout: o.dropout }),
        hostWeighting: o.hostWeighting === true,
        sourceBalance: o.sourceBalance === true,
        ...(o.normalize === undefined ? {} : { normalize: o.normalize }),
        popularity: model === 'ngram' ? popularity : null,
        ...(o.grams === undefined ? {} : { grams: o.grams }),
      });
      const testIds = expose ? exposeTestIds : split.test;
      const urls = testIds.map((i) => rows[i]!.url);
      const labels = testIds.map((i) => rows[i]!.label);
      let scores: Float32Array;
      let scorer: UrlScorer | null = null;
      if (expose) {
        scores = new ExposeScorer(t.tensors).scoreBatch(urls);
        exposeScores = scores;
      } else {
        scorer = scorerFor(model, t.tensors, o.normalize ?? 'scheme', t.grams);
        scores = scorer.scoreBatch(urls);
        fullScores.set(model, scores);
      }
      const m = computeMetrics(scores, labels);
      const fold: FoldResult = { split: split.name, model, trainRows: t.trainRows, testRows: testIds.length, trainSeconds: Math.round(t.seconds * 10) / 10, trainCpuSeconds: Math.round(t.cpuSeconds * 10) / 10, bestEpoch: t.bestEpoch, metrics: m };
      folds.push(fold);
      log(`${split.name} ${model}: accuracy ${m.accuracy.toFixed(4)} ROC-AUC ${m.rocAuc?.toFixed(4) ?? 'n/a'} (${fold.trainSeconds}s)`);
      if (isLoso) {
        pool(model, scores, labels);
        if (!expose) {
          const testRows = testIds.map((i) => rows[i]!);
          byClass.push(...classResults(model, testRows, scores));
          bare.add(model, testRows, scores, (u) => scorer!.scoreBatch(u));
          if (noisy) {
            const clean = testRows.map((r, i) => (isLabelNoise(r) ? -1 : i)).filter((i) => i >= 0);
            pool(withoutNoiseKey(model), clean.map((i) => scores[i]!), clean.map((i) => labels[i]!));
          }
        }
      }
      if (scorer !== null && model === errorsModel && (isLoso || split.name === OUTSIDE_SPLIT)) {
        const errors = isLoso ? losoErrors : outsideErrors;
        scores.forEach((v, i) => {
          const row = rows[testIds[i]!]!;
          if ((row.label === 0 && v >= 0.5) || (row.label === 1 && v < 0.5)) errors.push({ row, score: v, scorer: scorer! });
        });
      }
    }
    if (exposeScores !== null && fullScores.size > 0) {
      const pos = new Map(split.test.map((id, i) => [id, i]));
      const labels = exposeTestIds.map((i) => rows[i]!.label);
      const fold = (m: UrlModelKind): FoldResult | undefined => folds.find((x) => x.split === split.name && x.model === m);
      for (const [model, all] of fullScores) {
        const onSample = exposeTestIds.map((id) => all[pos.get(id)!]!);
        const f = fold(model);
        if (f !== undefined && exposeTestIds.length < split.test.length) f.sameTestAsExpose = computeMetrics(onSample, labels);
        if (isLoso) pool(`${model} on eXpose's test rows`, onSample, labels);
        if (model !== 'bob') continue;
        const mean = onSample.map((v, i) => (v + exposeScores![i]!) / 2);
        const e = fold('expose');
        if (e !== undefined) e.meanOfBoth = computeMetrics(mean, labels);
        if (isLoso) pool('mean of bob and expose', mean, labels);
      }
    }
  }
  const pooled: UrlEvalReport['pooled'] = {};
  for (const [model, p] of Object.entries(pooledScores)) pooled[model] = computeMetrics(p.s, p.y);
  const explainOf = (e: { row: UrlRow; score: number; scorer: UrlScorer }): ErrorExample => {
    const x = e.scorer.explain(e.row.url);
    return { url: e.row.url, source: e.row.source, score: Math.round(e.score * 1e4) / 1e4, why: summarize(x.score, x.detail) };
  };
  /** the n most confident errors of a class, one per host (a host's many near-identical URLs would fill the list) */
  const worst = (errors: typeof losoErrors, label: 0 | 1, n: number): ErrorExample[] => {
    const hosts = new Set<string>();
    const out: typeof losoErrors = [];
    for (const e of errors.filter((x) => x.row.label === label).sort((a, b) => (label === 0 ? b.score - a.score : a.score - b.score))) {
      if (hosts.has(e.row.host)) continue;
      hosts.add(e.row.host);
      out.push(e);
      if (out.length === n) break;
    }
    return out.map(explainOf);
  };
  const adaptation =
    o.adapt === undefined
      ? undefined
      : evaluateAdaptation(rows.slice(0, mainRows), o.models.includes('ngram') ? popularity : loadPopularity(o.dataDir, o.popularity ?? DEFAULT_POPULARITY), {
          seed: o.seed,
          epochs: o.ngramEpochs ?? NGRAM_EPOCHS,
          below: o.adapt.below,
          ...(o.grams === undefined ? {} : { grams: o.grams }),
          ...(o.sources === undefined ? {} : { sources: o.sources }),
          log,
        });
  const fps = worst(losoErrors, 0, 15);
  const fns = worst(losoErrors, 1, 10);
  const outsideCounts = outsideRows.length === 0 ? undefined : { falsePositives: worst(outsideErrors, 0, 10), falseNegatives: worst(outsideErrors, 1, 10), benign: outsideRows.filter((r) => r.label === 0).length, malicious: outsideRows.filter((r) => r.label === 1).length, benignHosts: new Set(outsideRows.filter((r) => r.label === 0).map((r) => r.host)).size, maliciousHosts: new Set(outsideRows.filter((r) => r.label === 1).map((r) => r.host)).size };
  return { date: new Date().toISOString(), seed: o.seed, command, rows: rows.slice(0, mainRows).filter((r) => r.extra !== true).length, bySource, ...(outsideCounts === undefined ? {} : { outside: outsideCounts }), folds, pooled, byClass, falsePositives: fps, falseNegatives: fns, ...(errorsModel === undefined ? {} : { errorsModel }), ...(bare.benignUrls.length === 0 ? {} : { bareHosts: bare.results() }), extraBenign: o.extraBenign ?? [], popularity: popularityName, ...(o.models.includes('ngram') ? { grams: o.grams ?? DEFAULT_NGRAM_GRAMS } : {}), ...(adaptation === undefined ? {} : { adaptation }), ...(skippedSplits.length === 0 ? {} : { skippedSplits }), ...(dataWarnings.length === 0 ? {} : { dataWarnings }) };
}

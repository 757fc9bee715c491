/** Training a URL model end to end: load the sets, split off validation by host, train, save with its metadata. */
import { AppError } from '../../core/index.js';
import { adaptationRows, BENIGN_REPEAT, confirmedBenignRows, DEFAULT_ADAPT_BELOW, DEFAULT_ADAPT_MAX, readAdaptUrls, type AdaptationSummary } from './adapt.js';
import { normalizeUrl, type UrlNormalization } from './features.js';
import { BOB_TENSORS, bobTensors } from './bob.js';
import { DEFAULT_POPULARITY, loadPopularity, loadUrlRows, type UrlRow } from './data.js';
import { MODEL_FORMAT, saveModel, type ModelMeta } from './model-io.js';
import { Rng } from './rng.js';
import { subset, toSparseSet } from './sparse-set.js';
import { extrasToTrain, hostSplit } from './split.js';
import { trainBob, type EpochInfo } from './train-bob.js';
import { trainExposeRows, EXPOSE_DEFAULTS } from './expose-train.js';
import { ngramTensors } from './ngram.js';
import { trainNgram } from './train-ngram.js';
import { DEFAULT_NGRAM_GRAMS, type NgramGrams } from './ngram-grams.js';
import type { PopularityTable } from './popularity.js';
import { scorerFor, type UrlScorer } from './scorer.js';

/** `ngram` (byte n-grams, the default), `bob` (Bag-of-Bytes, the seed's model), `expose` (the character-CNN baseline) */
export type UrlModelKind = 'ngram' | 'bob' | 'expose';

/** Bag-of-Bytes dropout unless told otherwise. */
export const DEFAULT_DROPOUT = 0.5;

export interface TrainUrlOptions {
  dataDir: string;
  model: UrlModelKind;
  epochs: number;
  seed: number;
  outDir: string;
  /** the command line, recorded in model.json */
  command: string;
  /** train on at most this many rows (random, by seed); 0 = all */
  maxRows: number;
  dropout?: number;
  /** what the model reads of a URL (default `scheme`) */
  normalize?: UrlNormalization;
  /** weight each row by 1/√(rows of its host), so that hosts with thousands of rows do not dominate */
  hostWeighting?: boolean;
  /** EXTRA_BENIGN sources (benign URLs built from domain lists) trained on beside the URL sets */
  extraBenign?: string[];
  /** weight rows so that every (source, label) group counts the same: the model cannot learn a source's style as its label */
  sourceBalance?: boolean;
  /** n-grams: the popularity list (POPULARITY_LISTS) whose six weights are learned beside the grams, or `none` (default DEFAULT_POPULARITY) */
  popularity?: string;
  /** n-grams: how the model reads grams (default DEFAULT_NGRAM_GRAMS, distinct; `counted` reproduces the models before 2026-12-03) */
  grams?: NgramGrams;
  /** the version recorded with findings (default `<model>-<date>-s<seed>`, `…-adapted` with `adapt`) */
  version?: string;
  /** n-grams: adapt to a network (adapt.ts): the URLs of `file` that the model trained first scores below `below` train again as benign */
  adapt?: { file: string; below?: number; max?: number };
  /**
   * n-grams: URLs a person confirmed benign (findings marked false positive: `nml findings urls`), each
   * trained as benign `repeat` times (default BENIGN_REPEAT) whatever the model scores them
   */
  benign?: { file: string; repeat?: number };
  /** with `adapt`: told when the first model is trained and the second training starts */
  onAdaptStart?(rows: number, urls: number, below: number): void;
  onEpoch?(e: EpochInfo): void;
  onProgress?(done: number, total: number, epoch: number): void;
  /** told what the data held that training leaves out (rows of a URL set that cannot be read) */
  onWarning?(line: string): void;
  /** told just before the model is written (the CLI lets a Ctrl-C from then on wait for the write) */
  onSave?(): void;
}

export interface TrainedUrl {
  meta: ModelMeta;
  trainRows: number;
  valRows: number;
  seconds: number;
  cpuSeconds: number;
  history: EpochInfo[];
  /** what adaptation used (with `adapt`) */
  adaptation?: AdaptationSummary;
  /** what `benign` used */
  confirmedBenign?: ConfirmedBenignSummary;
}

/** What `--benign-urls` used: recorded in model.json and printed. */
export interface ConfirmedBenignSummary {
  file: string;
  /** distinct URLs read */
  urls: number;
  /** `#` comment lines and repeated URLs */
  skipped: number;
  /** times each trained */
  repeat: number;
  /** URLs left out because their host validates (the threshold comes from hosts never trained on) */
  validationHostUrls: number;
}

/** Adaptation (adapt.ts) is for the n-gram model: anything else is a URL_OPTIONS_INVALID error. */
function adaptable(model: UrlModelKind, flag = '--adapt-urls'): void {
  if (model !== 'ngram') throw new AppError('URL_OPTIONS_INVALID', 'bad_request', `url training: ${flag === '--adapt-urls' ? 'adaptation (--adapt-urls)' : `training on confirmed benign URLs (${flag})`} is for the ngram model, not ${model}`);
}

/** The labels `rows` lack: [] when both benign (0) and malicious (1) are there. */
export function missingClasses(rows: readonly UrlRow[]): ('benign' | 'malicious')[] {
  const has = [false, false];
  for (const r of rows) {
    has[r.label] = true;
    if (has[0] && has[1]) return [];
  }
  return [...(has[0] ? [] : ['benign' as const]), ...(has[1] ? [] : ['malicious' as const])];
}

/** A model trained on one class learns nothing and its threshold means nothing: a URL_DATA_INVALID error instead. */
export function requireBothClasses(rows: readonly UrlRow[], what: string): void {
  const missing = missingClasses(rows);
  if (missing.length === 0) return;
  const n = (l: 0 | 1): number => rows.filter((r) => r.label === l).length;
  throw new AppError('URL_DATA_INVALID', 'bad_request', `url training: ${what} hold no ${missing.join(' and no ')} rows (${n(0)} benign, ${n(1)} malicious); a model needs both: check the label column of the URL sets (benign or malicious)`, { missing });
}

/** Rows to train on: all of them or `max` drawn by seed. */
export function sampleRows(ids: number[], max: number, seed: number): number[] {
  const out = ids.slice();
  new Rng(seed).shuffle(out);
  return max > 0 && out.length > max ? out.slice(0, max) : out;
}

/** Trains on `rows` (validation: 10% of hosts); returns tensors and what to record. */
export function trainOnRows(
  rows: readonly UrlRow[],
  model: UrlModelKind,
  o: { epochs: number; seed: number; maxRows: number; dropout?: number; hostWeighting?: boolean; sourceBalance?: boolean; normalize?: UrlNormalization; popularity?: PopularityTable | null; grams?: NgramGrams; adaptRows?: readonly UrlRow[]; onEpoch?: TrainUrlOptions['onEpoch']; onProgress?: TrainUrlOptions['onProgress'] },
): { tensors: Record<string, Float32Array>; tensorList: ModelMeta['tensors']; history: EpochInfo[]; bestEpoch: number; seconds: number; cpuSeconds: number; trainRows: number; valRows: number; valIds: number[]; adaptRows?: number; grams?: NgramGrams } {
  // training-only extra rows (EXTRA_BENIGN) never validate: they would set early stopping and the threshold
  const tv = extrasToTrain(rows, hostSplit(rows, 0.1, o.seed + 1, 'validation'));
  const trainIds = sampleRows(tv.train, o.maxRows, o.seed);
  const valIds = sampleRows(tv.test, Math.min(20_000, o.maxRows > 0 ? Math.ceil(o.maxRows / 4) : 20_000), o.seed + 2);
  if (trainIds.length === 0) throw new AppError('URL_DATA_MISSING', 'bad_request', 'url training: no rows to train on');
  requireBothClasses(trainIds.map((i) => rows[i]!), 'the training rows');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const cpu = (): number => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  if (o.adaptRows !== undefined) adaptable(model);
  if (model === 'expose') {
    const r = trainExposeRows(
      trainIds.map((i) => rows[i]!),
      valIds.map((i) => rows[i]!),
      { ...EXPOSE_DEFAULTS, epochs: o.epochs, seed: o.seed, onEpoch: o.onEpoch, onProgress: o.onProgress },
    );
    return { ...r, trainRows: trainIds.length, valRows: valIds.length, valIds, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu() };
  }
  if (model === 'ngram') {
    if ((o.normalize ?? 'scheme') !== 'scheme') throw new AppError('URL_OPTIONS_INVALID', 'bad_request', 'url training: the ngram model reads the URL without its scheme only; leave out --strip-www (it is for bob)');
    // adaptation rows (adapt.ts) train as URL-set rows do; none of a validation host, so that the
    // threshold still comes from hosts never trained on
    const valHosts = new Set(valIds.map((i) => rows[i]!.host));
    const adaptRows = (o.adaptRows ?? []).filter((r) => !valHosts.has(r.host));
    const trainRows = withUnlistedCopies([...trainIds.map((i) => rows[i]!), ...adaptRows], o.popularity ?? null);
    const grams = o.grams ?? DEFAULT_NGRAM_GRAMS;
    const r = trainNgram(trainRows, valIds.map((i) => rows[i]!), { epochs: o.epochs, seed: o.seed, rowWeights: trainingWeights(trainRows, o), popularity: o.popularity ?? undefined, popularityDropout: POPULARITY_DROPOUT, grams, onEpoch: o.onEpoch, onProgress: o.onProgress });
    const t = ngramTensors(r.weights);
    return { tensors: t.tensors, tensorList: t.list, history: r.history, bestEpoch: r.bestEpoch, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu(), trainRows: trainIds.length, valRows: valIds.length, valIds, adaptRows: adaptRows.length, grams };
  }
  const mode = o.normalize ?? 'scheme';
  const all = toSparseSet(
    [...trainIds, ...valIds].map((i) => (mode === 'scheme' ? rows[i]!.url : normalizeUrl(rows[i]!.url, mode))),
    [...trainIds, ...valIds].map((i) => rows[i]!.label),
  );
  const train = subset(all, Array.from({ length: trainIds.length }, (_, i) => i));
  const val = subset(all, Array.from({ length: valIds.length }, (_, i) => trainIds.length + i));
  const rowWeights = trainingWeights(trainIds.map((i) => rows[i]!), o);
  const r = trainBob(train, val, { epochs: o.epochs, seed: o.seed, dropout: o.dropout ?? DEFAULT_DROPOUT, rowWeights, onEpoch: o.onEpoch, onProgress: o.onProgress });
  return { tensors: bobTensors(r.weights), tensorList: BOB_TENSORS, history: r.history, bestEpoch: r.bestEpoch, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu(), trainRows: trainIds.length, valRows: valIds.length, valIds };
}

/**
 * The chance that a URL-set row trains as if its domain were unlisted (ngram.ts `popularityDropout`).
 * Without it the grams lean on the popularity term for what benign looks like, and unlisted benign
 * sites score higher: the outside split's news links (experiment script, seed 1, 3 epochs) fell from
 * 76.3% to 68.0% detected at 1% FPR; with 0.5, 73.1%, and the leave-one-source-out gain kept (pooled
 * ROC-AUC 0.909 → 0.910; 0.25 and 0.75 gave 0.910 and 0.909).
 */
export const POPULARITY_DROPOUT = 0.5;

/**
 * With a popularity table, every training-only extra row (EXTRA_BENIGN: homepages of listed domains)
 * trains twice: as it is, and as if its domain were on no list. The first teaches the popularity
 * weights; the second keeps teaching the grams that a bare host is no sign of phishing, which the
 * popularity term would otherwise explain away (measured: benign unlisted bare hosts at ≥0.5 rose from
 * 17% to 81% without the copies).
 */
export function withUnlistedCopies<R extends UrlRow>(rows: readonly R[], popularity: PopularityTable | null): (R & { noPopularity?: boolean })[] {
  if (popularity === null) return rows.slice();
  return [...rows, ...rows.filter((r) => r.extra === true).map((r) => ({ ...r, noPopularity: true }))];
}

/** Per-row loss weights (mean 1) for host weighting and source balance, multiplied; undefined when neither is on. */
export function trainingWeights(rows: readonly UrlRow[], o: { hostWeighting?: boolean; sourceBalance?: boolean }): Float32Array | undefined {
  if (o.hostWeighting !== true && o.sourceBalance !== true) return undefined;
  const w = new Float32Array(rows.length).fill(1);
  const countBy = (key: (r: UrlRow) => string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };
  if (o.hostWeighting === true) {
    const perHost = countBy((r) => r.host);
    rows.forEach((r, k) => (w[k]! /= Math.sqrt(perHost.get(r.host)!)));
  }
  if (o.sourceBalance === true) {
    const group = (r: UrlRow): string => `${r.source}\u0000${r.label}`;
    // the weight each group already has (after host weighting), so that every group ends with the same total
    const total = new Map<string, number>();
    rows.forEach((r, k) => total.set(group(r), (total.get(group(r)) ?? 0) + w[k]!));
    rows.forEach((r, k) => (w[k]! /= total.get(group(r))!));
  }
  const mean = w.reduce((a, b) => a + b, 0) / Math.max(1, w.length);
  for (let k = 0; k < w.length; k++) w[k]! /= mean;
  return w;
}

/** The score at or above which a fraction 1 − q of the benign `rows` lie (rounded up to 0.001): the model's threshold for findings. */
export function benignQuantile(scorer: UrlScorer, rows: readonly UrlRow[], q: number): number {
  const benign = rows.filter((r) => r.label === 0);
  if (benign.length === 0) return 0.5;
  const s = Array.from(scorer.scoreBatch(benign.map((r) => r.url))).sort((a, b) => a - b);
  const at = s[Math.min(s.length - 1, Math.ceil(q * s.length))]!;
  return Math.min(1, Math.ceil(at * 1000) / 1000);
}

/**
 * The findings line of a model with a popularity table: this quantile of its benign validation URLs of
 * unlisted domains. Without a table the line is the 99th percentile of every benign validation URL, and
 * for the previous model (ngram-2026-11-30-s1) that fell at 0.982, the 99.8th percentile of the unlisted
 * ones: the top of the benign scores was listed domains with odd paths (search redirects, trackers).
 * The popularity term pulls those down: for ngram-2026-11-30-pop-s1 the 1% rule would fall to 0.785
 * and flag 30 of the 542 TLS server names of the WRCCDC capture instead of 2; alerts come from unlisted
 * domains, so they set it.
 */
export const UNLISTED_QUANTILE = 0.998;

/** `nml train url`: trains on every row of the URL sets under `dataDir` and writes `outDir`. */
export function trainUrlModel(o: TrainUrlOptions): TrainedUrl {
  const rows = loadUrlRows(o.dataDir, undefined, o.extraBenign ?? [], o.onWarning);
  // before any training: the extra benign rows are homepages only, and the threshold comes from the sets' benign rows
  requireBothClasses(rows.filter((r) => r.extra !== true), `the URL sets under ${o.dataDir}`);
  const popularityName = o.model === 'ngram' ? (o.popularity ?? DEFAULT_POPULARITY) : 'none';
  const popularity = loadPopularity(o.dataDir, popularityName);
  // the file is read, and the model kind checked, before any training
  if (o.adapt !== undefined) adaptable(o.model);
  if (o.benign !== undefined) adaptable(o.model, '--benign-urls');
  const toAdapt = o.adapt === undefined ? null : { file: o.adapt.file, below: o.adapt.below ?? DEFAULT_ADAPT_BELOW, ...readAdaptUrls(o.adapt.file, o.adapt.max ?? DEFAULT_ADAPT_MAX, o.seed) };
  const repeat = o.benign?.repeat ?? BENIGN_REPEAT;
  const confirmed = o.benign === undefined ? null : { file: o.benign.file, ...readAdaptUrls(o.benign.file, DEFAULT_ADAPT_MAX, o.seed, 'benign') };
  const confirmedRows = confirmed === null ? [] : confirmedBenignRows(confirmed.urls, repeat);
  let adaptation: AdaptationSummary | undefined;
  let r = trainOnRows(rows, o.model, { ...o, popularity, ...(confirmed === null ? {} : { adaptRows: confirmedRows }) });
  const confirmedUsed = (r.adaptRows ?? 0) / repeat;
  if (toAdapt !== null) {
    const { file, below, urls, skipped } = toAdapt;
    const adaptRows = adaptationRows(scorerFor('ngram', r.tensors, 'scheme', r.grams), urls, below);
    o.onAdaptStart?.(adaptRows.length, urls.length, below);
    const base = r;
    r = trainOnRows(rows, o.model, { ...o, popularity, adaptRows: [...confirmedRows, ...adaptRows] });
    const used = (r.adaptRows ?? 0) - confirmedUsed * repeat;
    adaptation = { file, urls: urls.length, skipped, below, rows: adaptRows.length, validationHostRows: adaptRows.length - used, hosts: new Set(adaptRows.map((x) => x.host)).size };
    r = { ...r, seconds: base.seconds + r.seconds, cpuSeconds: base.cpuSeconds + r.cpuSeconds };
  }
  const confirmedBenign: ConfirmedBenignSummary | undefined = confirmed === null ? undefined : { file: confirmed.file, urls: confirmed.urls.length, skipped: confirmed.skipped, repeat, validationHostUrls: confirmed.urls.length - confirmedUsed };
  const valRows = r.valIds.map((i) => rows[i]!).filter((x) => popularity === null || popularity.featureOf(x.url) < 0);
  const threshold = o.model === 'expose' ? 0.5 : benignQuantile(scorerFor(o.model, r.tensors, o.normalize ?? 'scheme', r.grams), valRows, popularity === null ? 0.99 : UNLISTED_QUANTILE);
  const created = new Date().toISOString();
  const meta: ModelMeta = {
    format: MODEL_FORMAT,
    kind: o.model,
    // an adapted model says so in every finding it makes
    version: o.version ?? `${o.model}-${created.slice(0, 10)}-s${o.seed}${adaptation === undefined && confirmedBenign === undefined ? '' : '-adapted'}`,
    created,
    seed: o.seed,
    command: o.command,
    tensors: r.tensorList,
    ...(o.normalize === undefined || o.normalize === 'scheme' ? {} : { normalize: o.normalize }),
    ...(r.grams === undefined ? {} : { grams: r.grams }),
    threshold,
    training: {
      rows: rows.length,
      trainRows: r.trainRows,
      valRows: r.valRows,
      sources: [...new Set(rows.filter((x) => x.extra !== true).map((x) => x.source))].sort(),
      extraBenign: { lists: o.extraBenign ?? [], rows: rows.filter((x) => x.extra === true).length },
      ...(o.model === 'ngram' ? { popularity: popularity === null ? 'none' : { list: popularityName, domains: popularity.size, weights: Array.from(r.tensors.pop_w ?? [], (v) => Math.round(v * 1000) / 1000) } } : {}),
      epochs: o.epochs,
      bestEpoch: r.bestEpoch,
      thresholdRule:
        o.model === 'expose'
          ? 'fixed 0.5'
          : popularity === null
            ? 'the 99th percentile of the scores of the benign validation URLs (hosts never trained on): about 1% of them flagged'
            : `the ${UNLISTED_QUANTILE * 100}th percentile of the scores of the benign validation URLs (hosts never trained on) whose host and parent domains are not on the popularity list: about ${((1 - UNLISTED_QUANTILE) * 100).toFixed(1)}% of them flagged`,
      seconds: Math.round(r.seconds * 10) / 10,
      cpuSeconds: Math.round(r.cpuSeconds * 10) / 10,
      ...(o.model === 'ngram' ? {} : { dropout: o.dropout ?? (o.model === 'bob' ? DEFAULT_DROPOUT : 0.5) }),
      hostWeighting: o.hostWeighting === true,
      sourceBalance: o.sourceBalance === true,
      ...(adaptation === undefined ? {} : { adaptation }),
      ...(confirmedBenign === undefined ? {} : { confirmedBenign }),
      history: r.history,
    },
  };
  o.onSave?.();
  saveModel(o.outDir, meta, r.tensors);
  return { meta, trainRows: r.trainRows, valRows: r.valRows, seconds: r.seconds, cpuSeconds: r.cpuSeconds, history: r.history, ...(adaptation === undefined ? {} : { adaptation }), ...(confirmedBenign === undefined ? {} : { confirmedBenign }) };
}

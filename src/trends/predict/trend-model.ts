/** The trend model: per attack type, the probability that it is reported in the next period, from the features of the periods before. */
import { AppError } from '../../core/index.js';
import { LogisticRegression, type LogRegJson } from '../classify/logreg.js';
import { TfidfVectorizer, type VectorizerJson } from '../classify/vectorizer.js';
import { arrayOf, finiteNumbers, invalidModel, isFiniteNumber, isRecord, strings } from '../classify/model-check.js';
import type { CalendarEntry } from '../text/calendar.js';
import { CalendarIndex, combine, denseFeatureNames, denseFeatures, fitScaler, usable, windowTokens, WINDOWS } from './features.js';
import type { SparseVec } from '../classify/sparse.js';
import { periodMs, periodStart, type Period, type Series } from './periods.js';

export interface TrendOptions {
  /** weight of the window text next to the standardised dense features; 0 leaves text out */
  textWeight: number;
  l2: number;
  epochs: number;
  seed: number;
  maxTextFeatures: number;
  /** per attack type, the L2 strength and text weight chosen on validation periods (predict/select.ts) */
  perType?: Record<string, TypeOptions>;
}

/** What is chosen per attack type: how strongly to regularize and how much the window text counts. */
export interface TypeOptions {
  l2: number;
  textWeight: number;
}

/** The options of one type: its chosen ones, else the shared ones. */
export const typeOptions = (o: TrendOptions, type: string): TypeOptions => o.perType?.[type] ?? { l2: o.l2, textWeight: o.textWeight };

export const TREND_DEFAULTS: TrendOptions = { textWeight: 0.2, l2: 0.1, epochs: 30, seed: 1, maxTextFeatures: 3000 };

export interface TrendModelJson {
  kind: 'nml-trends-trend-model';
  version: 1;
  period: Period;
  types: string[];
  options: TrendOptions;
  /** per type: means and deviations of its dense features */
  mu: number[][];
  sd: number[][];
  vectorizer: VectorizerJson;
  models: LogRegJson[];
  /** share of training periods followed by a report of each type */
  baseRates: number[];
}

export interface Driver {
  name: string;
  weight: number;
  /** for a calendar driver, the entries it stands for ("2026-12-01 Great Union Day (Romania)") */
  detail?: string;
  /**
   * The feature was below its training mean: it acts by being low ("reported rarely in the last 7 days",
   * not "reported often"), raising the probability under a negative model weight, lowering it under a
   * positive one. Absent when it was above.
   */
  below?: true;
}

/** Drivers of each direction a prediction keeps. */
const MAX_DRIVERS = 8;

/**
 * Terms never shown as drivers: one- and two-letter tokens and the function words of the other Latin-script
 * languages feeds carry ("la" under DDoS named a French ransomware article). The model still reads them.
 */
const NOT_A_DRIVER = new Set(
  ('les des une est dans pour par sur avec qui que aux ces ont pas plus sont elle ' + // fr
    'der die das den dem und ist mit von ein eine auf für sich nicht auch zum zur ' + // de
    'los las del una por con para que como mas sus ' + // es
    'il della delle degli per che non con una sono ' + // it
    'uma não com para dos das ' + // pt
    'het een van voor met niet zijn ' + // nl
    'och att som för med det').split(' '), // sv
);

export const shownTerm = (t: string): boolean => [...t].length > 2 && !NOT_A_DRIVER.has(t);

export interface Prediction {
  /** start of the predicted period, ms */
  periodStart: number;
  type: string;
  probability: number;
  /** the features pushing the probability up most: dense features and window terms, strongest first */
  drivers: Driver[];
  /** the features pulling it down most, each with its (negative) contribution to the log-odds, strongest first */
  lowering: Driver[];
  /** calendar entries in the predicted period */
  calendar: string[];
}

export class TrendModel {
  /** per series, the vocabulary counts of each period's documents: a window is the sum of its periods' counts */
  private readonly periodCounts = new WeakMap<Series, (Map<number, number> | undefined)[]>();

  private constructor(
    readonly period: Period,
    readonly types: string[],
    readonly options: TrendOptions,
    private readonly mu: number[][],
    private readonly sd: number[][],
    readonly vectorizer: TfidfVectorizer,
    private readonly models: LogisticRegression[],
    readonly baseRates: number[],
  ) {}

  /** Trains on the usable periods i in [from, to) of the series (targets: period i + 1). */
  static train(s: Series, types: string[], calendar: readonly CalendarEntry[], from: number, to: number, options: Partial<TrendOptions> = {}): TrendModel {
    const o = { ...TREND_DEFAULTS, ...options };
    const cal = calendarFor(s, calendar);
    const rows: number[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, s.length); i++) if (usable(s, i)) rows.push(i);
    if (rows.length < 10) {
      throw new AppError('TRENDS_TOO_LITTLE_DATA', 'bad_request', `trends: only ${rows.length} usable ${s.period}s to train on; collect more or use a coarser period`, { periods: rows.length });
    }
    const texts = rows.map((i) => windowTokens(s, i));
    const vectorizer = TfidfVectorizer.fit(texts, { minDf: 3, maxFeatures: o.maxTextFeatures, bigrams: false });
    const anyText = types.some((t) => typeOptions(o, t).textWeight > 0);
    const textVecs = texts.map((t) => (anyText ? vectorizer.transform(t) : null));
    const models: LogisticRegression[] = [];
    const baseRates: number[] = [];
    const mu: number[][] = [];
    const sd: number[][] = [];
    for (const t of types) {
      const to = typeOptions(o, t);
      const dense = rows.map((i) => denseFeatures(s, i, t, cal));
      const scaler = fitScaler(dense);
      mu.push(scaler.mu);
      sd.push(scaler.sd);
      const xs = rows.map((_, r) => combine(dense[r]!, scaler.mu, scaler.sd, to.textWeight > 0 ? textVecs[r]! : null, to.textWeight));
      const dim = scaler.mu.length + vectorizer.size;
      const c = s.counts.get(t)!;
      const ys = Float32Array.from(rows, (i) => (c[i + 1]! > 0 ? 1 : 0));
      baseRates.push(ys.reduce((a, b) => a + b, 0) / ys.length);
      models.push(LogisticRegression.train(xs, ys, dim, { epochs: o.epochs, l2: to.l2, balanced: false, seed: o.seed, learningRate: 0.1 }));
    }
    return new TrendModel(s.period, types, o, mu, sd, vectorizer, models, baseRates);
  }

  static fromJSON(j: unknown, where: string): TrendModel {
    const o = j as Partial<TrendModelJson> | null;
    if (o?.kind !== 'nml-trends-trend-model' || o.version !== 1 || !Array.isArray(o.types) || !Array.isArray(o.models) || o.vectorizer === undefined || o.mu === undefined || o.sd === undefined) {
      throw new AppError('TRENDS_MODEL_INVALID', 'bad_request', `model: ${where} is not an nml trends trend model (version 1); run 'nml trends train' again`, { where });
    }
    const period = o.period ?? 'week';
    if (period !== 'day' && period !== 'week') throw invalidModel(where, `period ${JSON.stringify(period)} is not day or week`);
    const types = strings(o.types, where, 'types');
    if (types.length === 0 || new Set(types).size !== types.length) throw invalidModel(where, 'types are empty or repeated');
    const options = checkedOptions(o.options, where);
    const vectorizer = TfidfVectorizer.fromJSON(o.vectorizer, where);
    const dense = denseFeatureNames(period).length;
    const mu = arrayOf(o.mu, types.length, where, 'mu').map((r, k) => finiteNumbers(r, dense, where, `mu[${k}]`));
    const sd = arrayOf(o.sd, types.length, where, 'sd').map((r, k) => finiteNumbers(r, dense, where, `sd[${k}]`));
    if (sd.some((r) => r.some((x) => x <= 0))) throw invalidModel(where, 'sd has a value that is not positive');
    const models = arrayOf(o.models, types.length, where, 'models').map((m, k) => LogisticRegression.fromJSON(m, dense + vectorizer.size, where, `models[${k}]`));
    const baseRates = finiteNumbers(o.baseRates, types.length, where, 'baseRates');
    if (baseRates.some((x) => x < 0 || x > 1)) throw invalidModel(where, 'baseRates has a value outside [0, 1]');
    return new TrendModel(period, types, options, mu, sd, vectorizer, models, baseRates);
  }

  toJSON(): TrendModelJson {
    return {
      kind: 'nml-trends-trend-model',
      version: 1,
      period: this.period,
      types: this.types,
      options: this.options,
      mu: this.mu.map((r) => r.map((x) => Math.round(x * 1e6) / 1e6)),
      sd: this.sd.map((r) => r.map((x) => Math.round(x * 1e6) / 1e6)),
      vectorizer: this.vectorizer.toJSON(),
      models: this.models.map((m) => m.toJSON()),
      baseRates: this.baseRates,
    };
  }

  /** Probabilities for period i + 1 of each type, with what drove them. `cal` from `calendarFor`. */
  predictAfter(s: Series, i: number, cal: CalendarIndex, withDrivers = true): Prediction[] {
    const text = this.types.some((t) => typeOptions(this.options, t).textWeight > 0) ? this.windowVector(s, i) : null;
    const start = periodStart(s.first + i + 1, s.period);
    const len = periodMs(s.period);
    const nextCal = withDrivers ? cal.between(start, start + len) : null;
    const nowCal = withDrivers ? cal.between(start - len, start) : null;
    const calendar = nextCal?.names ?? [];
    const names = withDrivers ? denseFeatureNames(this.period) : [];
    return this.types.map((type, k) => {
      const m = this.models[k]!;
      const raw = denseFeatures(s, i, type, cal);
      const tw = typeOptions(this.options, type).textWeight;
      const x = combine(raw, this.mu[k]!, this.sd[k]!, tw > 0 ? text : null, tw);
      const drivers: Driver[] = [];
      const lowering: Driver[] = [];
      if (withDrivers) {
        for (let j = 0; j < x.idx.length; j++) {
          const f = x.idx[j]!;
          const w = m.w[f]! * x.val[j]!;
          // an indicator that is off (another weekday, no calendar date) is not a reason to show
          if (f < names.length && raw[f] === 0 && /^(next_weekday|calendar_)/.test(names[f]!)) continue;
          if (w === 0) continue;
          // what raised the probability, and apart what lowered it: an analyst asks both
          const into = w > 0 ? drivers : lowering;
          if (f >= names.length) {
            const term = this.vectorizer.terms[f - names.length]!;
            if (shownTerm(term)) into.push({ name: `term:${term}`, weight: w });
            continue;
          }
          const c = /^calendar_(next|now):(.+)$/.exec(names[f]!);
          const which = c === null ? undefined : (c[1] === 'next' ? nextCal : nowCal)!.byKind.get(c[2]!);
          // a standardised value under 0: a reason by being low, said as such (driver-text.ts)
          const below = x.val[j]! < 0 ? { below: true as const } : {};
          into.push(which === undefined ? { name: names[f]!, weight: w, ...below } : { name: names[f]!, weight: w, detail: which.join('; '), ...below });
        }
        drivers.sort((a, b) => b.weight - a.weight);
        lowering.sort((a, b) => a.weight - b.weight);
      }
      return { periodStart: start, type, probability: m.proba(x), drivers: drivers.slice(0, MAX_DRIVERS), lowering: lowering.slice(0, MAX_DRIVERS), calendar };
    });
  }

  /**
   * The TF-IDF of the short window ending at period i: `vectorizer.transform(windowTokens(s, i))`, from
   * per-period counts kept for the series, so neighbouring windows (six of seven days shared) count each
   * document once. Bigrams would span period boundaries: with them, the window's tokens are counted whole.
   */
  windowVector(s: Series, i: number): SparseVec {
    if (this.vectorizer.hasBigrams) return this.vectorizer.transform(windowTokens(s, i));
    let per = this.periodCounts.get(s);
    if (per === undefined) this.periodCounts.set(s, (per = []));
    const sum = new Map<number, number>();
    for (let k = Math.max(0, i - WINDOWS[s.period].short + 1); k <= i; k++) {
      let c = per[k];
      if (c === undefined) {
        c = new Map();
        for (const d of s.docs[k]!) this.vectorizer.counts(d.tokens, c);
        per[k] = c;
      }
      for (const [t, n] of c) sum.set(t, (sum.get(t) ?? 0) + n);
    }
    return this.vectorizer.fromCounts(sum);
  }
}

/** The saved options over the defaults; the ones prediction uses must be finite numbers. */
function checkedOptions(v: unknown, where: string): TrendOptions {
  if (v !== undefined && !isRecord(v)) throw invalidModel(where, 'options is not an object');
  const o: TrendOptions = { ...TREND_DEFAULTS, ...(v as Partial<TrendOptions> | undefined) };
  const typeOk = (t: unknown): boolean => isRecord(t) && isFiniteNumber(t['l2']) && isFiniteNumber(t['textWeight']) && t['textWeight'] >= 0;
  if (!typeOk(o)) throw invalidModel(where, 'options.l2 or options.textWeight is not a finite number');
  if (o.perType !== undefined && (!isRecord(o.perType) || !Object.values(o.perType).every(typeOk))) throw invalidModel(where, 'options.perType has an entry without finite l2 and textWeight');
  return o;
}

/** The calendar index covering a series (and the period after it). */
export function calendarFor(s: Series, calendar: readonly CalendarEntry[]): CalendarIndex {
  const len = periodMs(s.period);
  return new CalendarIndex(calendar, periodStart(s.first, s.period) - len, periodStart(s.first + s.length + 1, s.period) + len);
}

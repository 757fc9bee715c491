/** Time-split evaluation of the trend model against naive baselines: same period last week, moving average, base rate. */
import { binaryMetrics, type BinaryMetrics } from '../../core/index.js';
import type { CalendarEntry } from '../text/calendar.js';
import { usable, WINDOWS } from './features.js';
import { periodIndex, periodStart, type Series } from './periods.js';
import { calendarFor, TrendModel, type TrendOptions } from './trend-model.js';
import { aucDifference, type AucDifference } from './bootstrap.js';
import { selectTrendOptions, type Selection } from './select.js';

export const BASELINES = ['last_week', 'moving_average', 'base_rate'] as const;
export type Baseline = (typeof BASELINES)[number];

export interface TypeEval {
  type: string;
  /** test periods, and how many were followed by a report of this type */
  n: number;
  positives: number;
  model: BinaryMetrics;
  baselines: Record<Baseline, BinaryMetrics>;
  /** model AUC − each baseline's, with a 95% block-bootstrap interval (null where AUC is undefined) */
  vs: Record<Baseline, AucDifference | null>;
}

export interface TrendEval {
  period: Series['period'];
  trainPeriods: number;
  testPeriods: number;
  split: string;
  types: TypeEval[];
  /** options chosen per type on validation periods before the split */
  selection: Selection;
  /** periods per bootstrap block */
  block: number;
  /** per test period: start, observed counts and predicted probabilities by type */
  points: { start: number; observed: Record<string, number>; probability: Record<string, number> }[];
}

/** Scores of the naive baselines for target period i + 1. */
export function baselineScores(s: Series, i: number, type: string, baseRate: number): Record<Baseline, number> {
  const c = s.counts.get(type)!;
  // same period last week: the same weekday a week earlier for days, the previous week for weeks
  const lag = s.period === 'day' ? 7 : 1;
  const w = WINDOWS[s.period].short;
  let any = 0;
  for (let k = i - w + 1; k <= i; k++) any += c[k]! > 0 ? 1 : 0;
  return { last_week: c[i + 1 - lag]! > 0 ? 1 : 0, moving_average: any / w, base_rate: baseRate };
}

/** Walk-forward: before each test month the model is trained again on every target before that month (never after). */
export function evaluateTrends(s: Series, types: string[], calendar: readonly CalendarEntry[], splitAt: number, options: Partial<TrendOptions> = {}): { model: TrendModel; eval: TrendEval } {
  // row i predicts period i + 1: the first test row is the one whose target starts at the split
  const split = periodIndex(splitAt, s.period) - s.first;
  const cal = calendarFor(s, calendar);
  const rows: number[] = [];
  for (let i = split - 1; i < s.length - 1; i++) if (usable(s, i)) rows.push(i);
  let trainPeriods = 0;
  for (let i = 0; i < split - 1; i++) if (usable(s, i)) trainPeriods++;
  // hyperparameters per type from the training periods alone (the test months are never looked at)
  const selection = selectTrendOptions(s, types, calendar, split - 1, options);
  options = { ...options, perType: selection.perType };
  const block = s.period === 'day' ? 7 : 2;
  const month = (i: number): string => new Date(periodStart(s.first + i + 1, s.period)).toISOString().slice(0, 7);
  const models = new Map<string, TrendModel>();
  const modelFor = (i: number): TrendModel => {
    const m = month(i);
    let model = models.get(m);
    if (model === undefined) {
      // train on rows whose target period starts before this month
      const monthStart = Date.parse(`${m}-01T00:00:00Z`);
      const end = periodIndex(monthStart - 1, s.period) - s.first;
      model = TrendModel.train(s, types, calendar, 0, Math.min(end, periodIndex(monthStart, s.period) - s.first - 1), options);
      models.set(m, model);
    }
    return model;
  };
  const preds = rows.map((i) => modelFor(i).predictAfter(s, i, cal, false));
  const model = TrendModel.train(s, types, calendar, 0, split - 1, options);
  const evals: TypeEval[] = types.map((type, k) => {
    const c = s.counts.get(type)!;
    const labels = rows.map((i) => (c[i + 1]! > 0 ? 1 : 0));
    const scores = preds.map((p) => p[k]!.probability);
    const base = rows.map((i) => baselineScores(s, i, type, model.baseRates[k]!));
    const baselines = {} as Record<Baseline, BinaryMetrics>;
    for (const b of BASELINES) baselines[b] = binaryMetrics(base.map((x) => x[b]), labels);
    const m = binaryMetrics(scores, labels);
    const vs = {} as Record<Baseline, AucDifference | null>;
    for (const b of BASELINES) vs[b] = aucDifference(scores, base.map((x) => x[b]), labels, { block, seed: 1 });
    return { type, n: m.n, positives: m.positives, model: m, baselines, vs };
  });
  const points = rows.map((i, r) => {
    const observed: Record<string, number> = {};
    const probability: Record<string, number> = {};
    types.forEach((t, k) => {
      observed[t] = s.counts.get(t)![i + 1]!;
      probability[t] = preds[r]![k]!.probability;
    });
    return { start: periodStart(s.first + i + 1, s.period), observed, probability };
  });
  return {
    model,
    eval: { period: s.period, trainPeriods, testPeriods: rows.length, split: `time: train on targets before ${new Date(splitAt).toISOString().slice(0, 10)}, test after`, types: evals, selection, block, points },
  };
}

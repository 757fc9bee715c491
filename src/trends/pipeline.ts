/** Training and evaluation over the shared datasets: the text classifiers and the trend model, with their metrics. */
import { loadCasie, loadHackmageddon, loadSocial } from './data/datasets.js';
import { threatTransferEval, trainAttackTypeModel, trainCasieModel, trainThreatModel, type TextEval, type ThreatTransferEval } from './classify/text-eval.js';
import { demoHeadlines } from './demo.js';
import { TextClassifier } from './classify/text-classifier.js';
import { selectLexicon } from './classify/select-lexicon.js';
import { evaluateTrends, type TrendEval } from './predict/evaluate.js';
import { buildSeries, type Period } from './predict/periods.js';
import { TrendModel, type TrendOptions } from './predict/trend-model.js';
import { selectTrendOptions } from './predict/select.js';
import { incidentDocs } from './history.js';
import { ATTACK_TYPES } from './text/lexicon.js';
import type { CalendarEntry } from './text/calendar.js';
import { tokenize } from './text/tokenize.js';

/** Months with fewer incident reports than this are collection gaps (2025-03 … 2025-12 in the 2023+ file). */
export const MIN_DOCS_PER_MONTH = 10;
export const DEFAULT_SPLIT = '2024-07-01';
export const CASIE_SPLIT = '2018-01-01';

export interface EvalReport {
  createdAt: string;
  seed: number;
  text: TextEval[];
  /** the shipped threat model on text from elsewhere; null when the text classifiers were skipped or no threat model was given */
  threatTransfer: ThreatTransferEval | null;
  trends: TrendEval[];
}

export interface EvalOptions {
  datasetsDir: string;
  periods: Period[];
  splitAt: number;
  seed: number;
  calendar: readonly CalendarEntry[];
  trend?: Partial<TrendOptions>;
  /** skip the text classifiers (faster) */
  trendsOnly?: boolean;
  /** the shipped threat model and its file, scored on text it never saw (`threatTransferEval`) */
  threat?: { model: TextClassifier; file: string } | null;
}

export function evaluateAll(o: EvalOptions): EvalReport {
  const incidents = loadHackmageddon(o.datasetsDir);
  const text: TextEval[] = [];
  let threatTransfer: ThreatTransferEval | null = null;
  if (o.trendsOnly !== true) {
    const casie = loadCasie(o.datasetsDir);
    text.push(trainAttackTypeModel(incidents, o.splitAt, o.seed).eval);
    text.push(trainThreatModel(loadSocial(o.datasetsDir), o.seed).eval);
    text.push(trainCasieModel(casie, Date.parse(`${CASIE_SPLIT}T00:00:00Z`), o.seed).eval);
    if (o.threat != null) threatTransfer = threatTransferEval(o.threat.model, o.threat.file, { casie, incidents, demo: demoHeadlines() });
  }
  const docs = incidentDocs(incidents);
  const trends = o.periods.map((p) => {
    const s = buildSeries(docs, p, ATTACK_TYPES, MIN_DOCS_PER_MONTH);
    return evaluateTrends(s, [...ATTACK_TYPES], o.calendar, o.splitAt, { seed: o.seed, ...o.trend }).eval;
  });
  return { createdAt: new Date().toISOString(), seed: o.seed, text, threatTransfer, trends };
}

export interface TrainedModels {
  attackType: TextClassifier;
  threat: TextClassifier;
  trend: Map<Period, TrendModel>;
}

/** Final models on all the data (evaluation is `evaluateAll`, on a time split). */
export function trainAll(o: Omit<EvalOptions, 'splitAt' | 'trendsOnly'>): TrainedModels {
  const incidents = loadHackmageddon(o.datasetsDir);
  const described = incidents.map((i) => ({ tokens: tokenize(i.description, 'en'), labels: i.types }));
  const attackOptions = { vectorizer: { maxFeatures: 5000 }, logreg: { seed: o.seed } };
  // the lexicon terms' count chosen on the latest incidents, as in the evaluation; then trained on everything
  const attackType = TextClassifier.train(described, [...ATTACK_TYPES], { ...attackOptions, lexicon: selectLexicon(described, ATTACK_TYPES, attackOptions).chosen });
  const threat = TextClassifier.train(
    loadSocial(o.datasetsDir).map((p) => ({ tokens: tokenize(p.text, 'en'), labels: p.threat ? ['threat'] : [] })),
    ['threat'],
    { vectorizer: { maxFeatures: 5000 }, logreg: { seed: o.seed } },
  );
  const docs = incidentDocs(incidents);
  const trend = new Map<Period, TrendModel>();
  for (const p of o.periods) {
    const s = buildSeries(docs, p, ATTACK_TYPES, MIN_DOCS_PER_MONTH);
    // options per type chosen on the latest periods, as in the evaluation; then trained on everything
    const base = { seed: o.seed, ...o.trend };
    const selection = selectTrendOptions(s, [...ATTACK_TYPES], o.calendar, s.length - 1, base);
    trend.set(p, TrendModel.train(s, [...ATTACK_TYPES], o.calendar, 0, s.length, { ...base, perType: selection.perType }));
  }
  return { attackType, threat, trend };
}

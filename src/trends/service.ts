/** What the HTTP API serves: per attack type the observed counts and predicted probabilities over time, and the next period's prediction with its drivers and documents. */
import { AppError } from '../core/index.js';
import type { DocStore } from './docstore.js';
import { collectedDocs } from './history.js';
import type { TrendsModels } from './models.js';
import { usable, WINDOWS } from './predict/features.js';
import { buildSeries, periodStart, type Period, type Series, type TimedDoc } from './predict/periods.js';
import { calendarFor, TrendModel, type Driver } from './predict/trend-model.js';
import { MIN_DOCS_PER_MONTH } from './pipeline.js';
import type { CalendarEntry } from './text/calendar.js';
import { ATTACK_TYPE_LABELS, ATTACK_TYPES, type AttackType } from './text/lexicon.js';
import type { SourceStats } from './collector.js';

export interface TrendPoint {
  /** period start, ISO */
  start: string;
  /** reports of the type in the period; null in a collection gap */
  observed: number | null;
  /** predicted at the end of the period before; null when that period was not usable */
  probability: number | null;
}

export interface TrendDocument {
  id: string;
  title: string;
  url: string | null;
  time: string;
}

export interface TypeTrend {
  type: string;
  label: string;
  points: TrendPoint[];
  next: { start: string; probability: number; drivers: Driver[]; calendar: string[]; documents: TrendDocument[] };
}

export interface TrendsOverview {
  period: Period;
  generatedAt: string;
  /** what the series is built from */
  basis: { historyDocs: number; collectedDocs: number };
  types: TypeTrend[];
  sources: SourceStats[];
}

export interface TrendsServiceOptions {
  store: DocStore | null;
  models: TrendsModels;
  /** dated reports with known types (HACKMAGEDDON), optional */
  history: TimedDoc[];
  calendar: readonly CalendarEntry[];
  sourceStats?: () => SourceStats[];
  now?: () => number;
}

const MAX_COLLECTED = 50_000;

/**
 * A document's URL as the UI may link it: http(s) only. A feed's item link is whatever the feed says,
 * and `javascript:` or `data:` there would be a link into this origin (the CSP blocks inline script,
 * but a link is not the place to rely on it).
 */
export function webUrl(url: string | null): string | null {
  return url !== null && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

/** A term driver names documents only when it moved the prediction: at least this share of the strongest driver, and at least MIN_TERM_WEIGHT. */
const TERM_SHARE = 0.1;
const MIN_TERM_WEIGHT = 0.02;

/**
 * The documents behind a type's prediction: those reported as the type first, then those carrying the
 * prediction's material term drivers (TERM_SHARE, MIN_TERM_WEIGHT), by the summed weight of the terms
 * they carry; newest first among equals. A term with a tiny weight (`skimmer` +0.007 under DDoS) is
 * noise of the model, and the documents it would name are not behind the prediction: fewer are listed.
 */
export function documentsBehind(docs: readonly TimedDoc[], type: string, drivers: readonly Driver[], limit: number): TimedDoc[] {
  const strongest = Math.max(0, ...drivers.map((d) => d.weight));
  const floor = Math.max(MIN_TERM_WEIGHT, TERM_SHARE * strongest);
  const termWeight = new Map(drivers.filter((d) => d.name.startsWith('term:') && d.weight >= floor).map((d) => [d.name.slice(5), d.weight]));
  const ranked: { d: TimedDoc; own: number; terms: number }[] = [];
  for (const d of docs) {
    if (d.ref === undefined) continue;
    const own = d.types.includes(type) ? 1 : 0;
    let terms = 0;
    for (const t of new Set(d.tokens)) terms += termWeight.get(t) ?? 0;
    if (own === 1 || terms > 0) ranked.push({ d, own, terms });
  }
  ranked.sort((a, b) => b.own - a.own || b.terms - a.terms || b.d.time - a.d.time);
  return ranked.slice(0, limit).map((r) => r.d);
}

export class TrendsService {
  private readonly trained = new Map<Period, TrendModel>();

  constructor(private readonly o: TrendsServiceOptions) {}

  private model(period: Period, s: Series): TrendModel {
    const loaded = this.o.models.trend.get(period) ?? this.trained.get(period);
    if (loaded !== undefined) return loaded;
    // no shipped model for this period: train one on the series itself (cached)
    const m = TrendModel.train(s, [...ATTACK_TYPES], this.o.calendar, 0, s.length);
    this.trained.set(period, m);
    return m;
  }

  overview(period: Period, limit: number): TrendsOverview {
    const now = (this.o.now ?? Date.now)();
    const collected = this.o.store === null ? [] : collectedDocs(this.o.store.list(0, now + 86_400_000, MAX_COLLECTED));
    const docs = [...this.o.history, ...collected];
    if (docs.length === 0) {
      throw new AppError('TRENDS_NO_DATA', 'not_found', 'trends: no documents yet; configure trends sources and let the collector run, or give a datasets directory');
    }
    const s = buildSeries(docs, period, ATTACK_TYPES, MIN_DOCS_PER_MONTH);
    const model = this.model(period, s);
    const cal = calendarFor(s, this.o.calendar);
    const firstShown = Math.max(1, s.length - limit);
    const probs = new Map<number, number[]>();
    for (let i = firstShown; i < s.length; i++) {
      if (usable(s, i - 1)) probs.set(i, model.predictAfter(s, i - 1, cal, false).map((p) => p.probability));
    }
    const last = s.length - 1;
    const next = model.predictAfter(s, last, cal, true);
    const windowDocs: TimedDoc[] = [];
    for (let k = Math.max(0, last - WINDOWS[period].short + 1); k <= last; k++) windowDocs.push(...s.docs[k]!);
    const types = model.types.map((type, k): TypeTrend => {
      const points: TrendPoint[] = [];
      for (let i = firstShown; i < s.length; i++) {
        points.push({ start: new Date(periodStart(s.first + i, period)).toISOString(), observed: s.covered[i] ? s.counts.get(type)![i]! : null, probability: probs.get(i)?.[k] ?? null });
      }
      const pred = next[k]!;
      const carriers = documentsBehind(windowDocs, type, pred.drivers, 5).map((d) => ({ id: d.ref!.id, title: d.ref!.title, url: webUrl(d.ref!.url), time: new Date(d.time).toISOString() }));
      return {
        type,
        label: ATTACK_TYPE_LABELS[type as AttackType] ?? type,
        points,
        next: { start: new Date(pred.periodStart).toISOString(), probability: pred.probability, drivers: pred.drivers, calendar: pred.calendar, documents: carriers },
      };
    });
    return {
      period,
      generatedAt: new Date(now).toISOString(),
      basis: { historyDocs: this.o.history.length, collectedDocs: collected.length },
      types,
      sources: this.o.sourceStats?.() ?? [],
    };
  }
}

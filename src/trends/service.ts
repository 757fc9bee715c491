/** What the HTTP API serves: per attack type the observed counts and predicted probabilities over time, and the next period's prediction with its drivers and documents. */
import { AppError } from '../core/index.js';
import type { DocStore } from './docstore.js';
import { CollectedDocCache, OnTheFlyModels, vocabularyOf } from './service-cache.js';
import type { TrendsModels } from './models.js';
import { usable, WINDOWS } from './predict/features.js';
import { buildSeries, DAY_MS, periodIndex, periodMs, periodStart, type Period, type Series, type TimedDoc } from './predict/periods.js';
import { calendarFor, TrendModel, type Driver } from './predict/trend-model.js';
import { MIN_DOCS_PER_MONTH } from './pipeline.js';
import { DAILY_CAVEAT, tooLittleDataText, WEEKLY_CAVEAT } from './caveats.js';
import type { CalendarEntry } from './text/calendar.js';
import { ATTACK_TYPE_LABELS, ATTACK_TYPES, type AttackType } from './text/lexicon.js';
import type { SourceStats } from './collector.js';
import { movedIt } from './driver-text.js';
import { noDocumentsWhy } from './source-errors.js';

export interface TrendPoint {
  /** period start, ISO */
  start: string;
  /** reports of the type in the period; null in a collection gap */
  observed: number | null;
  /** predicted at the end of the period before; null when that period was not usable */
  probability: number | null;
  /** the current period, not over yet: its count is so far, not a drop */
  partial?: boolean;
  /**
   * In a collection gap (`observed` null: its month holds fewer than MIN_DOCS_PER_MONTH documents, too
   * few to count), the documents of the type it holds all the same, when there are any: the page lists
   * them under "which reports" (`documents` serves them) without drawing them as a count.
   */
  uncounted?: number;
}

export interface TrendDocument {
  id: string;
  title: string;
  url: string | null;
  time: string;
  /** the classifier's probability that a collected document is of the type; absent for a dated incident report (labelled) */
  certainty?: number;
}

/** The documents counted as one type in one period (`GET /api/trends/documents`): a count's documents, a page of them. */
export interface PeriodDocuments {
  type: string;
  period: Period;
  /** the period's start, ISO */
  start: string;
  /** all the documents of the type in the period: its `observed` where its month is covered, else its `uncounted` */
  total: number;
  offset: number;
  /** newest first; `source`: the collector source, `hackmageddon` for a dated incident report */
  documents: (TrendDocument & { source: string | null })[];
}

/** Documents a page of `documents` holds at most. */
export const MAX_PERIOD_DOCUMENTS = 100;

export interface TypeTrend {
  type: string;
  label: string;
  points: TrendPoint[];
  /** `drivers` raised the probability, `lowering` lowered it (negative weights), each strongest first */
  next: { start: string; probability: number; drivers: Driver[]; lowering: Driver[]; calendar: string[]; documents: TrendDocument[]; warning: string | null; reported: ReportedSoFar | null };
}

/**
 * The reports of a type already in the period forecast (today, this week: it is not over), null when
 * there are none: the forecast still stands (it reads only the whole periods before), but the question it
 * answers is settled, and the page, predict and the API say so. `documents`: the API path listing them.
 */
export interface ReportedSoFar {
  count: number;
  documents: string;
}

/** Where `GET /api/trends/documents` lists a type's documents of the period starting at `start`. */
export function periodDocumentsPath(type: string, period: Period, start: string): string {
  return `/api/trends/documents?${new URLSearchParams({ type, period, start: start.slice(0, 10) }).toString()}`;
}

/** What the forecast actually reads: the documents of its long window (the last 28 days, or 8 weeks), by kind. */
export interface TrendsBasis {
  historyDocs: number;
  collectedDocs: number;
  window: { from: string; periods: number; history: number; collected: number; demo: number };
  /**
   * Collected documents of the window the attack-type classifier could not read, counted as no type
   * (classify/readable.ts): by language (one it was not trained on) and with too few words it knows.
   * Absent when there are none.
   */
  unread?: UnreadCounts;
}

export interface UnreadCounts {
  documents: number;
  /** language → documents */
  language: Record<string, number>;
  fewKnownWords: number;
}

export interface TrendsOverview {
  period: Period;
  generatedAt: string;
  /** what the series is built from */
  basis: TrendsBasis;
  /** the model card's measured weakness of this period's model (week), else null */
  caveat: string | null;
  /** too little data in the window the forecast reads, else null (also on each type's `next`) */
  warning: string | null;
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
 * The documents behind a type's prediction: those reported as the type first, the surest first (a
 * labelled incident report counts as sure; a collected document by its classifier's probability of the
 * type), then those carrying the prediction's material term drivers (TERM_SHARE, MIN_TERM_WEIGHT), by
 * the summed weight of the terms they carry; newest first among equals. By certainty, because the newest
 * of the type are often the classifier's borderline calls: in the demo, "Botnet floods a game studio"
 * (account takeover 0.63) led the account-takeover card above phishing reports of 0.8–0.99. A term with a tiny weight (`skimmer` +0.007 under DDoS) is
 * noise of the model, and the documents it would name are not behind the prediction: fewer are listed.
 */
export function documentsBehind(docs: readonly TimedDoc[], type: string, drivers: readonly Driver[], limit: number): TimedDoc[] {
  const strongest = Math.max(0, ...drivers.map((d) => d.weight));
  const floor = Math.max(MIN_TERM_WEIGHT, TERM_SHARE * strongest);
  const termWeight = new Map(drivers.filter((d) => d.name.startsWith('term:') && d.weight >= floor).map((d) => [d.name.slice(5), d.weight]));
  const ranked: { d: TimedDoc; own: number; terms: number }[] = [];
  for (const d of docs) {
    if (d.ref === undefined) continue;
    const own = d.types.includes(type) ? (d.certainty?.[type] ?? 1) : 0;
    let terms = 0;
    // each driver term once, in the order the document first carries it (no Set of all its tokens)
    const seen = new Set<string>();
    for (const t of d.tokens) {
      const w = termWeight.get(t);
      if (w === undefined || seen.has(t)) continue;
      seen.add(t);
      terms += w;
    }
    if (own > 0 || terms > 0) ranked.push({ d, own, terms });
  }
  ranked.sort((a, b) => b.own - a.own || b.terms - a.terms || b.d.time - a.d.time);
  return ranked.slice(0, limit).map((r) => r.d);
}

/** A document behind a type's prediction as the API gives it (`d` has a `ref`: documentsBehind keeps no other). */
export function trendDocument(d: TimedDoc, type: string): TrendDocument {
  const certainty = d.certainty?.[type];
  return { id: d.ref!.id, title: d.ref!.title, url: webUrl(d.ref!.url), time: new Date(d.time).toISOString(), ...(certainty === undefined ? {} : { certainty }) };
}

/** type → period index → the documents counted as the type in that period, each as stored (`TrendsService.documents`; `collected`: dated no later than now). */
type PeriodIndex = Map<string, Map<number, { d: TimedDoc; collected: boolean }[]>>;

/** Overviews kept (one per period and limit asked for). */
const MAX_OVERVIEWS = 16;

type Computed = Omit<TrendsOverview, 'sources'>;

export class TrendsService {
  private readonly onTheFly = new OnTheFlyModels();
  private readonly collected: CollectedDocCache | null;
  /** period:limit → the overview and the store version and UTC day it was computed for */
  private readonly overviews = new Map<string, { version: string; value: Computed }>();
  /** `documents`' index, per period kind, of the store version and UTC day it was built for */
  private periodDocs: { version: string; byPeriod: Map<Period, PeriodIndex> } | null = null;

  constructor(private readonly o: TrendsServiceOptions) {
    // with a shipped model for every period, documents keep only the words the models read
    const shipped = (['day', 'week'] as const).map((p) => o.models.trend.get(p));
    const vocabulary = shipped.every((m) => m !== undefined) ? vocabularyOf(shipped) : null;
    this.collected = o.store === null ? null : new CollectedDocCache(o.store, MAX_COLLECTED, vocabulary, o.models.attackType?.vectorizer ?? null);
  }

  private model(period: Period, s: Series, now: number): TrendModel {
    // no shipped model for this period: train one on the series itself (OnTheFlyModels says when again)
    return this.o.models.trend.get(period) ?? this.onTheFly.get(s, now, () => TrendModel.train(s, [...ATTACK_TYPES], this.o.calendar, 0, s.length));
  }

  /**
   * Tokenizes the stored documents ahead of the first request, handing the event loop back between
   * slices; start it (without awaiting) once the service exists. Optional: `overview` does what is left.
   */
  async warm(): Promise<void> {
    try {
      await this.collected?.fill(0, (this.o.now ?? Date.now)() + DAY_MS);
    } catch {
      // the store closed under it (shutdown) or failed: nothing to do ahead; `overview` reports its own errors
    }
  }

  /**
   * The overview is computed again only when the store has a new document or the UTC day changed (the
   * listing reaches a day past now); `generatedAt` is when it was computed. Source statistics are always current.
   */
  overview(period: Period, limit: number): TrendsOverview {
    const now = (this.o.now ?? Date.now)();
    const version = this.version(now);
    const key = `${period}:${limit}`;
    let hit = this.overviews.get(key);
    if (hit?.version !== version) {
      hit = { version, value: this.compute(period, limit, now) };
      this.overviews.delete(key);
      if (this.overviews.size >= MAX_OVERVIEWS) this.overviews.delete(this.overviews.keys().next().value!);
      this.overviews.set(key, hit);
    }
    return { ...hit.value, sources: this.o.sourceStats?.() ?? [] };
  }

  /**
   * The documents behind a count: those counted as `type` in the period of `period` holding `at` (any
   * time in it), newest first, `limit` (at most MAX_PERIOD_DOCUMENTS) from `offset`, with how many there
   * are. The same documents, dated the same way, as the overview counts.
   */
  documents(type: string, period: Period, at: number, offset: number, limit: number): PeriodDocuments {
    const now = (this.o.now ?? Date.now)();
    const k = periodIndex(at, period);
    const from = periodStart(k, period);
    // dated as the overview dates them: a document ahead of now counts as now (collectedDocs)
    const counted = (this.indexed(period, now).get(type)?.get(k) ?? []).map(({ d, collected }) => (collected && d.time > now ? { ...d, time: now } : d));
    counted.sort((a, b) => b.time - a.time || (a.ref!.id < b.ref!.id ? -1 : 1));
    const page = counted.slice(offset, offset + Math.min(limit, MAX_PERIOD_DOCUMENTS));
    return {
      type,
      period,
      start: new Date(from).toISOString(),
      total: counted.length,
      offset,
      documents: page.map((d) => ({ ...trendDocument(d, type), source: d.ref!.source ?? null })),
    };
  }

  /** What a computed overview or document index stands for: the UTC day and the store's version. */
  private version(now: number): string {
    return `${Math.floor(now / DAY_MS)}/${this.o.store?.version() ?? '-'}`;
  }

  /**
   * The documents `documents` lists, by type and period, built once per store version and UTC day: a
   * request filtered all of them (history and up to 50,000 collected), 55 ms median over 50,000 documents
   * (bench/trends-documents.ts). Documents are kept as stored and indexed by the period they count in
   * (a collected one ahead of now in now's period, as collectedDocs dates it); that period does not
   * change within the UTC day the index is for.
   */
  private indexed(period: Period, now: number): PeriodIndex {
    const version = this.version(now);
    if (this.periodDocs?.version !== version) this.periodDocs = { version, byPeriod: new Map() };
    let index = this.periodDocs.byPeriod.get(period);
    if (index !== undefined) return index;
    index = new Map();
    const add = (d: TimedDoc, collected: boolean): void => {
      if (d.ref === undefined) return;
      const k = periodIndex(collected ? Math.min(d.time, now) : d.time, period);
      for (const type of d.types) {
        let byK = index!.get(type);
        if (byK === undefined) index!.set(type, (byK = new Map()));
        const docs = byK.get(k);
        if (docs === undefined) byK.set(k, [{ d, collected }]);
        else docs.push({ d, collected });
      }
    };
    for (const d of this.o.history) add(d, false);
    for (const d of this.collected?.list(0, now + DAY_MS) ?? []) add(d, true);
    this.periodDocs.byPeriod.set(period, index);
    return index;
  }

  /**
   * The collected documents as the series reads them. From 0: the collector stores no time before 1970
   * (documentTime in collector.ts). A document dated ahead of now (the collector keeps up to a day ahead)
   * counts as now: the series, and the period predicted, end at today, never at the latest document's date.
   */
  private collectedDocs(now: number): TimedDoc[] {
    return (this.collected?.list(0, now + DAY_MS) ?? []).map((d) => (d.time > now ? { ...d, time: now } : d));
  }

  private compute(period: Period, limit: number, now: number): Computed {
    const collected = this.collectedDocs(now);
    const docs = [...this.o.history, ...collected];
    if (docs.length === 0) {
      // why, by what the collector says; its sources in `details` for the page to list (a failing one was not shown)
      const sources = this.o.sourceStats?.() ?? [];
      if (sources.length === 0) throw new AppError('TRENDS_NO_DATA', 'not_found', 'trends: no documents yet; configure trends sources and let the collector run, or give a datasets directory');
      throw new AppError('TRENDS_NO_DATA', 'not_found', `trends: no documents yet: ${noDocumentsWhy(sources)}`, { sources });
    }
    const s = buildSeries(docs, period, ATTACK_TYPES, MIN_DOCS_PER_MONTH, now);
    const model = this.model(period, s, now);
    const cal = calendarFor(s, this.o.calendar);
    const firstShown = Math.max(1, s.length - limit);
    const probs = new Map<number, number[]>();
    for (let i = firstShown; i < s.length; i++) {
      if (usable(s, i - 1)) probs.set(i, model.predictAfter(s, i - 1, cal, false).map((p) => p.probability));
    }
    const read = lastWholePeriod(s, now);
    const next = model.predictAfter(s, read, cal, true);
    const { basis, warning } = windowBasis(s, docs, this.o.history.length, collected.length, now, read);
    const windowDocs: TimedDoc[] = [];
    for (let k = Math.max(0, read - WINDOWS[period].short + 1); k <= read; k++) for (const d of s.docs[k]!) windowDocs.push(d);
    const types = model.types.map((type, k): TypeTrend => {
      const points: TrendPoint[] = [];
      for (let i = firstShown; i < s.length; i++) {
        const start = periodStart(s.first + i, period);
        const found = s.counts.get(type)![i]!;
        const point: TrendPoint = { start: new Date(start).toISOString(), observed: s.covered[i] ? found : null, probability: probs.get(i)?.[k] ?? null };
        if (start + periodMs(period) > now + 1) point.partial = true;
        if (!s.covered[i] && found > 0) point.uncounted = found;
        points.push(point);
      }
      const pred = next[k]!;
      // the period forecast is the series' current one (read + 1) unless the series is one period long
      const soFar = read + 1 < s.length ? s.counts.get(type)![read + 1]! : 0;
      const forecastStart = new Date(pred.periodStart).toISOString();
      const carriers = documentsBehind(windowDocs, type, pred.drivers, 5).map((d) => trendDocument(d, type));
      return {
        type,
        label: ATTACK_TYPE_LABELS[type as AttackType] ?? type,
        points,
        next: {
          start: forecastStart,
          probability: pred.probability,
          drivers: pred.drivers.filter(movedIt),
          lowering: pred.lowering.filter(movedIt),
          calendar: pred.calendar,
          documents: carriers,
          warning,
          reported: soFar > 0 ? { count: soFar, documents: periodDocumentsPath(type, period, forecastStart) } : null,
        },
      };
    });
    return {
      period,
      generatedAt: new Date(now).toISOString(),
      basis,
      caveat: period === 'week' ? WEEKLY_CAVEAT : DAILY_CAVEAT,
      warning,
      types,
    };
  }
}

const monthKey = (t: number): string => new Date(t).toISOString().slice(0, 7);

/**
 * The index of the period the forecast reads: the last one that is over, so the forecast is for the
 * current period (today, this week), as the reports line's last point is. The series ends at today, whose
 * period is not over; read as a whole one, its first hours count as "few reports in the last week": on a
 * Monday at 03:26 UTC the weekly forecast for the week after read 2 targeted reports and a handful of any
 * type in three hours, and gave targeted attacks 0.084 where the whole weeks before gave 0.324 ("few
 * reports of any type in the last week" among what lowered it). Only a series of one period reads that one.
 */
export function lastWholePeriod(s: Series, now: number): number {
  const last = s.length - 1;
  const over = periodStart(s.first + last, s.period) + periodMs(s.period) <= now + 1;
  return over || last === 0 ? last : last - 1;
}

/**
 * What the forecast reads (the long window ending at `last`, the last whole period): its documents by kind (incident
 * history, collected, demo), and a warning when a month the window touches holds fewer documents than
 * MIN_DOCS_PER_MONTH (the current month pro rata): the prediction then rests on too little.
 */
export function windowBasis(s: Series, docs: readonly TimedDoc[], historyDocs: number, collectedDocs: number, now: number, last = lastWholePeriod(s, now)): { basis: TrendsBasis; warning: string | null } {
  const periods = WINDOWS[s.period].long;
  const firstK = Math.max(0, last - periods + 1);
  const from = periodStart(s.first + firstK, s.period);
  // the periods the window holds: fewer than the model reads when the data are shorter than it
  const w = { from: new Date(from).toISOString(), periods: last - firstK + 1, history: 0, collected: 0, demo: 0 };
  const unread: UnreadCounts = { documents: 0, language: {}, fewKnownWords: 0 };
  for (let k = firstK; k <= last; k++) {
    for (const d of s.docs[k]!) {
      if (d.unread !== undefined) {
        unread.documents++;
        if (d.unread === 'few_known_words') unread.fewKnownWords++;
        else unread.language[d.lang ?? 'und'] = (unread.language[d.lang ?? 'und'] ?? 0) + 1;
      }
      // collected documents are `doc:<id>` (history.ts collectedDoc); the rest are dated incident reports
      if (d.ref?.id.startsWith('doc:') !== true) w.history++;
      else if (d.demo === true) w.demo++;
      else w.collected++;
    }
  }
  // the months the window touches, each against the minimum; the current month pro rata (on its first
  // day no month has 10 documents yet, and that is not too little data)
  const months = new Map<string, { docs: number; need: number }>();
  const end = Math.min(now, periodStart(s.first + last + 1, s.period) - 1);
  for (let t = from; t <= end; t += DAY_MS) months.set(monthKey(t), { docs: 0, need: MIN_DOCS_PER_MONTH });
  months.set(monthKey(end), { docs: 0, need: MIN_DOCS_PER_MONTH });
  const d0 = new Date(now);
  const monthFrom = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth(), 1);
  const monthLen = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + 1, 1) - monthFrom;
  const current = months.get(monthKey(now));
  if (current !== undefined) current.need = Math.ceil((MIN_DOCS_PER_MONTH * (now - monthFrom)) / monthLen);
  for (const d of docs) {
    const m = months.get(monthKey(d.time));
    if (m !== undefined) m.docs++;
  }
  const short = [...months].filter(([, m]) => m.docs < m.need).map(([month, m]) => ({ month, docs: m.docs }));
  const covered = last - firstK + 1;
  const warning =
    short.length > 0 || covered < periods
      ? tooLittleDataText(short, MIN_DOCS_PER_MONTH, `last ${covered} ${s.period}${covered === 1 ? '' : 's'}`, { periods: covered, wanted: periods, period: s.period, from: w.from })
      : null;
  return { basis: { historyDocs, collectedDocs, window: w, ...(unread.documents > 0 ? { unread } : {}) }, warning };
}

/** Periods of the trend series: UTC days or ISO weeks (Monday first), and documents bucketed into them. */
export type Period = 'day' | 'week';

export const DAY_MS = 86_400_000;
// 1970-01-01 was a Thursday: Monday-aligned weeks start 3 days later
const WEEK_OFFSET = 4 * DAY_MS;

export function periodMs(p: Period): number {
  return p === 'day' ? DAY_MS : 7 * DAY_MS;
}

export function periodIndex(t: number, p: Period): number {
  return p === 'day' ? Math.floor(t / DAY_MS) : Math.floor((t - WEEK_OFFSET) / (7 * DAY_MS));
}

export function periodStart(i: number, p: Period): number {
  return p === 'day' ? i * DAY_MS : i * 7 * DAY_MS + WEEK_OFFSET;
}

/** A document of the series: an incident report (true types) or a collected text (classified types). */
export interface TimedDoc {
  time: number;
  tokens: string[];
  types: string[];
  /** a collected document's classifier probability of each of `types`; absent for a dated incident report, whose types are its labels */
  certainty?: Record<string, number>;
  /** hacktivism, cyber crime …; optional */
  motive?: string;
  /** `source`: the collector source a collected document came from, `hackmageddon` for an incident report */
  ref?: { id: string; title: string; url: string | null; source?: string };
  /** a generated demo document (nml serve --demo) */
  demo?: boolean;
  /** a collected document the attack-type classifier could not read (its language, or too few words it knows): no types */
  unread?: 'language' | 'few_known_words';
  /** a collected document's language (history.ts) */
  lang?: string;
  /**
   * Attack types whose lexicon terms the document's text carries, when `tokens` holds only the terms a
   * model can use (service-cache.ts); absent, they are found in `tokens` (features.ts, lexiconTypes).
   */
  termTypes?: ReadonlySet<string>;
}

/** A UTC month as one number (year × 12 + month): cheaper per document than an ISO string. */
function monthOf(t: number): number {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export interface Series {
  period: Period;
  /** index of the first period */
  first: number;
  /** number of periods */
  length: number;
  /** type → count per period */
  counts: Map<string, Float64Array>;
  total: Float64Array;
  hacktivism: Float64Array;
  docs: TimedDoc[][];
  /** false for periods in months with too few documents (collection gaps): never a target, never a feature */
  covered: Uint8Array;
}

/** Buckets docs into periods from the first to the last doc (or `until`), marking months with fewer than `minDocsPerMonth` docs uncovered. */
export function buildSeries(docs: TimedDoc[], period: Period, types: readonly string[], minDocsPerMonth = 10, until?: number): Series {
  // a loop, not Math.min(...times): spreading 150,000+ arguments overflows the stack
  let lo = Infinity;
  let hi = until ?? -Infinity;
  for (const d of docs) {
    if (d.time < lo) lo = d.time;
    if (d.time > hi) hi = d.time;
  }
  const first = periodIndex(lo, period);
  const length = periodIndex(hi, period) - first + 1;
  const counts = new Map(types.map((t) => [t, new Float64Array(length)]));
  const total = new Float64Array(length);
  const hacktivism = new Float64Array(length);
  const byPeriod: TimedDoc[][] = Array.from({ length }, () => []);
  const perMonth = new Map<number, number>();
  for (const d of docs) {
    const i = periodIndex(d.time, period) - first;
    byPeriod[i]!.push(d);
    total[i]!++;
    if (d.motive === 'hacktivism') hacktivism[i]!++;
    for (const t of d.types) {
      const c = counts.get(t);
      if (c !== undefined) c[i]!++;
    }
    const m = monthOf(d.time);
    perMonth.set(m, (perMonth.get(m) ?? 0) + 1);
  }
  const covered = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    // a period is covered when the month it starts in, and the month it ends in, were collected
    const s = periodStart(first + i, period);
    const e = s + periodMs(period) - 1;
    const ok = (t: number): boolean => (perMonth.get(monthOf(t)) ?? 0) >= minDocsPerMonth;
    covered[i] = ok(s) && ok(e) ? 1 : 0;
  }
  return { period, first, length, counts, total, hacktivism, docs: byPeriod, covered };
}

/** Features of a period, known at its end, for predicting the next one: type histories, reporting volume, motives, window text (TF-IDF) and the calendar. */
import { calendarHits, CALENDAR_KINDS, type CalendarEntry } from '../text/calendar.js';
import type { SparseVec } from '../classify/sparse.js';
import { attackTermsIn } from '../text/entities.js';
import { DAY_MS, periodMs, periodStart, type Period, type Series, type TimedDoc } from './periods.js';

export interface Windows {
  /** periods of text and the short moving average */
  short: number;
  /** periods of the long moving average */
  long: number;
}

export const WINDOWS: Record<Period, Windows> = { day: { short: 7, long: 28 }, week: { short: 2, long: 8 } };

/** Per-day calendar kinds, computed once for a whole series. */
export class CalendarIndex {
  private readonly byDay = new Map<number, { kinds: Set<string>; names: string[]; byKind: Map<string, string[]> }>();
  constructor(entries: readonly CalendarEntry[], from: number, to: number) {
    for (const h of calendarHits(entries, from, to)) {
      const d = Date.parse(`${h.day}T00:00:00Z`) / DAY_MS;
      let v = this.byDay.get(d);
      if (v === undefined) this.byDay.set(d, (v = { kinds: new Set(), names: [], byKind: new Map() }));
      v.kinds.add(h.entry.kind);
      v.names.push(`${h.day} ${h.entry.name}`);
      const k = v.byKind.get(h.entry.kind) ?? [];
      k.push(`${h.day} ${h.entry.name}`);
      v.byKind.set(h.entry.kind, k);
    }
  }

  /** kinds and entry names active on any day of [from, to); `byKind`: the names of each kind (which national day) */
  between(from: number, to: number): { kinds: Set<string>; names: string[]; byKind: Map<string, string[]> } {
    const kinds = new Set<string>();
    const names: string[] = [];
    const byKind = new Map<string, string[]>();
    for (let d = Math.floor(from / DAY_MS); d * DAY_MS < to; d++) {
      const v = this.byDay.get(d);
      if (v === undefined) continue;
      for (const k of v.kinds) kinds.add(k);
      names.push(...v.names);
      for (const [k, n] of v.byKind) byKind.set(k, [...(byKind.get(k) ?? []), ...n]);
    }
    return { kinds, names, byKind };
  }
}

/**
 * Names of the dense features of one attack type. Each type's model sees its own history only (plus
 * volume, motive and calendar): with ~100 weekly rows, cross-type features only fitted noise.
 */
export function denseFeatureNames(period: Period): string[] {
  const names = ['own:last', 'own:ma_short', 'own:ma_long', 'own:share_long', 'own:terms_short', 'total:last', 'total:ma_long', 'hacktivism:share_long'];
  for (const k of CALENDAR_KINDS) names.push(`calendar_next:${k}`);
  for (const k of CALENDAR_KINDS) names.push(`calendar_now:${k}`);
  if (period === 'day') for (let d = 0; d < 7; d++) names.push(`next_weekday:${d}`);
  return names;
}

/** True when period i and its long window are all collected (so its features and next target are real). */
export function usable(s: Series, i: number): boolean {
  const w = WINDOWS[s.period].long;
  if (i - w + 1 < 0 || i + 1 >= s.length) return false;
  for (let k = i - w + 1; k <= i + 1; k++) if (s.covered[k] === 0) return false;
  return true;
}

function mean(a: Float64Array, from: number, to: number, f: (x: number) => number): number {
  let s = 0;
  for (let k = Math.max(0, from); k <= to; k++) s += f(a[k]!);
  return s / (to - Math.max(0, from) + 1);
}

const termTypeCache = new WeakMap<TimedDoc, ReadonlySet<string>>();

/** Attack types whose curated terms (text/lexicon.ts) a document's tokens contain (or its `termTypes`). */
export function lexiconTypes(d: TimedDoc): ReadonlySet<string> {
  if (d.termTypes !== undefined) return d.termTypes;
  let v = termTypeCache.get(d);
  if (v === undefined) {
    v = new Set(attackTermsIn(d.tokens.join(' ')).map((a) => a.type));
    termTypeCache.set(d, v);
  }
  return v;
}

export function denseFeatures(s: Series, i: number, type: string, cal: CalendarIndex): number[] {
  const w = WINDOWS[s.period];
  const c = s.counts.get(type)!;
  const any = (x: number): number => (x > 0 ? 1 : 0);
  const totalLong = mean(s.total, i - w.long + 1, i, (x) => x) * w.long;
  let docs = 0;
  let withTerms = 0;
  for (let k = Math.max(0, i - w.short + 1); k <= i; k++) {
    for (const d of s.docs[k]!) {
      docs++;
      if (lexiconTypes(d).has(type)) withTerms++;
    }
  }
  const hackLong = mean(s.hacktivism, i - w.long + 1, i, (x) => x) * w.long;
  const f = [
    Math.log1p(c[i]!),
    mean(c, i - w.short + 1, i, any),
    mean(c, i - w.long + 1, i, any),
    totalLong === 0 ? 0 : (mean(c, i - w.long + 1, i, (x) => x) * w.long) / totalLong,
    docs === 0 ? 0 : withTerms / docs,
    Math.log1p(s.total[i]!),
    Math.log1p(totalLong / w.long),
    totalLong === 0 ? 0 : hackLong / totalLong,
  ];
  const len = periodMs(s.period);
  const nextStart = periodStart(s.first + i + 1, s.period);
  const next = cal.between(nextStart, nextStart + len);
  const now = cal.between(nextStart - len, nextStart);
  for (const k of CALENDAR_KINDS) f.push(next.kinds.has(k) ? 1 : 0);
  for (const k of CALENDAR_KINDS) f.push(now.kinds.has(k) ? 1 : 0);
  if (s.period === 'day') {
    const wd = new Date(nextStart).getUTCDay();
    for (let d = 0; d < 7; d++) f.push(d === wd ? 1 : 0);
  }
  return f;
}

/** Tokens of the documents in the short window ending at period i. */
export function windowTokens(s: Series, i: number): string[] {
  const out: string[] = [];
  for (let k = Math.max(0, i - WINDOWS[s.period].short + 1); k <= i; k++) for (const d of s.docs[k]!) out.push(...d.tokens);
  return out;
}

/** Dense features (standardised) first, then the window text's TF-IDF scaled by `textWeight`. */
export function combine(dense: number[], mu: number[], sd: number[], text: SparseVec | null, textWeight: number): SparseVec {
  const n = dense.length;
  const tlen = text?.idx.length ?? 0;
  const idx = new Int32Array(n + tlen);
  const val = new Float32Array(n + tlen);
  for (let k = 0; k < n; k++) {
    idx[k] = k;
    val[k] = (dense[k]! - mu[k]!) / sd[k]!;
  }
  for (let k = 0; k < tlen; k++) {
    idx[n + k] = n + text!.idx[k]!;
    val[n + k] = text!.val[k]! * textWeight;
  }
  return { idx, val };
}

export function fitScaler(rows: number[][]): { mu: number[]; sd: number[] } {
  const d = rows[0]?.length ?? 0;
  const mu = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const r of rows) for (let k = 0; k < d; k++) mu[k]! += r[k]! / rows.length;
  for (const r of rows) for (let k = 0; k < d; k++) sd[k]! += (r[k]! - mu[k]!) ** 2 / rows.length;
  return { mu, sd: sd.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}


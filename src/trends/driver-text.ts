/**
 * A trend model's drivers and probabilities in words, for the Trends page and `nml trends predict`: the
 * CLI printed the feature names (`next_weekday:1`, `total:ma_long`) and percentages while the page said
 * "next day is a Monday" and 0.208. No imports: the web bundle uses it.
 */

/** Periods of the short and long windows the features read (predict/features.ts WINDOWS; a test holds them equal). */
export const DRIVER_WINDOWS = { day: { short: 7, long: 28 }, week: { short: 2, long: 8 } } as const;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A probability as both say it: three decimals in [0, 1] ("0.208"), as the page's score bars show every score. */
export function probabilityText(p: number): string {
  return p.toFixed(3);
}

/**
 * What a next-period probability is the probability of: "reported on 2026-12-07" (a UTC day), "reported in
 * the week from 2026-12-07" (weeks from Monday). The page said "next 2026-12-07" under a bare 0.245.
 */
export function nextPeriodText(start: string, period: 'day' | 'week'): string {
  const day = start.slice(0, 10);
  return period === 'day' ? `reported on ${day}` : `reported in the week from ${day}`;
}

/** What a driver's "+0.48" or "−0.21" is, said once under "Why" on the page (trend-model.ts predictAfter: weight × standardised feature). */
export const DRIVERS_NOTE = 'what raised the probability most and what lowered it most, each with what it adds to the log-odds';

/** A driver's contribution to the log-odds with its sign: "+0.48", "−0.21" (a minus sign, not a hyphen). */
export function driverWeightText(weight: number): string {
  return `${weight < 0 ? '\u2212' : '+'}${Math.abs(weight).toFixed(2)}`;
}

/**
 * Whether a driver moved the probability as the weights are shown (two decimals): one that adds (or
 * takes) less than 0.005 to the log-odds reads "+0.00" or "−0.00" (a national day that moved nothing),
 * and is no reason. The one rule: the service drops the others from its reply (`GET /api/trends`,
 * `nml trends predict --json`; its `lowering` listed drivers of −0.000), and shownDrivers applies it too.
 */
export function movedIt(d: { weight: number }): boolean {
  return Math.abs(d.weight) >= 0.005;
}

/**
 * The drivers to show as reasons, strongest first, at most `max`, those that moved it (movedIt: the
 * service's reply holds no other; a reply cached from before it may). Raising and lowering drivers come
 * sorted strongest first (trend-model.ts predictAfter).
 */
export function shownDrivers<D extends { weight: number }>(drivers: readonly D[], max: number): D[] {
  return drivers.filter(movedIt).slice(0, max);
}

function span(n: number, period: 'day' | 'week'): string {
  return `the last ${n} ${period}s`;
}

/**
 * The dense features (predict/features.ts denseFeatureNames) as a reader says them, for a model of `period`;
 * `below`: the value was under its training mean, and that is what raised the probability. Every driver
 * read "reported often", "many reports", even for a type with no report at all in the window.
 */
function featureLabel(name: string, period: 'day' | 'week', below: boolean): string | undefined {
  const w = DRIVER_WINDOWS[period];
  switch (name) {
    case 'own:last':
      return below ? `few or no reports of this type in the last ${period}` : `reports of this type in the last ${period}`;
    case 'own:ma_short':
      return `reported ${below ? 'rarely' : 'often'} in ${span(w.short, period)}`;
    case 'own:ma_long':
      return `reported ${below ? 'rarely' : 'often'} in ${span(w.long, period)}`;
    case 'own:share_long':
      return `${below ? 'small' : 'large'} share of the reports of ${span(w.long, period)}`;
    case 'own:terms_short':
      return below ? `few of its attack terms in the texts of ${span(w.short, period)}` : `its attack terms in the texts of ${span(w.short, period)}`;
    case 'total:last':
      return `${below ? 'few' : 'many'} reports of any type in the last ${period}`;
    case 'total:ma_long':
      return `${below ? 'few' : 'many'} reports lately (${span(w.long, period)})`;
    case 'hacktivism:share_long':
      return `${below ? 'little ' : ''}hacktivism lately (${span(w.long, period)})`;
    default:
      return undefined;
  }
}

/**
 * `own:ma_short` → "reported often in the last 7 days", `next_weekday:1` → "the day forecast is a Monday",
 * `calendar_now:national_day` → "national day the day before", `term:lockbit` → "“lockbit” in recent texts". A name
 * this does not know (a model trained by a newer version) is shown as it is, saying so, rather than guessed at.
 */
export function driverLabel(name: string, period: 'day' | 'week', below = false): string {
  if (name.startsWith('term:') && name.length > 5) return `“${name.slice(5)}” in recent texts`;
  const known = featureLabel(name, period, below);
  if (known !== undefined) return known;
  const cal = /^calendar_(next|now):([a-z_]+)$/.exec(name);
  if (cal !== null) {
    const kind = cal[2]!.replaceAll('_', ' ');
    // the forecast is for the current period, read from the whole one before it (service.ts lastWholePeriod)
    return cal[1] === 'now' ? `${kind} the ${period} before` : `${kind} ${period === 'day' ? 'on the day forecast' : 'in the week forecast'}`;
  }
  const wd = /^next_weekday:([0-6])$/.exec(name);
  if (wd !== null) return `the day forecast is a ${WEEKDAYS[Number(wd[1])]}`;
  return `model feature ${name} (no description for it)`;
}

/** A driver as a reader says it, with the dates a calendar driver stands for ("national day the day before (2026-12-01 …)"). */
export function driverText(d: { name: string; detail?: string; below?: boolean }, period: 'day' | 'week'): string {
  const label = driverLabel(d.name, period, d.below === true);
  return d.detail === undefined ? label : `${label} (${d.detail})`;
}

/**
 * A type already reported in the period forecast, said plainly beside its probability (the page's card,
 * predict's line): "3 reports today so far", "1 report this week so far". The forecast is still shown: it
 * reads only the whole periods before, and says what the model expected.
 */
export function reportedText(count: number, period: 'day' | 'week'): string {
  return `${count} ${count === 1 ? 'report' : 'reports'} ${period === 'day' ? 'today' : 'this week'} so far`;
}

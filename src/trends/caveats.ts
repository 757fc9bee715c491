/**
 * What the Trends page, the API and `nml trends predict` say beside the figures: the daily and weekly
 * models' measured weakness (models/trends/MODEL_CARD.md, "Trend prediction, next week"), too little data in the
 * window a prediction reads, and the unfinished current period. No imports: the web bundle uses it.
 */

/** One sentence with the model card's figures for the shipped weekly model. */
export const WEEKLY_CAVEAT =
  'Weekly forecasts are not better than naive baselines: on 38 test weeks (models/trends/MODEL_CARD.md) the weekly model ' +
  "ranked above every baseline for 1 of 6 attack types (not significantly) and below one for 5, e.g. ransomware ROC-AUC 0.495 against 0.805 for last week's reports; read these as rough.";

/**
 * The same for the shipped daily model (MODEL_CARD.md, "Trend prediction, next day"): the page said
 * nothing beside its figures, which read as chances; the model card says to rank by them.
 */
export const DAILY_CAVEAT =
  'Daily forecasts rank the attack types, no more: on 305 test days (models/trends/MODEL_CARD.md) the daily model ranked above every naive baseline ' +
  'for 5 of 6 attack types, none significantly (ROC-AUC 0.53 to 0.63), and for 5 of them no test day reached probability 0.5; read the figures as an order, not as chances.';

/** Short form beside each figure when a prediction reads months with too few documents. */
export const TOO_LITTLE_DATA = 'too little data';

/**
 * The full warning, with each reason that holds: the data cover fewer periods than the window the model
 * reads (`span`: how many there are, from when), and which months of the window hold fewer documents than
 * the minimum. It said "(…) ()" with an empty list, and "the last 8 weeks", when the data held 5 weeks.
 */
export function tooLittleDataText(
  months: readonly { month: string; docs: number }[],
  minPerMonth: number,
  window: string,
  span?: { periods: number; wanted: number; period: 'day' | 'week'; from: string },
): string {
  const reasons: string[] = [];
  if (span !== undefined && span.periods < span.wanted) {
    reasons.push(`the data cover ${span.periods} ${span.period}${span.periods === 1 ? '' : 's'} (from ${span.from.slice(0, 10)}), fewer than the ${span.wanted} ${span.period}s the model reads`);
  }
  if (months.length > 0) {
    const list = months.map((m) => `${m.month}: ${m.docs}`).join(', ');
    reasons.push(`the ${window} this forecast reads fall in months with fewer than the ${minPerMonth} documents a month the model needs (${list})`);
  }
  return `${TOO_LITTLE_DATA}: ${reasons.join('; ')}; the figures are not a forecast to rely on`;
}

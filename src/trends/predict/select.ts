/**
 * Per attack type, the L2 strength and text weight of the trend model chosen on validation periods
 * that come before everything evaluated: train on the earlier part of the training periods, score the
 * later part, keep what ranks best (ROC-AUC). The test months are never looked at.
 */
import { rocAuc } from '../../core/index.js';
import type { CalendarEntry } from '../text/calendar.js';
import { usable } from './features.js';
import type { Series } from './periods.js';
import { calendarFor, TrendModel, type TrendOptions, type TypeOptions } from './trend-model.js';

/** The candidates, simplest first: a later one must validate strictly better to be chosen. */
export const SELECTION_GRID: readonly TypeOptions[] = [1, 0.3, 0.1, 0.03].flatMap((l2) => [0, 0.1, 0.2, 0.5].map((textWeight) => ({ l2, textWeight })));
/** The share of the training periods (the latest) held out for validation. */
export const VALIDATION_SHARE = 0.3;

export interface TypeSelection {
  type: string;
  chosen: TypeOptions;
  /** validation ROC-AUC of the chosen options (null: no positive or no negative in validation) */
  validationAuc: number | null;
  validationPositives: number;
}

export interface Selection {
  /** validation: rows (predicting period row + 1) from this index to `end` */
  trainRows: number;
  validationRows: number;
  types: TypeSelection[];
  perType: Record<string, TypeOptions>;
}

/** Chooses options per type using only rows before `end` (row i predicts period i + 1). */
export function selectTrendOptions(s: Series, types: string[], calendar: readonly CalendarEntry[], end: number, base: Partial<TrendOptions> = {}): Selection {
  const rows: number[] = [];
  for (let i = 0; i < Math.min(end, s.length - 1); i++) if (usable(s, i)) rows.push(i);
  const cut = rows[Math.floor(rows.length * (1 - VALIDATION_SHARE))] ?? end;
  const val = rows.filter((i) => i >= cut);
  const cal = calendarFor(s, calendar);
  const labels = types.map((t) => val.map((i) => (s.counts.get(t)![i + 1]! > 0 ? 1 : 0)));
  const best = types.map(() => ({ auc: -1, options: SELECTION_GRID[0]! }));
  for (const options of SELECTION_GRID) {
    const model = TrendModel.train(s, types, calendar, 0, cut, { ...base, perType: undefined, l2: options.l2, textWeight: options.textWeight });
    const preds = val.map((i) => model.predictAfter(s, i, cal, false));
    types.forEach((_, k) => {
      const auc = rocAuc(preds.map((p) => p[k]!.probability), labels[k]!) ?? 0.5;
      if (auc > best[k]!.auc + 1e-9) best[k] = { auc, options };
    });
  }
  const sel: TypeSelection[] = types.map((type, k) => {
    const positives = labels[k]!.reduce((a: number, b) => a + b, 0);
    const defined = positives > 0 && positives < val.length;
    return { type, chosen: best[k]!.options, validationAuc: defined ? best[k]!.auc : null, validationPositives: positives };
  });
  return { trainRows: rows.length - val.length, validationRows: val.length, types: sel, perType: Object.fromEntries(sel.map((x) => [x.type, x.chosen])) };
}

/** Trend prediction on a synthetic history with a planted calendar signal: the model finds it, baselines cannot, nothing crosses the time split. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSeries, periodIndex, periodStart } from './periods.js';
import { evaluateTrends, baselineScores } from './evaluate.js';
import { TrendModel, calendarFor } from './trend-model.js';
import { usable } from './features.js';
import { syntheticElections, syntheticHistory } from '../testing.js';
import { ATTACK_TYPES } from '../text/lexicon.js';
import { isAppError } from '../../core/index.js';
import { SELECTION_GRID, selectTrendOptions } from './select.js';
import { aucDifference } from './bootstrap.js';

const DAYS = 240;
const { days: elections, calendar } = syntheticElections(DAYS);
const docs = syntheticHistory(DAYS, elections);

test('periods: days and Monday weeks round-trip', () => {
  const t = Date.UTC(2024, 6, 3, 15); // a Wednesday
  assert.equal(periodStart(periodIndex(t, 'day'), 'day'), Date.UTC(2024, 6, 3));
  assert.equal(periodStart(periodIndex(t, 'week'), 'week'), Date.UTC(2024, 6, 1));
  assert.equal(new Date(periodStart(periodIndex(t, 'week'), 'week')).getUTCDay(), 1);
});

test('series: counts per type, and months with too few documents are gaps', () => {
  const gap = docs.filter((d) => new Date(d.time).getUTCMonth() !== 2); // no March
  const s = buildSeries(gap, 'day', ATTACK_TYPES, 10);
  const march = periodIndex(Date.UTC(2023, 2, 10), 'day') - s.first;
  assert.equal(s.covered[march], 0);
  assert.equal(s.covered[march - 20], 1);
  assert.equal(usable(s, march - 1), false, 'a target in a gap is never used');
  assert.equal(s.counts.get('ddos')!.reduce((a, b) => a + b, 0), [...elections].filter((d) => new Date(Date.UTC(2023, 0, 1) + d * 86_400_000).getUTCMonth() !== 2).length);
});

test('series: 200,000 documents bucket without overflowing the stack (first and last by a loop, not a spread)', () => {
  const t0 = Date.UTC(2024, 0, 1);
  const many = Array.from({ length: 200_000 }, (_, i) => ({ time: t0 + (i % 400) * 86_400_000 + 1000, tokens: [], types: ['ddos'] }));
  const s = buildSeries(many, 'day', ATTACK_TYPES, 10, t0 + 450 * 86_400_000);
  assert.equal(s.first, periodIndex(t0, 'day'));
  assert.equal(s.length, 451, 'until extends the series past the last document');
  assert.equal(s.total.reduce((a, b) => a + b, 0), 200_000);
});

test('the model learns a calendar signal and beats every naive baseline on later months (ROC-AUC)', () => {
  const s = buildSeries(docs, 'day', ATTACK_TYPES, 10);
  const { eval: ev } = evaluateTrends(s, [...ATTACK_TYPES], calendar, Date.UTC(2023, 5, 1), { seed: 3 });
  const ddos = ev.types.find((t) => t.type === 'ddos')!;
  assert.ok(ddos.positives > 5);
  assert.ok(ddos.model.rocAuc! > 0.95, `model auc ${ddos.model.rocAuc}`);
  for (const [name, m] of Object.entries(ddos.baselines)) assert.ok(m.rocAuc === null || m.rocAuc < 0.75, `${name} auc ${m.rocAuc}`);
  assert.ok(ddos.model.accuracy > ddos.baselines.base_rate.accuracy);
  assert.ok(ev.points.every((p) => p.start >= Date.UTC(2023, 5, 1)), 'only periods after the split are tested');
});

test('training is reproducible from the seed and refuses too little data', () => {
  const s = buildSeries(docs, 'day', ATTACK_TYPES, 10);
  const a = TrendModel.train(s, [...ATTACK_TYPES], calendar, 0, 150, { seed: 7 });
  const b = TrendModel.train(s, [...ATTACK_TYPES], calendar, 0, 150, { seed: 7 });
  assert.deepEqual(a.toJSON(), b.toJSON());
  const again = TrendModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON())), 'test');
  const cal = calendarFor(s, calendar);
  assert.deepEqual(
    again.predictAfter(s, 200, cal).map((p) => p.probability.toFixed(4)),
    a.predictAfter(s, 200, cal).map((p) => p.probability.toFixed(4)),
  );
  assert.throws(() => TrendModel.train(s, [...ATTACK_TYPES], calendar, 0, 30), (e: unknown) => isAppError(e) && e.code === 'TRENDS_TOO_LITTLE_DATA');
  assert.throws(() => TrendModel.fromJSON({ kind: 'other' }, 'x'), (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_INVALID');
});

test('a prediction names its calendar date and the driver behind it', () => {
  const s = buildSeries(docs, 'day', ATTACK_TYPES, 10);
  const m = TrendModel.train(s, [...ATTACK_TYPES], calendar, 0, s.length, { seed: 1 });
  const cal = calendarFor(s, calendar);
  const day = [...elections].find((d) => d > 100)!;
  const i = periodIndex(Date.UTC(2023, 0, 1) + day * 86_400_000, 'day') - s.first - 1;
  const ddos = m.predictAfter(s, i, cal).find((p) => p.type === 'ddos')!;
  assert.ok(ddos.probability > 0.8, `p=${ddos.probability}`);
  assert.equal(ddos.drivers[0]!.name, 'calendar_next:election');
  assert.match(ddos.calendar[0]!, /election/);
});

test('baselines: last week is the same weekday a week before, the moving average the share of recent periods', () => {
  const s = buildSeries(docs, 'day', ATTACK_TYPES, 10);
  const c = s.counts.get('malware')!;
  const i = 100;
  const b = baselineScores(s, i, 'malware', 0.3);
  assert.equal(b.last_week, c[i - 6]! > 0 ? 1 : 0);
  assert.equal(b.base_rate, 0.3);
  let any = 0;
  for (let k = i - 6; k <= i; k++) any += c[k]! > 0 ? 1 : 0;
  assert.equal(b.moving_average, any / 7);
});

test('options are chosen per type on validation periods before the split: the periods after it cannot change them', () => {
  const s = buildSeries(docs, 'day', ATTACK_TYPES, 10);
  const end = 150;
  const a = selectTrendOptions(s, [...ATTACK_TYPES], calendar, end, { seed: 2 });
  assert.equal(a.trainRows + a.validationRows <= end, true);
  assert.ok(a.validationRows > 20);
  // the planted calendar signal validates well for ddos
  const ddos = a.types.find((t) => t.type === 'ddos')!;
  assert.ok(ddos.validationAuc !== null && ddos.validationAuc > 0.9, `validation auc ${ddos.validationAuc}`);
  assert.ok(SELECTION_GRID.some((g) => g.l2 === ddos.chosen.l2 && g.textWeight === ddos.chosen.textWeight));
  // scramble every count after `end`: the same choices
  const later = { ...s, counts: new Map([...s.counts].map(([t, c]) => [t, c.map((v, i) => (i > end ? (i * 7919) % 3 : v))])) };
  assert.deepEqual(selectTrendOptions(later, [...ATTACK_TYPES], calendar, end, { seed: 2 }).perType, a.perType);
});

test('the AUC difference interval: sure for a perfect model against noise, straddling 0 for two equal ones', () => {
  const n = 200;
  const labels = Array.from({ length: n }, (_, i) => ((i * 37) % 5 === 0 ? 1 : 0));
  const perfect = labels.map((y, i) => y + ((i * 13) % 7) / 100);
  const noise = labels.map((_, i) => ((i * 7919) % 101) / 101);
  const d = aucDifference(perfect, noise, labels, { block: 7, seed: 1 })!;
  assert.ok(d.diff > 0.3 && d.lo > 0.2 && d.lo <= d.diff && d.diff <= d.hi, JSON.stringify(d));
  const same = aucDifference(noise, noise.map((x) => x * 2), labels, { block: 7, seed: 1 })!;
  assert.equal(same.diff, 0);
  assert.ok(same.lo <= 0 && same.hi >= 0);
  assert.equal(aucDifference(noise, noise, labels.map(() => 0), { block: 7 }), null, 'one class: no AUC');
});

test('a prediction also names what lowered it: negative contributions, strongest first, never an indicator that is off', () => {
  const s = buildSeries(docs, 'day', ATTACK_TYPES, 10);
  const m = TrendModel.train(s, [...ATTACK_TYPES], calendar, 0, s.length, { seed: 1 });
  const cal = calendarFor(s, calendar);
  // a day with no election next: the election indicator is off, so it lowers nothing by being 0
  const quiet = Array.from({ length: 60 }, (_, k) => 100 + k).find((d) => !elections.has(d) && !elections.has(d + 1))!;
  const i = periodIndex(Date.UTC(2023, 0, 1) + quiet * 86_400_000, 'day') - s.first - 1;
  const preds = m.predictAfter(s, i, cal);
  assert.ok(preds.some((p) => p.lowering.length > 0), 'something lowered some prediction');
  for (const p of preds) {
    const w = p.lowering.map((d) => d.weight);
    assert.ok(w.every((x) => x < 0), `${p.type}: ${JSON.stringify(p.lowering)}`);
    assert.deepEqual(w, [...w].sort((a, b) => a - b), p.type);
    assert.ok(p.lowering.length <= 8 && p.drivers.every((d) => d.weight > 0), p.type);
    assert.ok(!p.lowering.some((d) => /^(next_weekday|calendar_)/.test(d.name) && d.below === true), `${p.type}: an off indicator is no reason: ${JSON.stringify(p.lowering)}`);
  }
  // without drivers asked for, neither list is filled
  assert.ok(m.predictAfter(s, i, cal, false).every((p) => p.drivers.length === 0 && p.lowering.length === 0));
});

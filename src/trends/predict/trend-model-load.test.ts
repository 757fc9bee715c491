/** A damaged trend model file (counts, dimensions, non-finite numbers) is refused at load, naming the file, instead of failing or printing NaN later. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSeries } from './periods.js';
import { TrendModel, calendarFor, type TrendModelJson } from './trend-model.js';
import { syntheticElections, syntheticHistory } from '../testing.js';
import { ATTACK_TYPES } from '../text/lexicon.js';
import { isAppError } from '../../core/index.js';

const DAYS = 120;
const { days: elections, calendar } = syntheticElections(DAYS);
const s = buildSeries(syntheticHistory(DAYS, elections), 'day', ATTACK_TYPES, 10);
const model = TrendModel.train(s, [...ATTACK_TYPES], calendar, 0, 100, { seed: 2, epochs: 2 });
const good = JSON.stringify(model.toJSON());

const damaged: Record<string, (j: TrendModelJson) => void> = {
  'a model removed': (j) => j.models.pop(),
  'weights cut to 3': (j) => (j.models[0]!.w = j.models[0]!.w.slice(0, 3)),
  'a weight that is a string': (j) => ((j.models[2]!.w as unknown[])[1] = 'x'),
  'a bias null': (j) => ((j.models[1] as { b: unknown }).b = null),
  'mu empty': (j) => (j.mu = []),
  'a mu row short': (j) => j.mu[3]!.pop(),
  'sd zero': (j) => (j.sd[0]![0] = 0),
  'sd not a number': (j) => ((j.sd[0] as unknown[])[1] = '1'),
  'base rates missing': (j) => delete (j as Partial<TrendModelJson>).baseRates,
  'a base rate above 1': (j) => (j.baseRates[0] = 2),
  'types repeated': (j) => (j.types[1] = j.types[0]!),
  'a text weight that is a string': (j) => ((j.options as unknown as Record<string, unknown>)['textWeight'] = 'much'),
  'a per-type text weight missing': (j) => (j.options.perType = { ddos: { l2: 1 } as never }),
  'period unknown': (j) => ((j as { period: unknown }).period = 'month'),
  'idf one short': (j) => j.vectorizer.idf.pop(),
};

test('trend model: a saved model loads and predicts finite probabilities', () => {
  const again = TrendModel.fromJSON(JSON.parse(good), 'trend-day.json');
  const p = again.predictAfter(s, 110, calendarFor(s, calendar));
  assert.equal(p.length, ATTACK_TYPES.length);
  assert.ok(p.every((x) => Number.isFinite(x.probability)));
});

for (const [name, damage] of Object.entries(damaged)) {
  test(`trend model: ${name} is TRENDS_MODEL_INVALID naming the file`, () => {
    const j = JSON.parse(good) as TrendModelJson;
    damage(j);
    assert.throws(
      () => TrendModel.fromJSON(j, '/models/trend-day.json'),
      (e: unknown) => isAppError(e) && e.code === 'TRENDS_MODEL_INVALID' && e.message.includes('/models/trend-day.json'),
    );
  });
}

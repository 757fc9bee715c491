/** Drivers in words: every feature the trend model can name, for both periods, and a name it does not know. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVER_WINDOWS, driverLabel, driverText, driverWeightText, probabilityText, shownDrivers } from './driver-text.js';
import { denseFeatureNames, WINDOWS } from './predict/features.js';

const RAW = /\b(own|total|hacktivism|term|calendar_next|calendar_now|next_weekday):/;

test('every dense feature the model emits, day and week, reads as words without its raw name', () => {
  for (const period of ['day', 'week'] as const) {
    const names = denseFeatureNames(period);
    for (const name of names) {
      const label = driverLabel(name, period);
      assert.doesNotMatch(label, RAW, `${period} ${name}: ${label}`);
      assert.doesNotMatch(label, /no description/, `${period} ${name}`);
    }
    // no two features say the same thing
    assert.equal(new Set(names.map((n) => driverLabel(n, period))).size, names.length, period);
  }
});

test('the words of each kind of driver', () => {
  assert.equal(driverLabel('next_weekday:1', 'day'), 'the day forecast is a Monday');
  assert.equal(driverLabel('next_weekday:0', 'day'), 'the day forecast is a Sunday');
  assert.equal(driverLabel('own:ma_short', 'day'), 'reported often in the last 7 days');
  assert.equal(driverLabel('own:ma_short', 'week'), 'reported often in the last 2 weeks');
  assert.equal(driverLabel('total:ma_long', 'day'), 'many reports lately (the last 28 days)');
  assert.equal(driverLabel('hacktivism:share_long', 'week'), 'hacktivism lately (the last 8 weeks)');
  assert.equal(driverLabel('calendar_now:national_day', 'day'), 'national day the day before');
  assert.equal(driverLabel('calendar_next:election', 'day'), 'election on the day forecast');
  assert.equal(driverLabel('calendar_next:national_day', 'week'), 'national day in the week forecast');
  assert.equal(driverLabel('term:denial', 'day'), '“denial” in recent texts');
  assert.equal(driverText({ name: 'calendar_now:national_day', detail: '2026-12-01 Great Union Day (Romania)' }, 'week'), 'national day the week before (2026-12-01 Great Union Day (Romania))');
  assert.equal(driverText({ name: 'own:last' }, 'week'), 'reports of this type in the last week');
});

test('a name the wording does not know is shown as it is, saying why, not guessed at', () => {
  assert.equal(driverLabel('own:ma_medium', 'day'), 'model feature own:ma_medium (no description for it)');
  assert.equal(driverLabel('next_weekday:9', 'day'), 'model feature next_weekday:9 (no description for it)');
  assert.equal(driverLabel('term:', 'day'), 'model feature term: (no description for it)');
});

test('the windows the words name are the ones the features read', () => {
  assert.deepEqual(DRIVER_WINDOWS, WINDOWS);
});

test('a probability reads as three decimals in [0, 1], as the page shows it', () => {
  assert.equal(probabilityText(0.2084), '0.208');
  assert.equal(probabilityText(1), '1.000');
  assert.equal(probabilityText(0), '0.000');
});

test('a driver that adds under 0.005 to the log-odds is no reason shown ("+0.00"); at most max of the rest, in order', () => {
  const d = (name: string, weight: number) => ({ name, weight });
  const drivers = [d('own:ma_long', 0.48), d('next_weekday:1', 0.37), d('own:last', 0.005), d('calendar_now:national_day', 0.0042), d('term:denial', 0.001)];
  assert.deepEqual(shownDrivers(drivers, 5).map((x) => x.name), ['own:ma_long', 'next_weekday:1', 'own:last']);
  assert.deepEqual(shownDrivers(drivers, 2).map((x) => x.name), ['own:ma_long', 'next_weekday:1']);
  assert.deepEqual(shownDrivers([d('own:last', 0.001)], 5), []);
  // the drivers that lowered it, by the same measure
  assert.deepEqual(shownDrivers([d('own:ma_long', -0.21), d('term:patch', -0.004)], 5).map((x) => x.name), ['own:ma_long']);
});

test('a driver\'s weight reads with its sign: + for one that raised the probability, a minus sign for one that lowered it', () => {
  assert.equal(driverWeightText(0.48), '+0.48');
  assert.equal(driverWeightText(-0.214), '\u22120.21');
});

test('a feature that raised the probability by being low says so: "reported rarely", not "reported often"', () => {
  assert.equal(driverLabel('own:ma_short', 'day', true), 'reported rarely in the last 7 days');
  assert.equal(driverLabel('own:last', 'week', true), 'few or no reports of this type in the last week');
  assert.equal(driverLabel('total:ma_long', 'day', true), 'few reports lately (the last 28 days)');
  assert.equal(driverLabel('own:share_long', 'week', true), 'small share of the reports of the last 8 weeks');
  assert.equal(driverLabel('own:terms_short', 'day', true), 'few of its attack terms in the texts of the last 7 days');
  assert.equal(driverLabel('hacktivism:share_long', 'day', true), 'little hacktivism lately (the last 28 days)');
  assert.equal(driverText({ name: 'total:last', below: true }, 'day'), 'few reports of any type in the last day');
  // each low reading differs from its high one, and from every other
  for (const period of ['day', 'week'] as const) {
    const names = denseFeatureNames(period).filter((n) => /^(own|total|hacktivism):/.test(n));
    const low = names.map((n) => driverLabel(n, period, true));
    assert.equal(new Set([...low, ...names.map((n) => driverLabel(n, period))]).size, 2 * names.length, period);
  }
});

/** What the overview says beside its figures: today's next period, the partial current period, too little data, the weekly caveat, what the window held, calendar drivers by name, and no function words as drivers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrendsService, type TrendsOverview } from './service.js';
import { DocStore, type NewDoc } from './docstore.js';
import { simhash } from './dedupe.js';
import { syntheticElections, syntheticHistory } from './testing.js';
import { DAILY_CAVEAT, WEEKLY_CAVEAT } from './caveats.js';
import { trendsBasisText } from './basis-text.js';
import { buildSeries } from './predict/periods.js';
import { calendarFor, shownTerm, TrendModel } from './predict/trend-model.js';
import { MIN_DOCS_PER_MONTH } from './pipeline.js';
import { ATTACK_TYPES } from './text/lexicon.js';
import { DEMO_SOURCE } from './demo.js';

const DAY = 86_400_000;
const DAYS = 240;
const T0 = Date.UTC(2023, 0, 1);
const { days: elections, calendar } = syntheticElections(DAYS);
const history = syntheticHistory(DAYS, elections);
// today: two months after the history ends, at noon
const NOW = T0 + (DAYS + 60) * DAY + DAY / 2;

const news = (i: number, time: number, source = 'news'): NewDoc => {
  const text = `ransomware gang hits hospital la ${i}`;
  return { source, url: `https://news.example/${source}/${i}`, title: `story ${i}`, text, time, fetchedAt: NOW, lang: 'en', types: { ransomware: 0.9 }, keywords: [], simhash: simhash(`${source} ${i} ${text}`) };
};

function overview(docs: NewDoc[], period: 'day' | 'week' = 'day'): TrendsOverview {
  const store = new DocStore(':memory:');
  try {
    store.insertMany(docs);
    return new TrendsService({ store, models: { attackType: null, trend: new Map() }, history, calendar, now: () => NOW }).overview(period, 30);
  } finally {
    store.close();
  }
}

const today = new Date(Math.floor(NOW / DAY) * DAY).toISOString();
const tomorrow = new Date((Math.floor(NOW / DAY) + 1) * DAY).toISOString();

test('a document dated tomorrow does not move the forecast: it is for today, read from the days before', () => {
  const o = overview([...Array.from({ length: 7 }, (_, i) => news(i, NOW - i * DAY)), news(99, NOW + 20 * 3_600_000)]);
  for (const t of o.types) {
    assert.equal(t.next.start, today, t.type);
    assert.notEqual(t.next.start, tomorrow, t.type);
  }
  // the current day is drawn as partial (so far), every earlier one is whole
  const pts = o.types[0]!.points;
  assert.equal(pts.at(-1)!.start, today);
  assert.equal(pts.at(-1)!.partial, true);
  assert.ok(pts.slice(0, -1).every((p) => p.partial === undefined));
});

test('the hours of the current period so far do not move its forecast: a week just begun is not read as a quiet week', () => {
  const before = Array.from({ length: 60 }, (_, i) => news(i, NOW - (1 + Math.floor(i / 3)) * DAY));
  const monday = Date.UTC(2023, 9, 30); // a Monday: the current week is a few hours old
  const at = (docs: NewDoc[], now: number) => {
    const store = new DocStore(':memory:');
    try {
      store.insertMany(docs);
      return new TrendsService({ store, models: { attackType: null, trend: new Map() }, history, calendar, now: () => now }).overview('week', 30);
    } finally {
      store.close();
    }
  };
  const shift = monday + 3 * 3_600_000 - NOW;
  const moved = (docs: NewDoc[]) => docs.map((d) => ({ ...d, time: d.time + shift, fetchedAt: d.fetchedAt + shift }));
  const quiet = at(moved(before), monday + 3 * 3_600_000);
  const busy = at(moved([...before, ...Array.from({ length: 5 }, (_, i) => news(100 + i, NOW - 3_600_000))]), monday + 3 * 3_600_000);
  for (const t of quiet.types) {
    assert.equal(t.next.start, new Date(monday).toISOString(), t.type);
    const other = busy.types.find((b) => b.type === t.type)!;
    assert.equal(other.next.probability, t.next.probability, `${t.type}: this week's first reports moved this week's forecast`);
  }
});

test('with 8 collected documents in the window every figure says there is too little data, and the basis says the history did not enter it', () => {
  // the 28 whole days before today: today's document is not in the window the forecast reads
  const o = overview(Array.from({ length: 9 }, (_, i) => news(i, NOW - i * DAY)));
  assert.match(o.warning ?? '', /^too little data: the last 28 days this forecast reads fall in months with fewer than the 10 documents a month the model needs \(\d{4}-\d{2}: \d+/);
  for (const t of o.types) assert.equal(t.next.warning, o.warning, t.type);
  assert.equal(o.basis.window.collected, 8);
  assert.equal(o.basis.window.history, 0);
  assert.equal(
    trendsBasisText(o.basis, o.period),
    `forecast from 8 stored news documents of the last 28 days (from ${new Date((Math.floor(NOW / DAY) - 28) * DAY).toISOString().slice(0, 10)}); the ${history.length.toLocaleString('en-US')} dated incident reports (trends.datasets) are older and do not enter it`,
  );
});

test('enough documents in every month of the window: no warning; demo documents are counted as demo', () => {
  const docs = Array.from({ length: 90 }, (_, i) => news(i, NOW - Math.floor(i / 2) * DAY, i % 3 === 0 ? DEMO_SOURCE : 'news'));
  const o = overview(docs);
  assert.equal(o.warning, null);
  assert.ok(o.types.every((t) => t.next.warning === null));
  assert.equal(o.basis.window.demo + o.basis.window.collected, docs.filter((d) => d.time > NOW - 28 * DAY).length);
  assert.ok(o.basis.window.demo > 0);
  assert.match(trendsBasisText(o.basis, 'day'), /^forecast from \d+ stored news documents and \d+ demo documents of the last 28 days/);
});

test('the weekly and the daily view each carry their model card caveat', () => {
  const docs = Array.from({ length: 90 }, (_, i) => news(i, NOW - Math.floor(i / 2) * DAY));
  assert.equal(overview(docs, 'week').caveat, WEEKLY_CAVEAT);
  // the daily figures read as chances with nothing beside them; the model card says to rank by them
  assert.equal(overview(docs, 'day').caveat, DAILY_CAVEAT);
  assert.match(DAILY_CAVEAT, /on 305 test days .* 5 of 6 attack types, none significantly \(ROC-AUC 0\.53 to 0\.63\), and for 5 of them no test day reached probability 0\.5/);
  assert.match(WEEKLY_CAVEAT, /not better than naive baselines: on 38 test weeks .* 1 of 6 .* 5, e\.g\. ransomware ROC-AUC 0\.495 against 0\.805/);
});

test('a calendar driver names its dates; one- and two-letter terms and foreign function words are never drivers', () => {
  const s = buildSeries(history, 'day', ATTACK_TYPES, MIN_DOCS_PER_MONTH);
  const m = TrendModel.train(s, [...ATTACK_TYPES], calendar, 0, s.length, { textWeight: 1 });
  const cal = calendarFor(s, calendar);
  let named = 0;
  for (let i = 40; i < s.length - 1; i++) {
    for (const p of m.predictAfter(s, i, cal, true)) {
      for (const d of p.drivers) {
        if (d.name.startsWith('calendar_')) {
          assert.match(d.detail ?? '', /^\d{4}-\d{2}-\d{2} election \d+/, d.name);
          named++;
        }
        if (d.name.startsWith('term:')) assert.ok(shownTerm(d.name.slice(5)), d.name);
      }
    }
  }
  assert.ok(named > 0, 'some prediction had a calendar driver');
  for (const t of ['la', 'de', 'x', 'les', 'der', 'und', 'des']) assert.equal(shownTerm(t), false, t);
  for (const t of ['ransomware', 'ddos', 'sql']) assert.equal(shownTerm(t), true, t);
});

test('data shorter than the window: the warning says how much there is, and the basis names the weeks there are', async () => {
  const { loadModels } = await import('./models.js');
  const { FIXTURES } = await import('./testing.js');
  const { join } = await import('node:path');
  const models = loadModels(join(FIXTURES, '..', '..', '..', 'models', 'trends'));
  const now = Date.UTC(2026, 11, 2, 12);
  const first = Date.UTC(2026, 10, 2); // a Monday
  const docs: NewDoc[] = [];
  for (let t = first, i = 0; t < now; t += DAY / 3, i++) docs.push(news(i, t));
  const store = new DocStore(':memory:');
  try {
    store.insertMany(docs);
    const o = new TrendsService({ store, models, history: [], calendar: [], now: () => now }).overview('week', 8);
    // the four whole weeks before the current one, which the forecast reads
    assert.equal(o.warning, 'too little data: the data cover 4 weeks (from 2026-11-02), fewer than the 8 weeks the model reads; the figures are not a forecast to rely on');
    assert.doesNotMatch(o.warning ?? '', /\(\)/);
    assert.equal(o.basis.window.periods, 4);
    assert.match(trendsBasisText(o.basis, 'week'), /^forecast from \d+ stored news documents of the last 4 weeks \(from 2026-11-02\)$/);
  } finally {
    store.close();
  }
});

test('a day in a month too sparse to count has no count, yet says how many documents of the type it holds, and documents lists them', () => {
  // 8 ransomware reports over the last 8 days: this month and last hold fewer than 10, so no day is counted
  const docs = Array.from({ length: 8 }, (_, i) => news(i, NOW - i * DAY));
  const store = new DocStore(':memory:');
  try {
    store.insertMany(docs);
    const svc = new TrendsService({ store, models: { attackType: null, trend: new Map() }, history, calendar, now: () => NOW });
    const ransomware = svc.overview('day', 30).types.find((t) => t.type === 'ransomware')!;
    const yesterday = ransomware.points.at(-2)!;
    assert.equal(yesterday.observed, null, 'a collection gap: not counted');
    assert.equal(yesterday.uncounted, 1);
    // the days with none of the type, and the other types, say nothing
    assert.ok(ransomware.points.slice(0, -8).every((p) => p.uncounted === undefined));
    const ddos = svc.overview('day', 30).types.find((t) => t.type === 'ddos')!;
    assert.ok(ddos.points.every((p) => p.uncounted === undefined));
    const listed = svc.documents('ransomware', 'day', Date.parse(yesterday.start), 0, 20);
    assert.equal(listed.total, yesterday.uncounted);
    assert.deepEqual(listed.documents.map((d) => d.title), ['story 1']);
  } finally {
    store.close();
  }
});

test("today's forecast says the type is already reported today (how many, and where they are listed), without hiding the forecast; a type with none today says nothing", () => {
  // three ransomware reports today, the days before with some each
  const docs = [...Array.from({ length: 60 }, (_, i) => news(i, NOW - (1 + Math.floor(i / 3)) * DAY)), ...[1, 2, 3].map((h) => news(100 + h, NOW - h * 3_600_000))];
  const store = new DocStore(':memory:');
  try {
    store.insertMany(docs);
    const svc = new TrendsService({ store, models: { attackType: null, trend: new Map() }, history, calendar, now: () => NOW });
    const o = svc.overview('day', 30);
    const ransomware = o.types.find((t) => t.type === 'ransomware')!;
    assert.equal(ransomware.next.start, today);
    assert.ok(ransomware.next.probability > 0 && ransomware.next.probability < 1, 'the forecast is still there');
    assert.deepEqual(ransomware.next.reported, { count: 3, documents: `/api/trends/documents?type=ransomware&period=day&start=${today.slice(0, 10)}` });
    // the same count as today's point, and the documents the link names are those three
    assert.equal(ransomware.points.at(-1)!.observed, 3);
    const listed = svc.documents('ransomware', 'day', Date.parse(today), 0, 20);
    assert.deepEqual(listed.documents.map((d) => d.title).sort(), ['story 101', 'story 102', 'story 103']);
    for (const t of o.types.filter((x) => x.type !== 'ransomware')) assert.equal(t.next.reported, null, t.type);
    // this week too: the week's reports so far (today's three and those of the days of this week before it)
    const week = svc.overview('week', 10).types.find((t) => t.type === 'ransomware')!;
    assert.equal(week.next.reported?.count, week.points.at(-1)!.observed);
    assert.match(week.next.reported?.documents ?? '', /^\/api\/trends\/documents\?type=ransomware&period=week&start=\d{4}-\d{2}-\d{2}$/);
  } finally {
    store.close();
  }
});

test('a driver whose contribution rounds to zero (+0.00, −0.00) is dropped by the service, raising and lowering alike: the API holds no −0.000 the page and predict then hide', async () => {
  const { loadModels } = await import('./models.js');
  const { FIXTURES } = await import('./testing.js');
  const { join } = await import('node:path');
  const models = loadModels(join(FIXTURES, '..', '..', '..', 'models', 'trends'));
  const docs = Array.from({ length: 90 }, (_, i) => news(i, NOW - Math.floor(i / 2) * DAY));
  const store = new DocStore(':memory:');
  try {
    store.insertMany(docs);
    const o = new TrendsService({ store, models, history, calendar, now: () => NOW }).overview('day', 30);
    const all = o.types.flatMap((t) => [...t.next.drivers, ...t.next.lowering]);
    assert.ok(all.length > 0);
    for (const d of all) assert.ok(Math.abs(d.weight) >= 0.005, `${d.name} ${d.weight}`);
    // the model itself gives such drivers here: the service is what drops them
    const s = buildSeries([...history, ...docs.map((d) => ({ time: Math.min(d.time, NOW), types: ['ransomware'], tokens: [] }))], 'day', ATTACK_TYPES, MIN_DOCS_PER_MONTH, NOW);
    const raw = models.trend.get('day')!.predictAfter(s, s.length - 2, calendarFor(s, calendar), true);
    assert.ok(raw.some((p) => [...p.drivers, ...p.lowering].some((d) => Math.abs(d.weight) < 0.005)), 'no driver under 0.005 to drop: the test proves nothing');
  } finally {
    store.close();
  }
});

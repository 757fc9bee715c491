/** `GET /api/trends` through the app: authentication, validation, the shape of a real prediction, 404 without data, absent without the dep. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';
import { DocStore, TrendsService } from '../../trends/index.js';
import { syntheticElections, syntheticHistory } from '../../trends/testing.js';
import type { TrendsDocumentsResponse, TrendsResponse } from '../api-trends.js';

const DAYS = 150;
const { days, calendar } = syntheticElections(DAYS);

test('GET /api/trends: per type points and the next prediction with drivers, dates and documents', async () => {
  const store = new DocStore(':memory:');
  const svc = new TrendsService({ store, models: { attackType: null, trend: new Map() }, history: syntheticHistory(DAYS, days), calendar, now: () => Date.UTC(2023, 5, 1) });
  const app = await buildApp(fakeDeps({ trends: svc }));
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/api/trends' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/api/trends?period=month', headers: AUTH })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/api/trends?limt=3', headers: AUTH })).statusCode, 400);
    const res = await app.inject({ method: 'GET', url: '/api/trends?period=day&limit=30', headers: AUTH });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<TrendsResponse>();
    assert.equal(body.period, 'day');
    assert.deepEqual(body.types.map((t) => t.type), ['ddos', 'account_takeover', 'targeted', 'web_attack', 'ransomware', 'malware']);
    const ddos = body.types[0]!;
    assert.equal(ddos.label, 'DDoS');
    assert.equal(ddos.points.length, 30);
    assert.ok(ddos.points.some((p) => p.probability !== null && p.observed !== null));
    assert.ok(ddos.next.probability >= 0 && ddos.next.probability <= 1);
    assert.ok(Array.isArray(ddos.next.drivers) && Array.isArray(ddos.next.calendar));
    // what lowered a probability is there too: negative contributions, strongest first
    const lowering = body.types.flatMap((t) => t.next.lowering);
    assert.ok(lowering.length > 0, 'some prediction was lowered by something');
    for (const t of body.types) {
      const w = t.next.lowering.map((d) => d.weight);
      assert.ok(w.every((x) => x < 0), `${t.type}: ${JSON.stringify(w)}`);
      assert.deepEqual(w, [...w].sort((a, b) => a - b), t.type);
      assert.ok(t.next.drivers.every((d) => d.weight > 0), t.type);
    }
    assert.ok(body.types.find((t) => t.type === 'malware')!.next.documents.length > 0, 'the documents behind a prediction are listed');
    assert.deepEqual(body.basis, { historyDocs: syntheticHistory(DAYS, days).length, collectedDocs: 0, window: { from: '2023-05-04T00:00:00.000Z', periods: 28, history: 58, collected: 0, demo: 0 } });
    // the forecast is for today, read from the 28 whole days before it
    assert.equal(ddos.next.start, '2023-06-01T00:00:00.000Z');
    // the schema lets through what the service says beside the figures
    assert.match(body.caveat ?? '', /^Daily forecasts rank the attack types, no more/);
    assert.equal(body.warning, null);
    assert.ok(body.types.every((t) => t.next.warning === null));
    assert.equal(ddos.points.at(-1)!.partial, true, 'today is not over');
    const week = (await app.inject({ method: 'GET', url: '/api/trends?period=week&limit=10', headers: AUTH })).json<TrendsResponse>();
    assert.match(week.caveat ?? '', /^Weekly forecasts are not better than naive baselines/);
  } finally {
    await app.close();
    store.close();
  }
});

test('GET /api/trends without any documents is a 404 with a code; without the dep the route does not exist', async () => {
  const empty = new TrendsService({ store: null, models: { attackType: null, trend: new Map() }, history: [], calendar: [] });
  const app = await buildApp(fakeDeps({ trends: empty }));
  const res = await app.inject({ method: 'GET', url: '/api/trends', headers: AUTH });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'TRENDS_NO_DATA');
  await app.close();
  const none = await buildApp(fakeDeps());
  assert.equal((await none.inject({ method: 'GET', url: '/api/trends', headers: AUTH })).statusCode, 404);
  await none.close();
});

test('GET /api/trends says how many collected documents of the window were left unread and why (the schema lets it through)', async () => {
  const now = Date.UTC(2023, 5, 1, 12);
  const store = new DocStore(':memory:');
  // yesterday's: the forecast reads the whole days before today
  const doc = (i: number, title: string, lang: string) => ({ source: 'news', url: `https://n.example/${i}`, title, text: '', time: now - 86_400_000 - i * 3_600_000, fetchedAt: now, lang, types: { ddos: 0.84, targeted: 0.96 }, keywords: [], simhash: { hi: i, lo: i * 7919 } });
  // an English one the classifier was sure of: as sure as a labelled report, and the newest, so it leads its type's list
  const sure = { ...doc(4, 'Hacktivists claim denial of service on a bank', 'en'), time: now - 86_400_000 - 1_800_000, types: { ddos: 1 } };
  store.insertMany([doc(1, 'Ransomware-Angriff auf die Stadtwerke', 'de'), doc(2, '勒索软件攻击医院', 'zh'), doc(3, '勒索软件攻击学校', 'zh'), sure]);
  const svc = new TrendsService({ store, models: { attackType: null, trend: new Map() }, history: syntheticHistory(DAYS, days), calendar, now: () => now });
  const app = await buildApp(fakeDeps({ trends: svc }));
  try {
    const body = (await app.inject({ method: 'GET', url: '/api/trends?period=day&limit=5', headers: AUTH })).json<TrendsResponse & { basis: { unread?: unknown } }>();
    assert.deepEqual(body.basis.unread, { documents: 3, language: { de: 1, zh: 2 }, fewKnownWords: 0 });
    assert.match(JSON.stringify(body.types.find((t) => t.type === 'targeted')!.next.documents), /^\[(?!.*doc:)/, 'an unread document is behind no type');
    const ddos = body.types.find((t) => t.type === 'ddos')!.next.documents;
    assert.deepEqual(ddos[0], { id: 'doc:4', title: sure.title, url: sure.url, time: new Date(sure.time).toISOString(), certainty: 1 }, 'a collected document says how sure the classifier was');
    assert.ok(ddos.slice(1).every((d) => d.certainty === undefined), 'a labelled report says nothing');
  } finally {
    await app.close();
    store.close();
  }
});

test('GET /api/trends keeps a driver\'s `below`, the drivers that lowered the probability, `reported` and a source\'s `failing` and `lastErrorAt` (the schema lets them through): the page says "reported rarely" and "recovered" by them', async () => {
  const lowering = [{ name: 'own:ma_long', weight: -0.21, below: true as const }, { name: 'term:patch', weight: -0.04 }];
  const next = { start: '2026-12-07T00:00:00.000Z', probability: 0.1, drivers: [{ name: 'own:ma_short', weight: 0.06, below: true as const }, { name: 'next_weekday:1', weight: 0.37 }], lowering, calendar: [], documents: [], warning: null, reported: { count: 2, documents: '/api/trends/documents?type=ddos&period=day&start=2026-12-07' } };
  const recovered = { name: 'flaky', fetches: 3, notModified: 0, items: 9, stored: 9, duplicates: 0, errors: { FEED_TIMEOUT: 1 }, lastError: 'fetch: https://x.test/feed timed out', lastErrorAt: Date.UTC(2026, 11, 5, 22), failing: false, charsetMismatches: 0, futureDated: 0, undated: 0, lastFetchAt: Date.UTC(2026, 11, 5, 23) };
  const reply = { period: 'day' as const, generatedAt: '2026-12-06T00:00:00.000Z', basis: { historyDocs: 0, collectedDocs: 1, window: { from: '2026-11-09T00:00:00.000Z', periods: 28, history: 0, collected: 1, demo: 0 } }, caveat: null, warning: null, sources: [recovered], types: [{ type: 'ddos', label: 'DDoS', points: [], next }] };
  const app = await buildApp(fakeDeps({ trends: { overview: () => reply, documents: () => assert.fail('not asked') } }));
  try {
    const body = (await app.inject({ method: 'GET', url: '/api/trends', headers: AUTH })).json<TrendsResponse>();
    assert.deepEqual(body.types[0]!.next.drivers, next.drivers);
    assert.deepEqual(body.types[0]!.next.lowering, lowering);
    // the type already reported in the day forecast: the schema lets the count and the documents' path through
    assert.deepEqual(body.types[0]!.next.reported, next.reported);
    // a source that fetched fine after a timeout: recovered, its last failure kept (a response schema drops what it does not name)
    assert.deepEqual(body.sources, [recovered]);
  } finally {
    await app.close();
  }
});

test('GET /api/trends/documents: the documents behind a count, newest first, paged and capped; the same number the overview counts', async () => {
  const now = Date.UTC(2023, 5, 1, 12);
  const store = new DocStore(':memory:');
  const day = Date.UTC(2023, 4, 30);
  // three reports of DDoS on one day from a feed, one of them with a javascript: link; one Japanese-free, ransomware-only one
  const doc = (i: number, title: string, url: string, types: Record<string, number>) => ({ source: 'news', url, title, text: '', time: day + i * 3_600_000, fetchedAt: now, lang: 'en', types, keywords: [], simhash: { hi: i, lo: i * 7919 } });
  store.insertMany([
    doc(1, 'Hacktivists claim denial of service on a bank', 'https://n.example/1', { ddos: 0.9 }),
    doc(2, '<b>Botnet</b> floods a game studio', 'javascript:alert(1)', { ddos: 0.7 }),
    doc(3, 'DDoS attack knocks a ministry offline', 'https://n.example/3', { ddos: 0.99 }),
    doc(4, 'Ransomware hits a hospital', 'https://n.example/4', { ransomware: 0.95 }),
  ]);
  const svc = new TrendsService({ store, models: { attackType: null, trend: new Map() }, history: syntheticHistory(DAYS, days), calendar, now: () => now });
  const app = await buildApp(fakeDeps({ trends: svc }));
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/api/trends/documents?type=ddos&start=2023-05-30' })).statusCode, 401);
    const get = (q: string) => app.inject({ method: 'GET', url: `/api/trends/documents?${q}`, headers: AUTH });
    const res = await get('type=ddos&start=2023-05-30');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<TrendsDocumentsResponse>();
    const overview = svc.overview('day', 5);
    const counted = overview.types.find((t) => t.type === 'ddos')!.points.find((p) => p.start === '2023-05-30T00:00:00.000Z')!;
    assert.equal(body.total, counted.observed, 'as many as the day counts');
    assert.equal(body.start, '2023-05-30T00:00:00.000Z');
    const collected = body.documents.filter((d) => d.id.startsWith('doc:'));
    // newest first; a javascript: link is no link; the title is the feed's text, markup and all, for the page to show as text
    assert.deepEqual(
      collected.map((d) => [d.title, d.url, d.source, d.certainty]),
      [
        ['DDoS attack knocks a ministry offline', 'https://n.example/3', 'news', 0.99],
        ['<b>Botnet</b> floods a game studio', null, 'news', 0.7],
        ['Hacktivists claim denial of service on a bank', 'https://n.example/1', 'news', 0.9],
      ],
    );
    assert.ok(body.documents.every((d) => d.id.startsWith('doc:') || (d.source === 'hackmageddon' && d.certainty === undefined)), JSON.stringify(body.documents));
    const times = body.documents.map((d) => d.time);
    assert.deepEqual(times, [...times].sort().reverse());
    // any time in the period names it; a week holds its days
    assert.deepEqual((await get('type=ddos&start=2023-05-30T17:00:00.000Z')).json<TrendsDocumentsResponse>().documents, body.documents);
    const week = (await get('type=ddos&period=week&start=2023-05-30')).json<TrendsDocumentsResponse>();
    assert.equal(week.start, '2023-05-29T00:00:00.000Z');
    assert.ok(week.total >= body.total);
    // paged: the second document alone, and the total still said
    const page = (await get('type=ddos&start=2023-05-30&offset=1&limit=1')).json<TrendsDocumentsResponse>();
    assert.deepEqual(page.documents, body.documents.slice(1, 2));
    assert.equal(page.total, body.total);
    assert.equal(page.offset, 1);
    // capped, and a start that is not a date is refused with the parameter named
    assert.equal((await get('type=ddos&start=2023-05-30&limit=101')).statusCode, 400);
    const bad = await get('type=ddos&start=2023-13-45');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { code: string; details: { param: string } } }>().error.details.param, 'start');
    assert.equal((await get('type=ddos')).statusCode, 400, 'start is required');
    assert.equal((await get('type=ransomware&start=2023-05-30')).json<TrendsDocumentsResponse>().documents.filter((d) => d.id.startsWith('doc:')).length, 1);
  } finally {
    await app.close();
    store.close();
  }
});

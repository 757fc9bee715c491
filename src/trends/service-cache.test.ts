/** The service's caches: documents read and tokenized once (text cut to TREND_TEXT_CHARS), models trained on the fly kept, retrained on growth, failures remembered. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../core/index.js';
import { DocStore, type NewDoc } from './docstore.js';
import { simhash } from './dedupe.js';
import { collectedDoc, TREND_TEXT_CHARS } from './history.js';
import { CollectedDocCache, OnTheFlyModels, RETRY_FAILED_MS, vocabularyOf } from './service-cache.js';
import type { Series } from './predict/periods.js';
import type { TrendModel } from './predict/trend-model.js';
import { TrendsService } from './service.js';

const DAY = 86_400_000;
const doc = (i: number, text: string, lang = 'en'): NewDoc => ({ source: 's', url: `https://e.example/${i}`, title: `t${i}`, text, time: i * DAY, fetchedAt: 0, lang, types: {}, keywords: [], simhash: simhash(`d${i}`) });

test('a collected document is read for trends as its title and its first TREND_TEXT_CHARS characters', () => {
  const text = `${'word '.repeat(TREND_TEXT_CHARS / 5)}ransomware`;
  const d = collectedDoc({ id: 1, title: 'botnet', text, url: null, time: 0, lang: 'en', types: { ddos: 0.7, malware: 0.2 } });
  assert.deepEqual(new Set(d.tokens), new Set(['botnet', 'word']));
  assert.deepEqual(d.types, ['ddos']);
  assert.equal(collectedDoc({ id: 2, title: '', text: 'x'.repeat(300), url: null, time: 0, lang: 'en', types: {} }).ref!.title.length, 120);
});

test('the cache reads each document once, its text cut in SQL, holds at most 1.25 × max, and keeps only vocabulary words', () => {
  const store = new DocStore(':memory:');
  try {
    store.insertMany(Array.from({ length: 30 }, (_, i) => doc(i, `ransomware gang hits hospital ${'filler '.repeat(i * 100)}`)));
    const asked: number[] = [];
    const heads = store.heads.bind(store);
    store.heads = (ids, chars) => {
      asked.push(...ids);
      const rows = heads(ids, chars);
      for (const r of rows) assert.ok(r.text.length <= TREND_TEXT_CHARS);
      return rows;
    };
    const cache = new CollectedDocCache(store, 8, vocabularyOf([{ vectorizer: { terms: ['hospital', 'gang'] } } as unknown as TrendModel]));
    const newest = cache.list(0, 100 * DAY);
    assert.deepEqual(newest.map((d) => d.ref!.id), Array.from({ length: 8 }, (_, i) => `doc:${30 - i}`));
    assert.deepEqual(newest[0]!.tokens, ['gang', 'hospital']);
    assert.deepEqual([...newest[0]!.termTypes!], ['ransomware'], 'lexicon types come from the whole text, before the cut to the vocabulary');
    assert.equal(asked.length, 8);
    cache.list(0, 100 * DAY);
    assert.equal(asked.length, 8, 'nothing read again');
    store.insertMany([doc(40, 'new ransomware report')]);
    cache.list(0, 100 * DAY);
    assert.deepEqual(asked.slice(8), [31], 'only the new document is read');
    for (let to = 30; to > 0; to -= 3) cache.list(0, to * DAY);
    assert.ok(cache.size <= 10, `${cache.size} kept`);
  } finally {
    store.close();
  }
});

test('a Japanese document tokenized before the dictionary loaded is not kept: it is tokenized again later', async () => {
  const store = new DocStore(':memory:');
  try {
    store.insertMany([doc(1, '病院にランサムウェア攻撃', 'ja'), doc(2, 'english text')]);
    const cache = new CollectedDocCache(store, 10);
    await cache.fill(0, 10 * DAY);
    assert.equal(cache.size, 1);
    assert.equal(cache.list(0, 10 * DAY).length, 2);
    assert.equal(cache.size, 1);
  } finally {
    store.close();
  }
});

const series = (first: number, length: number): Series => ({ period: 'day', first, length }) as Series;

test('a model trained on the fly is kept until the series reaches 10% further; a failed training is remembered for RETRY_FAILED_MS or until a new period', () => {
  const models = new OnTheFlyModels();
  let calls = 0;
  let fail = true;
  const train = (): TrendModel => {
    calls++;
    if (fail) throw new AppError('TRENDS_TOO_LITTLE_DATA', 'bad_request', 'too little');
    return { n: calls } as unknown as TrendModel;
  };
  const code = (e: unknown): boolean => (e as AppError).code === 'TRENDS_TOO_LITTLE_DATA';
  assert.throws(() => models.get(series(0, 20), 0, train), code);
  assert.throws(() => models.get(series(0, 20), RETRY_FAILED_MS - 1, train), code);
  assert.equal(calls, 1, 'the failure is answered from memory');
  assert.throws(() => models.get(series(0, 20), RETRY_FAILED_MS, train), code);
  assert.equal(calls, 2, 'retried after RETRY_FAILED_MS');
  fail = false;
  const m = models.get(series(0, 21), RETRY_FAILED_MS + 1, train);
  assert.equal(calls, 3, 'retried at once when the series gains a period');
  for (let len = 21; len < 24; len++) assert.equal(models.get(series(0, len), 0, train), m);
  assert.equal(models.get(series(2, 21), 0, train), m, 'a series sliding forward by less than 10% keeps the model');
  assert.equal(calls, 3);
  const m2 = models.get(series(0, 24), 0, train);
  assert.notEqual(m2, m, 'retrained 3 periods (10% of 21, rounded up) later');
  fail = true;
  assert.equal(models.get(series(0, 200), 0, train), m2, 'a failed retraining keeps the model trained before');
  assert.equal(models.get(series(0, 200), 1, train), m2);
  assert.equal(calls, 5);
});

test('warming the service ahead of requests fills the cache, and ends quietly when the store closes under it', async () => {
  const store = new DocStore(':memory:');
  store.insertMany(Array.from({ length: 600 }, (_, i) => doc(i, `ransomware report ${i}`)));
  const svc = new TrendsService({ store, models: { attackType: null, trend: new Map() }, history: [], calendar: [], now: () => 2000 * DAY });
  const cache = (svc as unknown as { collected: CollectedDocCache }).collected;
  await svc.warm();
  assert.equal(cache.size, 600);
  store.insertMany(Array.from({ length: 600 }, (_, i) => doc(1000 + i, `phishing report ${i}`)));
  const warming = svc.warm();
  store.close();
  await warming;
  assert.equal(cache.size, 600, 'the listing was taken; the texts were not read from a closed store');
});

// `asOf` on /api/search, /api/count, /api/histogram, /api/facets and the export: a line stamped inside
// the range but stored after the moment is in no answer carrying it, and in every answer without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, ShardSet, type StoredLine } from '../../store/index.js';
import { Searcher } from '../../search/index.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';

const T0 = Date.UTC(2026, 11, 7, 11, 7, 0);
const line = (time: number, i: number): StoredLine => {
  const raw = `<38>Dec  7 11:07:${String(Math.floor((time - T0) / 1000) % 60).padStart(2, '0')} web-${i % 2} sshd[1]: beat ${i}`;
  return { time, receivedAt: time, source: 't', raw, text: raw };
};

test('asOf: every search route leaves out the lines stored after it, and says what is wrong with a bad one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-as-of-api-'));
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 60_000, maxOpenShards: 4, optimizeOnSeal: false });
  const append = (lines: StoredLine[]): void => catalog.apply(set.append(lines, T0 + 59_000));
  const app = await buildApp(fakeDeps({ searcher, histogram: searcher }));
  const get = async (url: string) => app.inject({ method: 'GET', url, headers: AUTH });
  try {
    for (let b = 0; b < 5; b++) append(Array.from({ length: 30 }, (_, i) => line(T0 + 500 + (b * 30 + i) * 300, b * 30 + i)));
    await new Promise((r) => setTimeout(r, 3));
    const asOf = Date.now();
    await new Promise((r) => setTimeout(r, 3));
    // stored after the pin, stamped inside the range: a BSD line cut to the second, before the newest
    append([line(T0 + 1_000, 999)]);
    const range = `q=sshd&from=${T0}&to=${T0 + 60_000}`;

    const counted = async (extra: string) => {
      const page = (await get(`/api/search?${range}&limit=1000&count=1${extra}`)).json();
      const count = (await get(`/api/count?${range}${extra}`)).json();
      const hist = (await get(`/api/histogram?${range}${extra}`)).json();
      const facets = (await get(`/api/facets?${range}&field=host${extra}`)).json();
      const exported = (await get(`/api/search?${range}&format=lines${extra}`)).body.split('\n').filter((l) => l !== '');
      return [page.hits.length, page.count, count.count, hist.total, facets.sampled.total, facets.values.reduce((a: number, v: { count: number }) => a + v.count, 0), exported.length];
    };
    assert.deepEqual(await counted(`&asOf=${asOf}`), [150, 150, 150, 150, 150, 150, 150], 'page, its count, count, histogram, facets, their sum, export');
    assert.deepEqual(await counted(''), [151, 151, 151, 151, 151, 151, 151], 'without asOf: the line stored since');
    assert.deepEqual(await counted(`&asOf=${Date.now()}`), [151, 151, 151, 151, 151, 151, 151], 'a later moment');
    // a later page of a pinned search stays pinned
    const first = (await get(`/api/search?${range}&limit=100&asOf=${asOf}`)).json();
    append([line(T0 + 2_000, 1000)]);
    const second = (await get(`/api/search?${range}&limit=100&asOf=${asOf}&cursor=${encodeURIComponent(first.cursor)}`)).json();
    assert.equal(first.hits.length + second.hits.length, 150);
    assert.equal(second.cursor, null);

    for (const bad of ['abc', '-5', '1.5', '1e999']) {
      const res = await get(`/api/count?${range}&asOf=${bad}`);
      assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
      assert.equal(res.json().error.code, 'HTTP_BAD_REQUEST');
      assert.equal(res.json().error.details.param, 'asOf');
      assert.match(res.json().error.message, /^request: query parameter asOf must be/);
    }
    // before the server started: which lines were stored then is not known
    for (const path of ['/api/search', '/api/count', '/api/histogram', '/api/facets']) {
      const res = await get(`${path}?${range}${path === '/api/facets' ? '&field=host' : ''}&asOf=${asOf - 86_400_000}`);
      assert.equal(res.statusCode, 409, `${path}: ${res.body}`);
      assert.equal(res.json().error.code, 'SEARCH_AS_OF_TOO_OLD');
      assert.match(res.json().error.message, /is too old: this server started at .*; run the search again/);
    }
  } finally {
    await app.close();
    set.closeAll(T0 + 3600_000);
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('asOf after a restart: the next page and every count of a search pinned before it are refused, saying so; a new pin answers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-as-of-restart-'));
  const range = `q=sshd&from=${T0}&to=${T0 + 60_000}`;
  // the first process: 150 lines, a pinned first page
  const first = new Catalog(dir, 60_000);
  const set = new ShardSet({ dir: first.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 60_000, maxOpenShards: 4, optimizeOnSeal: false });
  first.apply(set.append(Array.from({ length: 150 }, (_, i) => line(T0 + 500 + i * 300, i)), T0 + 59_000));
  first.apply(set.closeAll(T0 + 3600_000));
  const firstSearcher = new Searcher(first, 2);
  const firstApp = await buildApp(fakeDeps({ searcher: firstSearcher, histogram: firstSearcher }));
  await new Promise((r) => setTimeout(r, 3));
  const asOf = Date.now();
  const page = (await firstApp.inject({ method: 'GET', url: `/api/search?${range}&limit=100&asOf=${asOf}`, headers: AUTH })).json();
  assert.equal(page.hits.length, 100);
  await firstApp.close();
  await firstSearcher.close();
  first.close();
  await new Promise((r) => setTimeout(r, 3));
  // the second process, on the same data folder
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const app = await buildApp(fakeDeps({ searcher, histogram: searcher }));
  const get = async (url: string) => app.inject({ method: 'GET', url, headers: AUTH });
  try {
    const asks = [`/api/search?${range}&limit=100&asOf=${asOf}&cursor=${encodeURIComponent(page.cursor)}`, `/api/count?${range}&asOf=${asOf}`, `/api/histogram?${range}&asOf=${asOf}`, `/api/facets?${range}&field=host&asOf=${asOf}`, `/api/search?${range}&format=lines&asOf=${asOf}`];
    for (const url of asks) {
      const res = await get(url);
      assert.equal(res.statusCode, 409, `${url}: ${res.body}`);
      const { error } = res.json();
      assert.equal(error.code, 'SEARCH_AS_OF_TOO_OLD');
      assert.equal(error.kind, 'conflict');
      // what the page words its notice from: why, and since when the server knows
      assert.equal(error.details.reason, 'restarted');
      assert.equal(error.details.asOf, asOf);
      assert.ok(error.details.known > asOf);
      assert.match(error.message, /is too old: this server started at .*; run the search again \(a later asOf, or none\)$/);
    }
    // running it again (a new pin) reads every line the first process stored
    const again = (await get(`/api/count?${range}&asOf=${Date.now()}`)).json();
    assert.equal(again.count, 150);
  } finally {
    await app.close();
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

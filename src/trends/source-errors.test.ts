/** The Trends page says which sources fail: the last error's message as text in the table, failing sources above the cards, and why there is no document yet. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failingSourcesText, noDocumentsWhy, sourceErrorText } from './source-errors.js';
import { FIXTURES } from './testing.js';

test('a failing source shows its codes and the message; one without errors shows neither', () => {
  const e = sourceErrorText({ errors: { FEED_HTTP_STATUS: 3 }, lastError: 'fetch: https://x.test/feed answered 404; check the source url', failing: true });
  assert.deepEqual(e, { codes: 'FEED_HTTP_STATUS×3', message: 'fetch: https://x.test/feed answered 404; check the source url', recovered: false });
  assert.deepEqual(sourceErrorText({ errors: {}, lastError: 'an old message' }), { codes: '', message: '', recovered: false });
  // a reply from a server before `failing`: any error counts, as it did
  assert.equal(sourceErrorText({ errors: { FEED_TIMEOUT: 1 }, lastError: 'timed out' }).recovered, false);
  // the page renders the message in the cell, not only as the row's title
  const page = readFileSync(join(FIXTURES, '..', '..', '..', 'web', 'src', 'pages', 'trends', 'TrendsPage.tsx'), 'utf8');
  assert.match(page, /sourceErrorText\(s\)/);
  assert.match(page, /<div className=\{e\.recovered \? 'source-recovered muted' : 'source-error'\}>\{e\.message\}<\/div>/);
  assert.doesNotMatch(page, /title=\{s\.lastError/);
});

const stats = (name: string, fetches: number, errors: Record<string, number> = {}, failing = Object.keys(errors).length > 0) => ({
  name,
  fetches,
  notModified: 0,
  items: 0,
  stored: 0,
  duplicates: 0,
  errors,
  lastError: Object.keys(errors).length > 0 ? `fetch: ${name} failed` : null,
  lastErrorAt: Object.keys(errors).length > 0 ? Date.UTC(2026, 11, 1, 23, 5) : null,
  failing,
  charsetMismatches: 0,
  futureDated: 0,
  undated: 0,
  lastFetchAt: fetches > 0 ? 1 : null,
});

test('a source that fetched fine after failing reads as recovered: not counted as failing, its last failure kept as history', () => {
  const recovered = stats('flaky', 4, { FEED_TIMEOUT: 2 }, false);
  // it said "1 of the 2 collection sources failed to fetch since nml started (flaky)" until nml restarted
  assert.equal(failingSourcesText([recovered, stats('a', 3)]), null);
  assert.equal(failingSourcesText([recovered, stats('dead', 0, { FEED_NETWORK: 1 })]), '1 of the 2 collection sources failed its last fetch (dead, never answered)');
  assert.deepEqual(sourceErrorText(recovered), {
    codes: 'FEED_TIMEOUT×2',
    message: 'recovered: fetched since its last failure at 2026-12-01 23:05 UTC (fetch: flaky failed)',
    recovered: true,
  });
  assert.equal(noDocumentsWhy([recovered]), 'the collector has stored none from its 1 source so far; wait for its next cycle, or set trends.datasets for the incident timeline');
});

test('failing sources are said above the cards by name, with how many never answered; none failing says nothing', () => {
  assert.equal(failingSourcesText([stats('a', 3)]), null);
  assert.equal(failingSourcesText([stats('a', 3), stats('dead', 0, { FEED_NETWORK: 2 })]), '1 of the 2 collection sources failed its last fetch (dead, never answered)');
  assert.equal(
    failingSourcesText(['a', 'b', 'c', 'd', 'e'].map((n, i) => stats(n, i % 2, { FEED_TIMEOUT: 1 }))),
    '5 of the 5 collection sources failed their last fetch (a, b, c and 2 more, 3 never answered)',
  );
});

test('no documents yet: the service says why by what the collector says and hands the page its sources; the page words it the same', async () => {
  const { TrendsService } = await import('./service.js');
  const { DocStore } = await import('./docstore.js');
  const { isAppError } = await import('../core/index.js');
  const store = new DocStore(':memory:');
  try {
    let sources = [stats('dead-feed', 0, { FEED_NETWORK: 1 }), stats('quiet', 0)];
    const svc = new TrendsService({ store, models: { attackType: null, trend: new Map() }, history: [], calendar: [], sourceStats: () => sources });
    const refused = (): { message: string; details: Record<string, unknown> | undefined } => {
      try {
        svc.overview('day', 10);
      } catch (e) {
        assert.ok(isAppError(e) && e.code === 'TRENDS_NO_DATA' && e.kind === 'not_found', String(e));
        return { message: e.message, details: e.details };
      }
      return assert.fail('an overview without documents');
    };
    // it said "configure trends sources" to a node whose sources are configured and fail
    assert.deepEqual(refused(), {
      message: 'trends: no documents yet: 1 of the 2 collection sources failed its last fetch (dead-feed, never answered); fix them in the sources file (trends.sources), or set trends.datasets for the incident timeline',
      details: { sources },
    });
    sources = [stats('quiet', 0)];
    assert.equal(refused().message, 'trends: no documents yet: the collector has stored none from its 1 source so far; wait for its next cycle, or set trends.datasets for the incident timeline');
    assert.equal(noDocumentsWhy([]), 'no collection sources are configured: set trends.sources to a sources file and let the collector run, or set trends.datasets for the incident timeline');
  } finally {
    store.close();
  }
});

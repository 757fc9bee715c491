/** The Trends page says which sources fail: the last error's message as text in the table, failing sources above the cards, and why there is no document yet. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failingSourcesText, noDocumentsWhy, sourceErrorText } from './source-errors.js';
import { FIXTURES } from './testing.js';

test('a failing source shows its codes and the message; one without errors shows neither', () => {
  const e = sourceErrorText({ FEED_HTTP_STATUS: 3 }, 'fetch: https://x.test/feed answered 404; check the source url');
  assert.deepEqual(e, { codes: 'FEED_HTTP_STATUS×3', message: 'fetch: https://x.test/feed answered 404; check the source url' });
  assert.deepEqual(sourceErrorText({}, 'an old message'), { codes: '', message: '' });
  // the page renders the message in the cell, not only as the row's title
  const page = readFileSync(join(FIXTURES, '..', '..', '..', 'web', 'src', 'pages', 'trends', 'TrendsPage.tsx'), 'utf8');
  assert.match(page, /sourceErrorText\(s\.errors, s\.lastError\)/);
  assert.match(page, /<div className="source-error">\{e\.message\}<\/div>/);
  assert.doesNotMatch(page, /title=\{s\.lastError/);
});

const stats = (name: string, fetches: number, errors: Record<string, number> = {}) => ({ name, fetches, notModified: 0, items: 0, stored: 0, duplicates: 0, errors, lastError: Object.keys(errors).length > 0 ? `fetch: ${name} failed` : null, charsetMismatches: 0, futureDated: 0, undated: 0, lastFetchAt: fetches > 0 ? 1 : null });

test('failing sources are said above the cards by name, with how many never answered; none failing says nothing', () => {
  assert.equal(failingSourcesText([stats('a', 3)]), null);
  assert.equal(failingSourcesText([stats('a', 3), stats('dead', 0, { FEED_NETWORK: 2 })]), '1 of the 2 collection sources failed to fetch since nml started (dead, never answered)');
  assert.equal(
    failingSourcesText(['a', 'b', 'c', 'd', 'e'].map((n, i) => stats(n, i % 2, { FEED_TIMEOUT: 1 }))),
    '5 of the 5 collection sources failed to fetch since nml started (a, b, c and 2 more, 3 never answered)',
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
      message: 'trends: no documents yet: 1 of the 2 collection sources failed to fetch since nml started (dead-feed, never answered); fix them in the sources file (trends.sources), or set trends.datasets for the incident timeline',
      details: { sources },
    });
    sources = [stats('quiet', 0)];
    assert.equal(refused().message, 'trends: no documents yet: the collector has stored none from its 1 source so far; wait for its next cycle, or set trends.datasets for the incident timeline');
    assert.equal(noDocumentsWhy([]), 'no collection sources are configured: set trends.sources to a sources file and let the collector run, or set trends.datasets for the incident timeline');
  } finally {
    store.close();
  }
});

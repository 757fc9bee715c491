/**
 * The search page after errors: a failed search leaves the facets "not counted", not "…" (loading)
 * for ever; a facet count that fails says so in its own list; a query or time error says in the results
 * area that it could not be read and where the error is shown, with no empty histogram or results box.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, shotOf, until } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const facets = () => ui.page.locator('aside[aria-label="Facets"]');
const results = () => ui.page.getByRole('region', { name: 'Results' });
const histogram = () => ui.page.getByRole('region', { name: 'Matches over time' });

test('after a failed search the facets say they were not counted, not "…"', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/search?q=${encodeURIComponent('host:"unterminated')}`);
  await page.locator('#qb-error').waitFor();
  await facets().getByText('not counted: the search failed').first().waitFor();
  assert.equal(await facets().getByText('not counted: the search failed').count(), 2);
  assert.equal(await facets().getByText('…', { exact: true }).count(), 0, 'nothing shown as loading');
  // the facets alone: the page shot was the same picture as search-syntax-error.png (same query, same page)
  await shotOf(facets(), 'search-failed-facets');
});

test('a query syntax error says in the results area that the query could not be read, with no empty boxes', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/search?q=${encodeURIComponent('host:"unterminated')}`);
  await page.locator('#qb-error').waitFor();
  await results().getByText('The query could not be read').waitFor();
  assert.match((await results().textContent()) ?? '', /marked in the query box above, at column 6/);
  assert.equal(await results().locator('table').count(), 0, 'no results table');
  assert.equal(await histogram().count(), 0, 'no empty histogram panel');
  await page.screenshot({ path: join(ARTIFACTS, 'search-syntax-error.png') });

  // the query fixed: the histogram panel and the results come back
  await page.getByLabel('Search query').fill('sshd');
  await page.getByLabel('Search query').press('Enter');
  await histogram().waitFor();
  await until(async () => (await results().getByText('The query could not be read').count()) === 0, 'the syntax-error text to go');
});

test('a time-range error says in the results area where it is shown', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/search?q=sshd&from=-1h&to=-2h`);
  await page.locator('.tp-error').waitFor();
  await results().getByText('The time range could not be read').waitFor();
  assert.match((await results().textContent()) ?? '', /under the time picker/);
  assert.equal(await histogram().count(), 0, 'no empty histogram panel');
});

test('any other failed search is said once, in the notice: no empty results box', { skip }, async () => {
  const page = ui.page;
  await page.route(
    (u) => u.pathname === '/api/search',
    (r) => r.fulfill({ status: 503, json: { error: { code: 'UNAVAILABLE', kind: 'unavailable', message: 'search: the store is busy; try again' } } }),
  );
  try {
    await page.goto(`${ui.srv.base}/search?q=sshd`);
    await page.locator('.notice.error').getByText('search: the store is busy; try again').waitFor();
    assert.equal(await results().count(), 0, 'no empty results box');
    assert.equal(await histogram().count(), 0, 'no empty histogram panel');
  } finally {
    await page.unrouteAll();
  }
});

test('a facet count that fails says so in its list; the other is shown', { skip }, async () => {
  const page = ui.page;
  await page.route(
    (u) => u.pathname === '/api/facets' && u.searchParams.get('field') === 'app',
    (r) => r.fulfill({ status: 503, json: { error: { code: 'UNAVAILABLE', kind: 'unavailable', message: 'facets: the store is busy; try again' } } }),
  );
  await page.goto(`${ui.srv.base}/search?q=sshd`);
  await facets().getByText('not counted: facets: the store is busy; try again').waitFor();
  assert.equal(await facets().getByText('…', { exact: true }).count(), 0);
  assert.doesNotMatch((await facets().locator('section.facet').first().textContent()) ?? '', /not counted/, 'the host count is not marked failed');
  await page.unrouteAll();
});

test('facets counted over the newest matches only show shares of them, not counts that read as totals', { skip }, async () => {
  const page = ui.page;
  await page.route(
    (u) => u.pathname === '/api/facets',
    (r) => r.fulfill({ json: { field: new URL(r.request().url()).searchParams.get('field'), values: [{ value: 'sshd', count: 2000 }, { value: 'cron', count: 3 }], sampled: { rows: 2000, total: 7002 }, tookMs: 1 } }),
  );
  try {
    await page.goto(`${ui.srv.base}/search?q=sshd`);
    const app = facets().locator('section.facet').nth(1);
    await app.getByText('share of the newest 2,000 of 7,002 matches').waitFor();
    assert.deepEqual(await app.locator('.facet-count').allTextContents(), ['100%', '<1%']);
    assert.equal(await app.getByRole('button', { name: 'Add app:sshd to the query (100% of the newest 2,000)' }).count(), 1);
  } finally {
    await page.unrouteAll();
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The search page's facets after errors: a failed search leaves them "not counted", not "…" (loading)
 * for ever; a facet count that fails says so in its own list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const facets = () => ui.page.locator('aside[aria-label="Facets"]');

test('after a failed search the facets say they were not counted, not "…"', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/search?q=${encodeURIComponent('host:"unterminated')}`);
  await page.locator('#qb-error').waitFor();
  await facets().getByText('not counted: the search failed').first().waitFor();
  assert.equal(await facets().getByText('not counted: the search failed').count(), 2);
  assert.equal(await facets().getByText('…', { exact: true }).count(), 0, 'nothing shown as loading');
  await page.screenshot({ path: join(ARTIFACTS, 'search-failed-facets.png') });
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

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

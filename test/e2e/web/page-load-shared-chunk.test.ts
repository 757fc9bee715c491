/**
 * A page whose own code arrives but a chunk it shares with other pages does not (QueryBox, imported by
 * Search and Investigate). The browser keeps that failure for the chunk's address for the rest of the
 * document, so importing the page again cannot succeed: the page area must say so and offer a reload,
 * not a Retry that fails for ever or a page that stops with a cryptic error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/alerts', (p) => p.getByRole('heading', { name: 'Findings' }).waitFor());

/** a chunk the Search page imports and shares with other pages */
const sharedChunk = (u: URL) => /\/assets\/QueryBox-[^/]*\.js$/.test(u.pathname);
const abort = (route: Route) => route.abort('connectionrefused');
const nav = () => ui.page.getByRole('navigation', { name: 'Pages' });
const failed = () => ui.page.locator('main').getByRole('alert');

test('a shared chunk that failed: the page says a reload is needed, and the reload brings the page back', { skip }, async () => {
  const page = ui.page;
  await page.route(sharedChunk, abort);
  await nav().getByRole('link', { name: 'Search' }).click();
  // the page's own chunk is served, so the failure is the browser's to keep: no Retry can help
  await failed().getByRole('button', { name: 'Reload' }).waitFor();
  const text = (await failed().textContent()) ?? '';
  assert.match(text, /could not be loaded/);
  assert.match(text, /until the app is reloaded/);
  assert.equal(await failed().getByRole('button', { name: 'Retry' }).count(), 0);
  assert.equal(await nav().isVisible(), true, 'the top bar is still there');
  await page.screenshot({ path: join(ARTIFACTS, 'page-load-shared-chunk.png') });
  await page.unroute(sharedChunk, abort);
  await failed().getByRole('button', { name: 'Reload' }).click();
  await page.getByLabel('Search query').waitFor();
  assert.equal(new URL(page.url()).pathname, '/search');
  assert.equal(await failed().count(), 0);
});

test('no script errors or CSP violations', { skip }, () => {
  assert.deepEqual(
    problems.filter((p) => !/Failed to fetch dynamically imported module|Importing a module script failed|Failed to load resource/.test(p)),
    [],
  );
});

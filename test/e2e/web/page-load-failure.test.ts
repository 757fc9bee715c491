/**
 * A page opened while the server is down: its code (a lazy chunk) cannot be fetched. The page area
 * says so with a Retry button, the top bar stays usable, what was typed elsewhere is kept, Retry loads
 * the page once the server answers again, and opening another page clears the message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { ARTIFACTS, skipReason, loggedInUi, until } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/alerts', (p) => p.getByRole('heading', { name: 'Findings' }).waitFor());

/** the Search page's own chunk (not the shared ones) */
const searchChunk = (u: URL) => /\/assets\/SearchPage-[^/]*\.js$/.test(u.pathname);
const abort = (route: Route) => route.abort('connectionrefused');
const nav = () => ui.page.getByRole('navigation', { name: 'Pages' });
const failed = () => ui.page.locator('main').getByRole('alert').filter({ hasText: 'This page could not be loaded' });

test('a page whose code cannot be fetched says so in the page area, and Retry loads it once the server is back', { skip }, async () => {
  const page = ui.page;
  await page.route(searchChunk, abort);
  await nav().getByRole('link', { name: 'Search' }).click();
  await failed().waitFor();
  assert.match((await failed().textContent()) ?? '', /server did not answer/);
  assert.equal(await nav().isVisible(), true, 'the top bar is still there');
  await page.screenshot({ path: join(ARTIFACTS, 'page-load-failed.png') });

  // Retry while the server is still down: the same message, still no blank app
  await failed().getByRole('button', { name: 'Retry' }).click();
  await failed().waitFor();

  // the server is back: Retry imports the page afresh
  await page.unroute(searchChunk, abort);
  await failed().getByRole('button', { name: 'Retry' }).click();
  await page.getByLabel('Search query').waitFor();
  assert.equal(await failed().count(), 0);
  await page.screenshot({ path: join(ARTIFACTS, 'page-load-retried.png') });
});

test('opening another page clears the message, and coming back tries the page again', { skip }, async () => {
  const page = ui.page;
  // a fresh document: the Search chunk is not yet loaded in this one
  await page.goto(`${ui.srv.base}/alerts`);
  await page.getByRole('heading', { name: 'Findings' }).waitFor();
  await page.route(searchChunk, abort);
  await nav().getByRole('link', { name: 'Search' }).click();
  await failed().waitFor();
  await nav().getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('heading', { name: 'Findings' }).waitFor();
  assert.equal(await failed().count(), 0, 'the message went with the page');
  await page.unroute(searchChunk, abort);
  await nav().getByRole('link', { name: 'Search' }).click();
  await until(async () => (await page.getByLabel('Search query').count()) === 1, 'the search page, fetched again');
  assert.equal(await failed().count(), 0);
});

test('no script errors or CSP violations', { skip }, () => {
  // a failed chunk is a network error the page handles, not an uncaught one
  assert.deepEqual(
    problems.filter((p) => !/Failed to fetch dynamically imported module|Importing a module script failed/.test(p)),
    [],
  );
});

/**
 * The API docs at /docs (Swagger UI) in a logged-in browser: the page renders its operations, and its
 * CSP blocks nothing the page itself brings (an inline style of the UI was refused, a console error on
 * every visit).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('/docs renders the operations, with the session cookie of the UI', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/docs`);
  await page.locator('.opblock').first().waitFor();
  assert.match((await page.locator('.info .title').textContent()) ?? '', /NML API/);
  // an operation opened, as a reader would
  await page.locator('.opblock-summary').first().click();
  await page.locator('.opblock-body').first().waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'docs.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The search page when the server left damaged shards out: a notice names each file and the time it
 * holds and says the total is a lower bound; a search with none shows no notice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const SHARD = { file: 'shards/2026/11/30/10/0000-w0-0.db', from: Date.UTC(2026, 10, 30, 10), to: Date.UTC(2026, 10, 30, 10, 59, 59) };
const notice = () => ui.page.locator('.skipped-shards');

test('a search that left a damaged shard out says which file, which time, and that the total is a lower bound', { skip }, async () => {
  const page = ui.page;
  // the page of hits says nothing; the histogram names the shard: the notice gathers what any answer said
  const histogram = (u: URL): boolean => u.pathname === '/api/histogram';
  await page.route(histogram, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: { ...((await res.json()) as object), skipped: [SHARD] } });
  });
  await page.goto(`${ui.srv.base}/search?q=sshd`);
  await notice().waitFor({ timeout: 30_000 });
  const text = (await notice().textContent()) ?? '';
  assert.match(text, /A damaged or missing shard was left out of this search\./);
  assert.match(text, /the total is a lower bound/);
  assert.match(text, /shards\/2026\/11\/30\/10\/0000-w0-0\.db: 2026-11-30 10:00:00 UTC to 2026-11-30 10:59:59 UTC/);
  assert.equal(await notice().getByRole('link', { name: 'Live page' }).getAttribute('href'), '/live');
  await page.screenshot({ path: join(ARTIFACTS, 'search-skipped-shards.png') });
  await page.unroute(histogram);
  // the next search, with nothing left out, has no notice
  await page.goto(`${ui.srv.base}/search?q=cron`);
  await page.locator('#total-count').waitFor();
  assert.equal(await notice().count(), 0);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

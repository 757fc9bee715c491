/**
 * A search that ends "now" is pinned in the browser, but lines are stamped by the server's clock. A
 * workstation whose clock runs three minutes slow must still find the line the server stored a moment
 * ago: the page pins to the server's now, learnt from its answers' Date headers, not to its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { apiGet, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const WORD = `quasar${process.pid}`;
const SLOW_MS = 180_000;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('a browser clock three minutes slow: "the last 15 minutes" still holds the line stored just now', { skip }, async () => {
  const page = ui.page;
  const at = Date.now();
  const r = await fetch(`${ui.srv.base}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${ui.srv.token}`, 'content-type': 'text/plain' }, body: `<14>1 ${new Date(at).toISOString()} web-9 ${WORD} 1 - - stored just now` });
  assert.equal(r.status, 200);
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${WORD}`)).body.count === 1, 'the line searchable');

  await page.clock.setSystemTime(Date.now() - SLOW_MS);
  const asked: Request[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/histogram') asked.push(req);
  });
  await page.goto(`${ui.srv.base}/search?q=${WORD}&from=-15m`);
  assert.ok((await page.evaluate(() => Date.now())) < at - SLOW_MS / 2, 'the page runs on the slow clock');
  await until(async () => (await page.locator('#total-count').getAttribute('data-count')) !== null, 'the total shown');
  assert.equal(await page.locator('#total-count').getAttribute('data-count'), '1', 'the line stored just now is in the last 15 minutes');
  assert.equal(await page.locator('table.results-table tbody tr.hit').count(), 1);
  const to = Date.parse(new URL(asked[0]!.url()).searchParams.get('to')!);
  assert.ok(to >= at && to <= Date.now() + 5_000, `pinned to the server's now: ${new Date(to).toISOString()}`);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

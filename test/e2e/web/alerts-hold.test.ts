/**
 * The Alerts list keeps its order while the operator works on it (the findings API is played by the test,
 * and the page's clock is the test's): a refresh that would move rows updates them in place and says
 * what waits; the new order comes when the pointer leaves the list.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, skipReason, until, type UiServer, openUi, logIn, closeUi } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const NOW = Date.now();
const finding = (id: number, score: number, count = 1) => ({
  id, detector: 'syn', entity: `ip:198.51.100.${id}`, score, threshold: 0.9, modelVersion: 't', firstSeen: NOW - 60_000, lastSeen: NOW, count,
  explanation: { summary: `host ${id}`, detail: {} }, evidence: { query: `ip:198.51.100.${id}`, from: NOW - 60_000, to: NOW + 1000 },
  triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null },
});
/** what /api/findings answers: the first read, then a new finding on top and finding 2 moved above 1 */
const rounds = [
  [finding(1, 0.97), finding(2, 0.93)],
  [finding(3, 0.99), finding(2, 0.98, 5), finding(1, 0.97)],
];
let round = 0;

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page } = await openUi(problems));
  await page.clock.install();
  await page.route(
    (u) => u.pathname === '/api/findings/counts',
    (r) => r.fulfill({ json: { counts: { open: rounds[round]!.length, acknowledged: 0, resolved: 0, 'false-positive': 0 } } }),
  );
  await page.route(
    (u) => u.pathname === '/api/findings',
    (r) => r.fulfill({ json: { readAt: Date.now(), findings: rounds[round] } }),
  );
  await logIn(page, srv, '/alerts');
});

after(async () => {
  if (skip === false) await closeUi(browser, srv);
});

const order = () => page.locator('table.alerts-table tbody tr[data-finding]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-finding'))));

test('a refresh while the pointer is on the list moves no row; leaving the list shows the new order', { skip }, async () => {
  await page.locator('table.alerts-table tr[data-finding="2"]').waitFor();
  assert.deepEqual(await order(), [1, 2]);
  await page.locator('table.alerts-table tr[data-finding="2"] td.c-why').hover();
  round = 1;
  await page.clock.runFor(16_000);
  const notice = page.locator('.alerts-held');
  await notice.waitFor();
  assert.equal(await notice.textContent(), 'order held while you work on the list · 1 new waiting');
  assert.deepEqual(await order(), [1, 2], 'no row moved under the pointer');
  assert.equal(await page.locator('table.alerts-table tr[data-finding="2"] td.num').textContent(), '5', 'finding 2 updated in place');
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-held.png') });
  await page.mouse.move(5, 5);
  await until(async () => JSON.stringify(await order()) === '[3,2,1]', 'the new order once the pointer left');
  assert.equal(await notice.count(), 0);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

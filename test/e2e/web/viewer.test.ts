/**
 * The viewer role in a real browser: an admin adds a viewer from the Account page's API; the viewer sees
 * the Alerts list with its statuses but no triage controls (no chip to open, nothing to tick), and the
 * Assist page analyses a report without offering to save it. Screenshot: test-artifacts/web/viewer-alerts.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, apiGet, closeUi, logIn, openUi, sendSyslog, skipReason, until, watchProblems, type UiServer } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let admin: Page;
const problems: string[] = [];
const VIEWER = `vic-${process.pid}`;
const VIEWER_PASSWORD = 'vic-reads-only-77';
const MARKER = `viewer${process.pid}`;

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page: admin } = await openUi(problems));
  await logIn(admin, srv, '/alerts');
  await admin.locator('.alerts-page, table.alerts-table, .empty').first().waitFor();
});

after(async () => {
  if (skip === false) await closeUi(browser, srv);
});

test('a viewer sees findings and their statuses but no triage controls, and analyses reports without saving them', { skip }, async () => {
  const added = await admin.request.fetch(`${srv.base}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, data: JSON.stringify({ name: VIEWER, role: 'viewer', password: VIEWER_PASSWORD }) });
  assert.equal(added.status(), 201, await added.text());
  const url = `http://paypal.com.secure-login.verify-account.xyz/webscr?cmd=_login-run&${MARKER}`;
  await sendSyslog(srv.tcpPort, [`<38>1 ${new Date().toISOString()} proxy-01 squid 71 - - GET ${url} 200 ${MARKER}`]);
  await until(async () => (await apiGet<{ findings: { entity: string }[] }>(srv, '/api/findings?detector=url&limit=100')).body.findings.some((f) => f.entity.includes(MARKER)), 'a URL finding');

  const context = await browser.newContext();
  const page = await context.newPage();
  watchProblems(page, problems);
  await page.goto(`${srv.base}/alerts`);
  await page.getByLabel('Username').fill(VIEWER);
  await page.getByLabel('Password', { exact: true }).fill(VIEWER_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  const row = page.locator('table.alerts-table tr', { hasText: MARKER });
  await row.waitFor();
  // the status is shown, as a label, not a button that opens the triage form
  const chip = row.locator('.status-chip');
  assert.equal(await chip.textContent(), 'open');
  assert.equal(await row.getByRole('button', { name: /^Status of finding/ }).count(), 0);
  assert.equal(await page.getByRole('checkbox', { name: /^Select/ }).filter({ visible: true }).count(), 0, 'nothing to tick');
  await page.screenshot({ path: join(ARTIFACTS, 'viewer-alerts.png'), fullPage: true });

  await page.goto(`${srv.base}/assist`);
  await page.getByRole('textbox', { name: 'Report text' }).fill('Phishing mail to alice; the link on paypal.com.secure-login.verify-account.xyz was clicked on ws-0013.');
  assert.equal(await page.getByRole('checkbox', { name: /save to the incident base/ }).count(), 0);
  await page.getByText('your role (viewer) reads only').waitFor();
  await page.getByRole('button', { name: 'Analyze' }).click();
  await page.getByText(/Your role \(viewer\) cannot save: ask an analyst/).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save the report' }).count(), 0);
  // a viewer still asks about the report it analyzed (the server keeps it while it runs)
  await page.getByLabel('Question').waitFor();
  await context.close();
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * Highlights and entity links in a search result land on the characters they name, also after
 * characters whose lower case is longer than they are ('İ' lowercases to two code units): a line an
 * attacker can send must not shift them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, PASSWORD, USER, apiGet, sendSyslog, skipReason, until, type UiServer, openUi } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const MARKER = `hl${process.pid}`;

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page } = await openUi(problems));
  await page.goto(srv.base + '/search');
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Search query').waitFor();
});

after(async () => {
  if (skip !== false) return;
  await browser?.close();
  await srv?.stop();
});

test('marks and entity links are not shifted by characters whose lower case is longer', { skip }, async () => {
  const line = `<38>1 ${new Date().toISOString()} web-01 sshd 42 - - İİİİİİİİ Failed password from 198.51.100.77 ${MARKER} done`;
  await sendSyslog(srv.tcpPort, [line]);
  await until(async () => (await apiGet<{ count: number }>(srv, `/api/count?q=${MARKER}`)).body.count === 1, 'the line searchable');
  const box = page.getByLabel('Search query');
  await box.fill(MARKER);
  await box.press('Enter');
  const hit = page.locator('table.results-table tbody tr.hit').first();
  await hit.waitFor();
  assert.deepEqual(await hit.locator('mark').allTextContents(), [MARKER], 'the mark covers the term, not 8 characters before it');
  assert.equal((await hit.locator('a[data-entity="ip"]').first().textContent())?.trim(), '198.51.100.77');
  await hit.screenshot({ path: join(ARTIFACTS, 'search-highlight-dotted-i.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

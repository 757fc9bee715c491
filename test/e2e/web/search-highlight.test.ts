/**
 * Highlights and entity links in a search result land on the characters they name, also after
 * characters whose lower case is longer than they are ('İ' lowercases to two code units): a line an
 * attacker can send must not shift them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, apiGet, sendSyslog, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const MARKER = `hl${process.pid}`;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('marks and entity links are not shifted by characters whose lower case is longer', { skip }, async () => {
  const line = `<38>1 ${new Date().toISOString()} web-01 sshd 42 - - İİİİİİİİ Failed password from 198.51.100.77 ${MARKER} done`;
  await sendSyslog(ui.srv.tcpPort, [line]);
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${MARKER}`)).body.count === 1, 'the line searchable');
  const box = ui.page.getByLabel('Search query');
  await box.fill(MARKER);
  await box.press('Enter');
  const hit = ui.page.locator('table.results-table tbody tr.hit').first();
  await hit.waitFor();
  assert.deepEqual(await hit.locator('mark').allTextContents(), [MARKER], 'the mark covers the term, not 8 characters before it');
  assert.equal((await hit.locator('a[data-entity="ip"]').first().textContent())?.trim(), '198.51.100.77');
  await hit.screenshot({ path: join(ARTIFACTS, 'search-highlight-dotted-i.png') });
});

test('url: finds the lines of a URL and marks its host and path, with or without its scheme', { skip }, async () => {
  const url = `http://login-check.example/${MARKER}/verify?id=7`;
  const line = `<38>1 ${new Date().toISOString()} proxy-01 squid 43 - - GET ${url} 200`;
  await sendSyslog(ui.srv.tcpPort, [line]);
  // the URL detector may flag it and write a finding line that names it too (app nml-detect): not this test's
  const own = ' -app:nml-detect';
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${encodeURIComponent(`url:"${url}"${own}`)}`)).body.count === 1, 'the line found by url:');
  const box = ui.page.getByLabel('Search query');
  await box.fill(`url:"${url}"${own}`);
  await box.press('Enter');
  const hit = ui.page.locator('table.results-table tbody tr.hit').first();
  await hit.waitFor();
  // searched as host and path, the scheme left out (PAN-OS writes none); side by side here, one stretch
  await until(async () => (await hit.locator('mark').allTextContents()).join('') === `login-check.example/${MARKER}/verify?id=7`, "the URL's host and path marked (the previous search's rows gone)");
  await box.fill(`url:"login-check.example/${MARKER}/verify?id=7"${own}`);
  await box.press('Enter');
  // its host and path are searched apart; side by side in this line, they are marked as one stretch
  await until(async () => (await hit.locator('mark').allTextContents()).join('') === `login-check.example/${MARKER}/verify?id=7`, 'host and path marked');
  assert.equal(await ui.page.locator('mark', { hasText: 'http://' }).count(), 0, 'the scheme is not part of the scheme-less query');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

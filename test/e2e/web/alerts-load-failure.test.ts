/**
 * Alerts when the list cannot be loaded for a new filter: the rows of the filter before are not shown
 * as its results, the header says the list is not current (not "live"), and the load is tried again on
 * a timer until the server answers, when the rows are those of the filter now chosen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { ARTIFACTS, apiGet, sendSyslog, skipReason, until, type UiServer, openUi, logIn, closeUi } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const MARKER = `loadfail${process.pid}`;
const URL_A = `http://paypal.com.secure-login.verify-account.xyz/webscr?cmd=_login-run&${MARKER}`;
const squid = (url: string, pid: number) => `<38>1 ${new Date().toISOString()} proxy-01 squid ${pid} - - GET ${url} 200 ${MARKER}`;
let idA = 0;

const row = (id: number) => page.locator(`table.alerts-table tr[data-finding="${id}"]`);
const header = () => page.locator('.alerts-head .alerts-updated');
const findingsApi = (u: URL) => u.pathname.startsWith('/api/findings');
const down = (route: Route) => route.abort('connectionrefused');

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page } = await openUi(problems));
  await sendSyslog(srv.tcpPort, [squid(URL_A, 81)]);
  const of = async () =>
    (await apiGet<{ findings: { id: number; entity: string }[] }>(srv, '/api/findings?detector=url&limit=100')).body.findings.find((f) => f.entity === `url:${URL_A.replace(/^https?:\/\//, '')}`);
  await until(async () => (await of()) !== undefined, 'a URL finding');
  idA = (await of())!.id;
  await logIn(page, srv, '/alerts?status=all');
  await row(idA).waitFor();
});

after(async () => {
  if (skip === false) await closeUi(browser, srv);
});

test('a failed load for a new filter shows no rows of the filter before, says the list is not current, and retries until it loads', { skip }, async () => {
  assert.match((await header().textContent()) ?? '', /^live, checked/);
  await page.route(findingsApi, down);
  await page.getByLabel('Detector').selectOption('syn');
  await until(async () => /not current/.test((await header().textContent()) ?? ''), 'the header saying the list is not current');
  assert.equal(await row(idA).count(), 0, 'the URL finding of the filter before is not shown as a SYN finding');
  assert.doesNotMatch((await header().textContent()) ?? '', /live/);
  assert.match((await page.locator('.notice.error').first().textContent()) ?? '', /could not be loaded.*retrying/);
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-load-failed.png') });

  // the server is back: the list loads by itself, with the SYN filter's rows
  await page.unroute(findingsApi, down);
  await until(async () => /^live, checked/.test((await header().textContent()) ?? ''), 'the list loaded again by itself', 15_000);
  assert.equal(await row(idA).count(), 0);
  const detectors = await page.locator('table.alerts-table tbody tr[data-finding] td.mono').allTextContents();
  assert.ok(detectors.every((d) => d.startsWith('syn')), `only SYN findings: ${detectors.join(', ')}`);
  assert.equal(await page.locator('.notice.error').count(), 0, 'no error left standing');
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-load-retried.png') });

  // and back to every detector: the URL finding is there again
  await page.getByLabel('Detector').selectOption('');
  await row(idA).waitFor();
});

test('a filter the server refuses (a hand-edited address) is said once with the server\'s reason, shown in the menu, and not retried; an unknown status is said too', { skip }, async () => {
  let asked = 0;
  const count = (r: Route) => {
    if (new URL(r.request().url()).pathname === '/api/findings') asked++;
    void r.continue();
  };
  await page.route(findingsApi, count);
  try {
    await page.goto(`${srv.base}/alerts?status=all&detector=bogus`);
    const notice = page.locator('.notice.error').first();
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /does not accept this filter \(findings: no detector 'bogus'.*\)\. Pick another with the controls above\.$/);
    assert.doesNotMatch((await notice.textContent()) ?? '', /retrying/);
    assert.equal(await page.getByLabel('Detector').inputValue(), 'bogus');
    assert.equal(await page.locator('select[aria-label="Detector"] option:checked').textContent(), 'bogus (not a detector)');
    const after = asked;
    await page.waitForTimeout(6_000);
    assert.equal(asked, after, 'not asked again after the retry interval');
    await page.getByLabel('Detector').selectOption('url');
    await row(idA).waitFor();
    assert.equal(await page.locator('.notice.error').count(), 0);
    // a status none of the filters names is the work queue, said so (it was silently ignored)
    await page.goto(`${srv.base}/alerts?status=bogus`);
    const warn = page.locator('.notice.warn', { hasText: 'asks for status' });
    await warn.waitFor();
    assert.equal(await warn.textContent(), 'The address asks for status “bogus”, which is none of open, acknowledged, resolved, false-positive, all: the list shows To do.');
    await page.goto(`${srv.base}/alerts?status=todo`);
    await page.locator('table.alerts-table').waitFor();
    assert.equal(await page.locator('.notice.warn', { hasText: 'asks for status' }).count(), 0, 'todo is the work queue by name');
  } finally {
    await page.unroute(findingsApi, count);
  }
});

test('no script errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

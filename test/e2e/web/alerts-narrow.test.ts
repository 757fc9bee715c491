/**
 * Alerts on a 1024 px wide screen (a laptop, a half-screen window): the action buttons of a row
 * (evidence, board, pivot) are on screen without scrolling sideways at the bottom of a tall table.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, apiGet, sendSyslog, skipReason, until, type UiServer, openUi, logIn, closeUi } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const MARKER = `narrow${process.pid}`;
const URL_A = `http://paypal.com.secure-login.verify-account-update-billing-information.xyz/webscr/cgi-bin/signin?cmd=_login-run&dispatch=5885d80a13c0db1f8e&${MARKER}`;
const squid = (url: string, pid: number) => `<38>1 ${new Date().toISOString()} proxy-01 squid ${pid} - - GET ${url} 200 ${MARKER}`;

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page } = await openUi(problems));
  await sendSyslog(srv.tcpPort, [squid(URL_A, 91)]);
  await until(
    async () => (await apiGet<{ findings: { entity: string }[] }>(srv, '/api/findings?detector=url&limit=100')).body.findings.some((f) => f.entity.includes(MARKER)),
    'a URL finding',
  );
  await page.setViewportSize({ width: 1024, height: 768 });
  await logIn(page, srv, '/alerts?status=all');
  await page.locator('table.alerts-table tbody tr[data-finding]').first().waitFor();
});

after(async () => {
  if (skip === false) await closeUi(browser, srv);
});

for (const width of [1024, 1280]) {
  test(`at ${width} px the first row's action buttons are within the window, with no sideways scroll`, { skip }, async () => {
    await page.setViewportSize({ width, height: 768 });
    const first = page.locator('table.alerts-table tbody tr[data-finding]').first();
    const actions = first.locator('td.c-actions a, td.c-actions button');
    assert.ok((await actions.count()) >= 1);
    for (let i = 0; i < (await actions.count()); i++) {
      const box = await actions.nth(i).boundingBox();
      assert.ok(box !== null && box.x >= 0 && box.x + box.width <= width, `action ${i} within 0–${width}: ${JSON.stringify(box)}`);
    }
    const wrap = await page.locator('.alerts .table-wrap').evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(wrap[0]! <= wrap[1]! + 1, `the table needs no sideways scroll: ${wrap.join(' > ')}`);
    await page.screenshot({ path: join(ARTIFACTS, `alerts-${width}.png`) });
  });
}

test('no script errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

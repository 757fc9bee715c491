/**
 * The top bar on a narrow screen: at 420 px the row of page links scrolled sideways with its scroll bar
 * hidden ("Alerts" cut to "Ale", three pages out of sight). Below the breakpoint a menu names the current
 * page and lists them all; just above it, the row shows every link whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, pageScrollsSideways, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const PAGES = ['Search', 'Live', 'Hosts', 'Alerts', 'Watches', 'Assist', 'Investigate', 'Trends'];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

/** Whether every element the selector finds lies wholly inside the view and inside its clipping parent. */
const allWhole = (selector: string) =>
  ui.page.evaluate<boolean>(`(() => {
    const els = [...document.querySelectorAll(${JSON.stringify(selector)})];
    return els.length > 0 && els.every((el) => {
      const r = el.getBoundingClientRect();
      const p = el.parentElement.getBoundingClientRect();
      return r.width > 0 && r.left >= Math.max(0, p.left) - 0.5 && r.right <= Math.min(innerWidth, p.right) + 0.5;
    });
  })()`);

test('at 420 px a menu names the current page and lists every page, whole; a link followed closes it; Escape closes it', { skip }, async () => {
  const page = ui.page;
  await page.setViewportSize({ width: 420, height: 700 });
  const trigger = page.getByRole('button', { name: 'Pages (now Search)' });
  await trigger.waitFor();
  assert.equal(await page.locator('header.topbar nav.nav').isVisible(), false, 'the row of links gives way to the menu');
  assert.equal(await page.locator('header.topbar').evaluate((h) => h.getBoundingClientRect().height), 44, 'the bar stays one row tall');
  assert.equal(await pageScrollsSideways(page), false);
  await trigger.click();
  const list = page.getByRole('navigation', { name: 'Pages' });
  assert.deepEqual((await list.getByRole('link').allTextContents()).map((t) => t.trim()), PAGES);
  assert.equal(await list.getByRole('link', { name: 'Search' }).getAttribute('aria-current'), 'page');
  assert.ok(await allWhole('#pages-menu a'), 'every page link is whole on the screen');
  await page.screenshot({ path: join(ARTIFACTS, 'topbar-420-menu.png') });
  await list.getByRole('link', { name: 'Alerts' }).click();
  await until(async () => new URL(page.url()).pathname === '/alerts', 'the Alerts page');
  await page.getByRole('button', { name: 'Pages (now Alerts)' }).waitFor();
  assert.equal(await page.locator('#pages-menu').count(), 0, 'the list closed when the link was followed');
  const again = page.getByRole('button', { name: 'Pages (now Alerts)' });
  await again.click();
  await page.locator('#pages-menu a').first().focus();
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#pages-menu').count(), 0, 'Escape closes the list');
  assert.equal(await page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null"), 'Pages (now Alerts)', 'and gives the focus back to its button');
});

test('just above the breakpoint the row of links shows every page whole, without the menu', { skip }, async () => {
  const page = ui.page;
  await page.setViewportSize({ width: 761, height: 700 });
  const nav = page.locator('header.topbar nav.nav');
  await nav.waitFor();
  assert.equal(await page.locator('.pages-menu').isVisible(), false);
  assert.deepEqual((await nav.getByRole('link').allTextContents()).map((t) => t.trim()), PAGES);
  assert.ok(await allWhole('header.topbar nav.nav a'), 'no link is cut by the bar: the breakpoint is where the row stops fitting');
  await page.screenshot({ path: join(ARTIFACTS, 'topbar-761.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

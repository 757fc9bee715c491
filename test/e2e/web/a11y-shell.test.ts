/**
 * Accessibility of the shell and its quieter text (a night-shift review): faint text reads at 4.5:1 or
 * more on whatever it sits on, in both themes; a skip link is the first Tab stop and each page has one
 * h1; the user menu is a disclosure that Escape closes (focus back on its button) and that closes when
 * the focus leaves it; the trends page says its days are UTC days.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, USER, skipReason, loggedInUi, untilInPage } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

interface Low {
  text: string;
  ratio: number;
}

/**
 * Every visible text in the --text-faint colour whose contrast with the colour behind it (the
 * backgrounds of its ancestors, blended) is under 4.5:1; and how many faint texts there were.
 */
async function lowFaint(page: Page): Promise<{ checked: number; low: Low[] }> {
  // a string: this project's test code has no DOM types
  return page.evaluate<{ checked: number; low: Low[] }>(`(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--text-faint)';
    document.body.append(probe);
    const faint = getComputedStyle(probe).color;
    probe.remove();
    const rgba = (s) => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m[3] ?? 1]; };
    const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const behind = (el) => {
      const layers = [];
      for (let e = el; e !== null; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
      let c = [255, 255, 255];
      for (const [r, g, b, a] of layers.reverse()) c = [r * a + c[0] * (1 - a), g * a + c[1] * (1 - a), b * a + c[2] * (1 - a)];
      return c;
    };
    let checked = 0;
    const low = [];
    for (const el of document.querySelectorAll('body *')) {
      if (getComputedStyle(el).color !== faint || el.getClientRects().length === 0) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join(' ').trim();
      if (own === '') continue;
      checked++;
      const a = lum(rgba(faint)), b = lum(behind(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) low.push({ text: own.slice(0, 40), ratio: Math.round(ratio * 100) / 100 });
    }
    return { checked, low };
  })()`);
}

const now = Date.now();
const finding = {
  id: 7001,
  detector: 'url',
  entity: 'url:night.example/x',
  score: 0.99,
  threshold: 0.9,
  modelVersion: 'test',
  time: now,
  firstSeen: now - 60_000,
  lastSeen: now,
  count: 2,
  sightedAt: now,
  explanation: { summary: 'odd path', detail: null },
  evidence: { query: 'night.example', from: now - 60_000, to: now },
  triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null },
};

test('faint text is at least 4.5:1 on its background on the main pages, in both themes', { skip }, async () => {
  const page = ui.page;
  await page.route(
    (u) => u.pathname === '/api/findings',
    (r) => r.fulfill({ json: { findings: [finding], readAt: now } }),
  );
  const seen: string[] = [];
  for (const theme of ['dark', 'light']) {
    await page.evaluate(`document.documentElement.dataset.theme = ${JSON.stringify(theme)}`);
    for (const [path, ready] of [
      ['/live', '.tile-sub'],
      ['/alerts', 'tr[data-finding="7001"]'],
      ['/search', '.qb-input'],
    ] as const) {
      await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new Event('nml:navigate'))`);
      await page.locator(ready).first().waitFor();
      if (path === '/alerts') {
        // the open row's background (--bg-active) is the darkest faint text sits on
        await page.locator('tr[data-finding="7001"] .c-status button').first().click();
        await page.locator('tr.is-open').waitFor();
      }
      const r = await lowFaint(page);
      assert.deepEqual(r.low, [], `${theme} ${path}: faint text under 4.5:1`);
      seen.push(`${theme} ${path}: ${r.checked}`);
      if (path === '/alerts') await page.screenshot({ path: join(ARTIFACTS, `faint-alerts-${theme}.png`) });
    }
  }
  assert.ok(seen.filter((s) => !s.endsWith(': 0')).length >= 4, `faint texts were found and checked: ${seen.join('; ')}`);
  await page.unroute((u) => u.pathname === '/api/findings');
  await page.evaluate(`document.documentElement.dataset.theme = 'dark'`);
});

test('the first Tab stop skips to the content; each page has one h1, its name', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/search`);
  await page.getByLabel('Search query').waitFor();
  await page.keyboard.press('Tab');
  const skipLink = page.getByRole('link', { name: 'Skip to content' });
  assert.equal(await page.evaluate<string>('document.activeElement?.textContent ?? ""'), 'Skip to content', 'the skip link is the first stop');
  const box = await skipLink.boundingBox();
  assert.ok(box !== null && box.y >= 0 && box.height > 0, 'shown once focused');
  await page.screenshot({ path: join(ARTIFACTS, 'skip-link.png'), clip: { x: 0, y: 0, width: 640, height: 120 } });
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate<string>('document.activeElement?.id ?? ""'), 'main', 'the focus is on the content');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate<boolean>("document.activeElement?.closest('header') === null"), true, 'the next stop is past the top bar');
  for (const [path, name] of [['/search', 'Search'], ['/live', 'Live'], ['/hosts', 'Hosts'], ['/alerts', 'Alerts'], ['/trends', 'Trends'], ['/account', 'Account']] as const) {
    await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new Event('nml:navigate'))`);
    await untilInPage(page, `document.querySelectorAll('h1').length === 1 && document.querySelector('h1').textContent === ${JSON.stringify(name)}`, 5000);
  }
});

test('the user menu: a disclosure that Escape closes (focus back on its button) and that closes when the focus leaves', { skip }, async () => {
  const page = ui.page;
  const trigger = page.getByRole('button', { name: `User menu for ${USER}` });
  assert.equal(await page.getByRole('menu').count(), 0, 'no ARIA menu without its keyboard model');
  await trigger.focus();
  await page.keyboard.press('Enter');
  await page.locator('#user-menu').waitFor();
  assert.equal(await trigger.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate<string>('document.activeElement?.textContent ?? ""'), 'Account', 'Tab goes into the open menu');
  await page.keyboard.press('Escape');
  await page.locator('#user-menu').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate<string>('document.activeElement?.getAttribute("aria-label") ?? ""'), `User menu for ${USER}`, 'Escape gives the focus back to the button');
  // Tab past the last item into the page: the menu closes (the Account page's form, once its code has loaded)
  await page.getByLabel('Current password').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('#user-menu').waitFor();
  // Account, API docs, Log out
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate<string>('document.activeElement?.textContent ?? ""'), 'Log out');
  await page.keyboard.press('Tab');
  await page.locator('#user-menu').waitFor({ state: 'detached' });
  assert.equal(await trigger.getAttribute('aria-expanded'), 'false');
  // a press on the panel's text keeps it open; the focus leaving the page from inside it (no element takes
  // it: Tab past the last stop while a page is still loading, another window) closes it
  await trigger.focus();
  await page.keyboard.press('Enter');
  await page.locator('#user-menu .who').click();
  assert.equal(await trigger.getAttribute('aria-expanded'), 'true', 'a press inside the panel does not close it');
  await trigger.focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate<string>('document.activeElement?.textContent ?? ""'), 'Account');
  await page.evaluate('document.activeElement.blur()');
  await page.locator('#user-menu').waitFor({ state: 'detached' });
  assert.equal(await trigger.getAttribute('aria-expanded'), 'false');
});

test('the trends page says its days are UTC days', { skip }, async () => {
  const page = ui.page;
  await page.evaluate(`history.pushState(null, '', '/trends'); dispatchEvent(new Event('nml:navigate'))`);
  await page.locator('.trend-zone').waitFor();
  assert.match((await page.locator('.trend-zone').textContent()) ?? '', /00:00–24:00 UTC/);
  await page.locator('.trends-page select').first().selectOption('week');
  assert.match((await page.locator('.trend-zone').textContent()) ?? '', /Monday 00:00 .*UTC/);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * A triage note is cut to two lines in its status cell; the whole of it was only in a hover title and the
 * triage form, out of reach of keyboard and touch (a night-shift walk). A cut note has a "whole note"
 * button (Enter, a click, a tap) that shows all of it in place, and "less" that cuts it again; a note
 * that fits has none. At 1,440 px and 768 px.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, untilInPage } from './browser.js';
import { LONG_NOTE, openAlertsAt, playedSynFinding } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const H = 3_600_000;
const finding = (id: number, note: string) => playedSynFinding(id, NOW - id * H, { status: 'acknowledged', by: 'night', at: NOW - H, note });
const FINDINGS = [finding(1, LONG_NOTE), finding(3, 'scanner of ours')];

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.route((u) => u.pathname === '/api/findings', (r) => r.fulfill({ json: { findings: FINDINGS, readAt: NOW } }));
  await openAlertsAt(page, { open: 0, acknowledged: 2, resolved: 0, 'false-positive': 0 }, '', 1);
});

test('a triage note cut to two lines opens whole from the keyboard, and cuts again; a short one has no button', { skip }, async () => {
  const page = ui.page;
  for (const width of [1440, 768]) {
    await page.setViewportSize({ width, height: 900 });
    const row = page.locator('table.alerts-table tr[data-finding="1"]');
    const text = row.locator('.triage-note');
    const more = row.getByRole('button', { name: 'Show the whole note on finding 1' });
    await more.waitFor();
    assert.equal(await page.locator('tr[data-finding="3"] .triage-note-more').count(), 0, `${width}: "scanner of ours" is not cut`);
    const cut = await text.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
    assert.equal(cut, true, `${width}: the long note is cut`);
    assert.equal(await more.getAttribute('aria-expanded'), 'false');
    await more.focus();
    await page.keyboard.press('Enter');
    const less = row.getByRole('button', { name: 'Cut the whole note on finding 1' });
    await less.waitFor();
    assert.equal(await less.getAttribute('aria-expanded'), 'true');
    await untilInPage(page, `(() => { const el = document.querySelector('tr[data-finding="1"] .triage-note'); return el.scrollHeight <= el.clientHeight + 1 && el.clientHeight > 60; })()`);
    assert.equal(await text.textContent(), LONG_NOTE);
    await page.screenshot({ path: join(ARTIFACTS, `alerts-note-whole-${width}.png`) });
    assert.equal(await page.evaluate('document.activeElement?.className'), 'triage-note-more', 'the focus stays on the button');
    await page.keyboard.press('Enter');
    await more.waitFor();
    assert.equal(await text.evaluate((el) => el.scrollHeight > el.clientHeight + 1), true, `${width}: cut again`);
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

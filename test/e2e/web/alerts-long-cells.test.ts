/**
 * The Alerts table keeps inside the page with the longest values a cell can hold: an IPv6 address of eight
 * full groups (39 characters, the longest an address is written in its RFC 5952 form, as entities are) and
 * a user name of 64 characters as the assignee and as who triaged it.
 * At 1,440 px such a row pushed the table past its panel and the page scrolled sideways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, untilInPage, pageScrollsSideways } from './browser.js';
import { openAlertsOn, playedSynFinding } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
/** the longest user name the user store takes: 64 characters */
const LONG_USER = 'alexandra-konstantinopoulou.night-shift-incident-response-lead.x';
const IPV6 = 'fd12:3456:789a:bcde:f012:3456:789a:bcde';
const long = {
  ...playedSynFinding(2, NOW - 60_000, { status: 'acknowledged', note: 'checking it', by: LONG_USER, at: NOW - 30_000, assignee: LONG_USER, assignedAt: NOW - 30_000 }),
  entity: `ip:${IPV6}`,
  evidence: { query: `ip:${IPV6}`, from: NOW - 120_000, to: NOW },
};
const FINDINGS = [long, playedSynFinding(1, NOW - 120_000, { status: 'open', note: '', by: null, at: null, assignee: null, assignedAt: null })];

const ui = loggedInUi(skip, problems, '/search', (page) => openAlertsOn(page, FINDINGS));

/** How far (px) the table sticks out of its panel, and whether the page scrolls sideways, at `width`. */
async function overflowAt(width: number): Promise<{ out: number; sideways: boolean }> {
  const page = ui.page;
  await page.setViewportSize({ width, height: 900 });
  await untilInPage(page, `document.documentElement.clientWidth === ${width}`);
  await page.screenshot({ path: join(ARTIFACTS, `alerts-long-cells-${width}.png`) });
  const out = await page.evaluate<number>(`(() => {
    const t = document.querySelector('table.alerts-table');
    const box = t.parentElement.getBoundingClientRect();
    // and the address inside its own cell, not drawn over the Why beside it
    const a = document.querySelector('tr[data-finding="2"] .entity-address').getBoundingClientRect();
    const cell = document.querySelector('tr[data-finding="2"] td.c-entity').getBoundingClientRect();
    return Math.max(0, t.getBoundingClientRect().right - box.right, t.scrollWidth - t.clientWidth, a.right - cell.right);
  })()`);
  return { out, sideways: await pageScrollsSideways(page) };
}

for (const width of [1440, 1280, 1024, 960]) {
  test(`at ${width} px the longest address and user name stay inside the table's panel`, { skip }, async () => {
    assert.equal(long.entity.length, 42);
    assert.equal(LONG_USER.length, 64);
    const { out, sideways } = await overflowAt(width);
    assert.ok(out <= 1, `the table sticks out of its panel by ${out} px`);
    assert.equal(sideways, false, 'the page does not scroll sideways');
  });
}

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

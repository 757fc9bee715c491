/**
 * Where the keyboard focus goes once the bar for ticked findings has gone: a change made from it (a few
 * rows at once, or ten and more through its confirmation) or Clear. An operator walk saw it fall to the
 * page's body, so that a keyboard user started over from the skip link after every batch; it goes to the
 * box that ticks every finding shown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, loggedInUi, until } from './browser.js';
import { openAlertsOn } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const findings = Array.from({ length: 12 }, (_, i) => {
  const id = 100 + i;
  const u = `login-verify${i}.example/signin.php`;
  return {
    id,
    detector: 'url',
    entity: `url:${u}`,
    score: 0.99,
    threshold: 0.964,
    modelVersion: 'test',
    count: 1,
    time: NOW - 60_000,
    firstSeen: NOW - 60_000,
    lastSeen: NOW - 60_000,
    sightedAt: NOW - 60_000,
    explanation: { summary: 'score 0.990: most suspicious "login" (host)', detail: null },
    evidence: { query: `sub:"${u}"`, from: NOW - 3_600_000, to: NOW },
    triage: { status: 'open', note: '', by: null as string | null, at: null as number | null, reopenedAt: null },
  };
});

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  // a change of the ticked rows: each comes back with the status asked for
  await page.route(
    (u) => u.pathname === '/api/findings' && u.search === '',
    async (r) => {
      if (r.request().method() !== 'PATCH') return r.fallback();
      const body = r.request().postDataJSON() as { ids: number[]; status: string };
      const changed = findings.filter((f) => body.ids.includes(f.id)).map((f) => ({ ...f, triage: { ...f.triage, status: body.status, by: 'operator', at: Date.now() } }));
      await r.fulfill({ json: { findings: changed, missing: [], unchanged: [] } });
    },
  );
  await openAlertsOn(page, findings);
});

/** the aria-label of the focused element (a string: the test is compiled without the DOM's types) */
const focused = () => ui.page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName ?? null");
const focusOnSelectAll = () => until(async () => (await focused()) === 'Select every finding shown', 'the focus on "Select every finding shown"', 5000).catch(async (e: Error) => assert.fail(`${e.message}; it is on ${await focused()}`));
const tick = async (id: number) => {
  await ui.page.getByLabel(`Select finding ${id}`, { exact: true }).focus();
  await ui.page.keyboard.press('Space');
};

test('a change of a few ticked findings, made from the keyboard, leaves the focus on the box that ticks every finding', { skip }, async () => {
  await tick(100);
  await tick(101);
  await ui.page.getByRole('button', { name: 'Acknowledge the 2 selected findings' }).focus();
  await ui.page.keyboard.press('Enter');
  await until(async () => (await ui.page.getByRole('form', { name: 'Triage of the selected findings' }).count()) === 0, 'the bar gone');
  await focusOnSelectAll();
});

test('Clear, from the keyboard, leaves the focus there too', { skip }, async () => {
  await tick(102);
  await ui.page.getByRole('button', { name: 'Clear the selection' }).focus();
  await ui.page.keyboard.press('Enter');
  await focusOnSelectAll();
});

test('so does a change of ten and more, confirmed from the keyboard', { skip }, async () => {
  await ui.page.getByLabel('Select every finding shown').focus();
  await ui.page.keyboard.press('Space');
  await ui.page.getByRole('button', { name: 'Resolve the 12 selected findings' }).focus();
  await ui.page.keyboard.press('Enter');
  // the confirmation takes the focus on its "Yes"
  await until(async () => /^Yes, resolve 12 findings$/.test(((await ui.page.evaluate<string | null>('document.activeElement?.textContent ?? null')) ?? '').trim()), 'the focus on the confirmation');
  await ui.page.keyboard.press('Enter');
  await focusOnSelectAll();
  assert.equal(await ui.page.locator('table.alerts-table tr[data-finding] .status-chip.st-resolved').count(), 12);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

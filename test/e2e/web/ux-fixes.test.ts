/**
 * Four defects of a UX review: the trends line has a gap where there is no prediction (not a zero);
 * the live tail's header and empty list agree with its state (paused, a refused filter); a search
 * result's pivot opens Investigate on the search's range; a CIDR query marks the addresses inside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, apiGet, inked, sendSyslog, skipReason, until, loggedInUi, trendsCard } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const MARKER = `ux${process.pid}`;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

/** One attack type over six weeks: no prediction for the first three (warm-up), nothing collected in week 2. */
function trendsReply() {
  const weeks = ['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27', '2025-02-03', '2025-02-10'];
  const observed = [3, null, 4, 6, 2, 5];
  const probability = [null, null, null, 0.6, 0.4, 0.7];
  return {
    period: 'week',
    generatedAt: '2025-02-14T00:00:00.000Z',
    basis: { historyDocs: 20, collectedDocs: 0 },
    types: [
      {
        type: 'ransomware',
        label: 'Ransomware',
        points: weeks.map((w, i) => ({ start: `${w}T00:00:00.000Z`, observed: observed[i], probability: probability[i] })),
        next: { start: '2025-02-17T00:00:00.000Z', probability: 0.65, drivers: [], calendar: [], documents: [] },
      },
    ],
    sources: [],
  };
}

test('trends: no line where there is no prediction (nor where nothing was collected), and the card says why', { skip }, async () => {
  const page = ui.page;
  const card = await trendsCard(page, ui.srv.base, trendsReply());
  assert.match((await card.locator('.trend-note').textContent()) ?? '', /^No prediction for the first 3 weeks \(the model's warm-up, before 2025-01-27\)\.$/);
  const predicted = 'Ransomware predicted probability per period';
  // a probability of 0 drawn for the warm-up would ink the first three weeks along the bottom
  assert.equal(await inked(page, predicted, 0, 3), false, 'nothing drawn before the first prediction');
  assert.equal(await inked(page, predicted, 3, 5), true, 'the predictions are drawn');
  const reports = 'Ransomware reports per period';
  assert.equal(await inked(page, reports, 0, 2), false, 'a gap for the week nothing was collected (a dot for the week before it)');
  assert.equal(await inked(page, reports, 2, 5), true);
  await card.screenshot({ path: join(ARTIFACTS, 'ux-trends-warmup-gap.png') });
  await page.unrouteAll();
});

test('live tail: paused reads as paused, in the header and in the empty list', { skip }, async () => {
  const page = ui.page;
  // a filter nothing matches keeps the list empty
  await page.goto(`${ui.srv.base}/live?tail=${MARKER}nothing`);
  const conn = page.locator('.tail-head .conn');
  await conn.filter({ hasText: 'streaming' }).waitFor();
  assert.equal(await page.locator('.tail-head .dot.ok').count(), 1);
  await page.getByRole('button', { name: 'Pause the live tail' }).click();
  await conn.filter({ hasText: /^paused/ }).waitFor();
  assert.doesNotMatch((await conn.textContent()) ?? '', /streaming/);
  assert.equal(await page.locator('.tail-head .dot.ok').count(), 0, 'no green dot while paused');
  assert.equal(await page.locator('.tail-empty').textContent(), 'Paused: new lines wait until you resume.');
  await page.locator('.tail-head').screenshot({ path: join(ARTIFACTS, 'ux-tail-paused.png') });
  await page.getByRole('button', { name: 'Resume the live tail' }).click();
  await conn.filter({ hasText: 'streaming' }).waitFor();
  assert.match((await page.locator('.tail-empty').textContent()) ?? '', /^Waiting for new lines that match the filter/);
});

test('live tail: a refused filter says so in the empty list too, not "waiting for lines"', { skip }, async () => {
  const page = ui.page;
  const filter = page.getByLabel('Live tail filter');
  await filter.fill('sshd (failed');
  await filter.press('Enter');
  await page.locator('.tail-head .conn').filter({ hasText: 'stopped:' }).waitFor();
  const empty = (await page.locator('.tail-empty').textContent()) ?? '';
  assert.doesNotMatch(empty, /Waiting/);
  assert.match(empty, /the server refused the filter/);
  assert.equal(await page.locator('.tail-head .dot.bad').count(), 1);
  await page.locator('.tail').screenshot({ path: join(ARTIFACTS, 'ux-tail-bad-filter.png') });
});

/** Sends one line with two addresses, one in 10.0.2.0/24, and waits until a search finds it. */
async function sendAddressLine(): Promise<void> {
  const line = `<38>1 ${new Date().toISOString()} web-01 sshd 42 - - Failed password from 10.0.2.17 via 10.0.3.4 ${MARKER}`;
  await sendSyslog(ui.srv.tcpPort, [line]);
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${MARKER}`)).body.count === 1, 'the line searchable');
}

async function firstHit(page: Page, query: string, range = '') {
  await page.goto(`${ui.srv.base}/search?q=${encodeURIComponent(query)}${range}`);
  const hit = page.locator('table.results-table tbody tr.hit').first();
  await hit.waitFor();
  return hit;
}

test("search: an expanded row's pivot opens Investigate on the search's range, as pinned when it ran", { skip }, async () => {
  await sendAddressLine();
  const page = ui.page;
  const hit = await firstHit(page, MARKER, '&from=-2h&to=now');
  await hit.locator('button.row-toggle').click();
  const pivot = page.getByRole('link', { name: 'Investigate ip 10.0.2.17' });
  const href = new URL((await pivot.getAttribute('href'))!, ui.srv.base);
  assert.equal(href.pathname, '/investigate');
  assert.equal(href.searchParams.get('entity'), 'ip:10.0.2.17');
  // the two hours the search covered, not "the last two hours" of whenever the link is opened
  const [from, to] = [href.searchParams.get('from')!, href.searchParams.get('to')!];
  assert.match(to, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(Date.parse(to) - Date.parse(from), 2 * 3_600_000);
  assert.ok(Math.abs(Date.parse(to) - Date.now()) < 60_000, to);
  await pivot.click();
  await until(async () => new URL(page.url()).pathname === '/investigate', 'the investigation page');
  assert.equal(new URL(page.url()).searchParams.get('from'), from);
  await page.getByText('10.0.2.17').first().waitFor();
  assert.equal(await page.locator('main').getByRole('alert').count(), 0, 'the investigation takes the pinned times');
});

test('search: a click anywhere on a row opens it, one on an address in it does not', { skip }, async () => {
  const page = ui.page;
  const hit = await firstHit(page, MARKER);
  await hit.locator('td.c-host').click();
  assert.equal(await hit.getAttribute('aria-expanded'), 'true');
  await page.locator('tr.hit-detail').first().waitFor();
  await hit.locator('td.c-host').click();
  assert.equal(await hit.getAttribute('aria-expanded'), 'false', 'and closes it again');
  // an address link in the message searches for it; the row stays as it was
  await hit.locator('a[data-entity="ip"]').first().click({ modifiers: ['Alt'] });
  await until(async () => new URL(page.url()).searchParams.get('q')?.includes('10.0.2.17') === true, 'the address added to the query');
  assert.equal(await page.locator('table.results-table tbody tr.hit[aria-expanded="true"]').count(), 0);
});

test('search: a CIDR query marks the addresses of the line inside the network, bare and as ip:', { skip }, async () => {
  const page = ui.page;
  for (const q of [`10.0.2.0/24 ${MARKER}`, `ip:10.0.2.0/24 ${MARKER}`]) {
    const hit = await firstHit(page, q);
    assert.deepEqual(await hit.locator('mark').allTextContents(), ['10.0.2.17', MARKER], `${q}: 10.0.3.4 is outside`);
  }
  await page.locator('table.results-table tbody tr.hit').first().screenshot({ path: join(ARTIFACTS, 'ux-search-cidr-marks.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The Alerts page's handover: a "Triaged" filter (in the last 12 h, 24 h, 7 days, or since a UTC time)
 * that sets GET /api/findings `triagedSince=`, kept in the address, said above the list while on; the
 * status buttons count by it (GET /api/findings/counts takes it) and the ticked rows' bar offers all that
 * match with it (PATCH /api/findings/matching takes it too; until then both were left out: a night-shift walk).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, untilInPage } from './browser.js';
import { alertRowsBecome, LONG_NOTE, openAlertsAt, playedSynFinding } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const H = 3_600_000;
const finding = (id: number, sightedAt: number, triage: { status: string; by: string | null; at: number | null; note: string }) => playedSynFinding(id, sightedAt, triage);
const FINDINGS = [
  finding(1, NOW - 10 * H, { status: 'resolved', by: 'night', at: NOW - H, note: LONG_NOTE }),
  finding(2, NOW - 2 * H, { status: 'resolved', by: 'day', at: NOW - 30 * H, note: '' }),
  finding(3, NOW - 5 * H, { status: 'false-positive', by: 'night', at: NOW - 3 * H, note: 'scanner of ours' }),
  finding(4, NOW - 60_000, { status: 'open', by: null, at: null, note: '' }),
];
/** the `triagedSince` of each /api/findings request ('' when absent) */
const asked: string[] = [];
/** the `triagedSince` of each counts request ('' when absent) */
const countsAsked: string[] = [];
/** the body of each PATCH /api/findings/matching */
const matched: { match: Record<string, unknown>; status?: string }[] = [];
/** the server's reading of triagedSince: -Nh or an ISO time */
const since = (t: string): number => (/^-\d+h$/.test(t) ? NOW - Number(t.slice(1, -1)) * H : Date.parse(t));

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.route(
    (u) => u.pathname === '/api/findings',
    (r) => {
      const sp = new URL(r.request().url()).searchParams;
      const t = sp.get('triagedSince') ?? '';
      asked.push(t);
      const statuses = sp.get('status')?.split(',');
      const shown = FINDINGS.filter((f) => (statuses === undefined || statuses.includes(f.triage.status)) && (t === '' || (f.triage.at ?? -1) >= since(t))).sort(
        (a, b) => (b.triage.at ?? -1) - (a.triage.at ?? -1),
      );
      // with the filter on, more match than the page loaded: a next page
      return r.fulfill({ json: { findings: shown, readAt: NOW, ...(t === '' ? {} : { next: 'c' }) } });
    },
  );
  await page.route(
    (u) => u.pathname === '/api/findings/matching',
    (r) => {
      matched.push(r.request().postDataJSON() as (typeof matched)[number]);
      return r.fulfill({ json: { changed: 3 } });
    },
  );
  const counts = (u: URL) => {
    countsAsked.push(u.searchParams.get('triagedSince') ?? '');
    // the server's counts of those triaged since: 3 (a page more than the 2 listed), of every finding: 4
    return u.searchParams.has('triagedSince') ? { open: 0, acknowledged: 0, resolved: 2, 'false-positive': 1 } : { open: 1, acknowledged: 0, resolved: 2, 'false-positive': 1 };
  };
  await openAlertsAt(page, counts, '?status=all&sort=triaged', 1);
});

test('Triaged in the last 12 h asks for triagedSince=-12h, lists only those, says so, keeps it in the address; the buttons count by it, and the bar offers all that match with it', { skip }, async () => {
  const page = ui.page;
  const menu = page.getByLabel('Triaged', { exact: true });
  assert.equal(await menu.inputValue(), '', 'any time by default');
  await alertRowsBecome(ui.page, [1, 3, 2, 4]);
  assert.equal(asked.at(-1), '');
  assert.equal(await page.locator('.alerts-triaged-since').count(), 0);

  await menu.selectOption({ label: 'last 12 h' });
  await alertRowsBecome(ui.page, [1, 3]);
  assert.equal(asked.at(-1), '-12h');
  assert.match(page.url(), /[?&]triagedSince=-12h(&|$)/);
  const note = page.locator('.alerts-triaged-since');
  assert.match((await note.textContent()) ?? '', /Only findings whose status a person set in the last 12 h \(since \d{4}-\d\d-\d\d \d\d:\d\d UTC\) are listed/);
  // the counts are of those triaged since, as the list: 3 in All, not the 4 of every finding
  await untilInPage(page, `document.querySelector('.status-filter [aria-pressed="true"] .filter-count')?.textContent === '3'`);
  assert.equal(countsAsked.at(-1), '-12h');

  // every row shown ticked, more on the server: all that match, sent with the 12 h
  await page.getByLabel('Select every finding shown').check();
  const bar = page.getByRole('form', { name: 'Triage of the selected findings' });
  await bar.getByRole('button', { name: 'select all 3 that match' }).click();
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-triaged-since-1440.png') });
  await bar.getByRole('button', { name: 'Acknowledge the 3 selected findings' }).click();
  await bar.getByRole('button', { name: 'Yes, acknowledge 3 findings' }).click();
  await untilInPage(page, `document.querySelector('form.bulk-triage') === null`);
  assert.deepEqual(matched.at(-1), { match: { triagedSince: '-12h', readAt: NOW }, status: 'acknowledged' });

  await page.reload();
  await alertRowsBecome(ui.page, [1, 3]);
  assert.equal(await page.getByLabel('Triaged', { exact: true }).inputValue(), '-12h', 'a reload keeps it');
  assert.equal(asked.at(-1), '-12h');
});

test('since a time (UTC): a time field, its time in the address as ISO; Show every finding clears it', { skip }, async () => {
  const page = ui.page;
  await page.getByLabel('Triaged', { exact: true }).selectOption({ label: 'since…' });
  const field = page.getByLabel('Triaged since (UTC)');
  await field.waitFor();
  // it starts 12 h back: 1 and 3
  await alertRowsBecome(ui.page, [1, 3]);
  assert.match(asked.at(-1)!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
  // the shift began 2 h ago (a minute's rounding kept out of it)
  const shift = new Date(NOW - 2 * H - 60_000).toISOString().slice(0, 16);
  await field.fill(shift);
  await alertRowsBecome(ui.page, [1]);
  assert.equal(asked.at(-1), `${shift}:00Z`);
  assert.match(decodeURIComponent(page.url()), new RegExp(`[?&]triagedSince=${shift}:00Z`));
  assert.match((await page.locator('.alerts-triaged-since').textContent()) ?? '', new RegExp(`set since ${shift.replace('T', ' ')} UTC`));

  await page.getByRole('button', { name: 'Show every finding' }).click();
  await alertRowsBecome(ui.page, [1, 3, 2, 4]);
  assert.equal(asked.at(-1), '');
  assert.doesNotMatch(page.url(), /triagedSince/);
  assert.equal(await page.locator('.status-filter .filter-count').count() > 0, true, 'the counts are back');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

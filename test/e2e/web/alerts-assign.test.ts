/**
 * Findings assigned to a person on the Alerts page (the night shift's "this one is mine"): a row's picker
 * on its status line (me, another analyst from /api/findings/assignees, nobody: PATCH /api/findings/:id
 * `assignee`, the status left as it is), the same in the ticked rows' bar and for all that match, and the Assigned menu (anyone, me,
 * unassigned) kept in the address. With the Triaged filter on, the status buttons count and "all that
 * match" is offered, both sent the filter. Screenshots at 1440 and 768 px: alerts-assign-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, USER, pageScrollsSideways, skipReason, loggedInUi, untilInPage } from './browser.js';
import { alertRowsBecome, openAlertsAt, playedSynFinding } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const H = 3_600_000;
type Played = ReturnType<typeof playedSynFinding> & { triage: { assignee: string | null; assignedAt: number | null } };
const finding = (id: number, status: string, assignee: string | null, at: number | null): Played =>
  playedSynFinding(id, NOW - id * 60_000, { status, note: '', by: at === null ? null : 'night', at, assignee, assignedAt: assignee === null ? null : NOW - H }, `a scan of 40 ports from 192.0.2.${id}`) as Played;
/** the server's findings, changed by the page's PATCHes */
const FINDINGS: Played[] = [finding(1, 'open', null, null), finding(2, 'acknowledged', 'night-shift-lead', NOW - 2 * H), finding(3, 'open', null, null), finding(4, 'acknowledged', USER, NOW - 30 * H)];
/** each request the page made: method, path, query and body */
const asked: { method: string; path: string; query: URLSearchParams; body: Record<string, unknown> | null }[] = [];

/** GET /api/findings' filters as the server reads them (assignee=me is the user logged in) */
function matches(f: Played, q: URLSearchParams): boolean {
  const statuses = q.get('status')?.split(',');
  if (statuses !== undefined && !statuses.includes(f.triage.status)) return false;
  const a = q.get('assignee');
  if (a !== null && f.triage.assignee !== (a === 'me' ? USER : a === 'none' ? null : a)) return false;
  const since = q.get('triagedSince');
  return since === null || (f.triage.at ?? -1) >= NOW - Number(since.slice(1, -1)) * H;
}
const assign = (f: Played, assignee: string | null) => Object.assign(f.triage, { assignee, assignedAt: Date.now() });

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.route(
    (u) => u.pathname.startsWith('/api/findings') && !u.pathname.endsWith('/counts') && !u.pathname.endsWith('/clients'),
    async (r) => {
      const req = r.request();
      const url = new URL(req.url());
      const body = req.method() === 'PATCH' ? (req.postDataJSON() as Record<string, unknown>) : null;
      asked.push({ method: req.method(), path: url.pathname, query: url.searchParams, body });
      if (req.method() === 'GET' && url.pathname === '/api/findings') {
        // more on the server than the page loads: a next page
        return r.fulfill({ json: { findings: FINDINGS.filter((f) => matches(f, url.searchParams)), readAt: NOW, next: 'c' } });
      }
      if (url.pathname === '/api/findings/4/history') {
        const e = { status: 'acknowledged', note: '' };
        const history = [
          { ...e, at: NOW - 5 * H, by: 'night', cause: 'assignment', assignee: 'vera' },
          { ...e, at: NOW - 4 * H, by: 'admin', cause: 'user-demoted', assignee: null, demotedUser: 'vera' },
          { ...e, at: NOW - 3 * H, by: 'night', cause: 'assignment', assignee: 'carol' },
          { ...e, at: NOW - 2 * H, by: 'admin', cause: 'user-removed', assignee: null, removedUser: 'carol' },
        ];
        return r.fulfill({ json: { history } });
      }
      // who may be assigned findings (the picker's names): the server's analysts and admins
      if (url.pathname === '/api/findings/assignees') return r.fulfill({ json: { assignees: ['carol', 'night-shift-lead', USER] } });
      const one = /^\/api\/findings\/(\d+)$/.exec(url.pathname);
      if (body === null) return r.fallback();
      if (one !== null) {
        const f = FINDINGS.find((x) => x.id === Number(one[1]))!;
        assign(f, body.assignee as string | null);
        return r.fulfill({ json: f });
      }
      if (url.pathname === '/api/findings') {
        const changed = FINDINGS.filter((f) => (body.ids as number[]).includes(f.id));
        for (const f of changed) assign(f, body.assignee as string | null);
        return r.fulfill({ json: { findings: changed, missing: [], unchanged: [] } });
      }
      return r.fulfill({ json: { changed: 7 } });
    },
  );
  // the counts by the filters asked: 9 more on the server than are played
  await openAlertsAt(page, (u) => ({ open: 0, acknowledged: 0, resolved: 0, 'false-positive': 0, ...countsOf(u.searchParams) }), '?status=all', 1);
});
/** the query of each counts request */
const countsAsked: URLSearchParams[] = [];
function countsOf(q: URLSearchParams): Record<string, number> {
  countsAsked.push(q);
  const out: Record<string, number> = { open: 9 };
  for (const f of FINDINGS.filter((x) => matches(x, q))) out[f.triage.status] = (out[f.triage.status] ?? 0) + 1;
  return out;
}

const row = (id: number) => ui.page.locator(`table.alerts-table tr[data-finding="${id}"]`);
/** what a row's assignee chip says (its caret left out) */
const chipOf = async (id: number) => ((await row(id).locator('.assignee-chip').textContent()) ?? '').replace('▾', '').trim();
const lastOf = (method: string) => asked.filter((a) => a.method === method).at(-1)!;
/** whether two elements' boxes start on the same line (their tops within 6 px) */
const sameLine = (a: string, b: string) => ui.page.evaluate<boolean>(`Math.abs(document.querySelector(${JSON.stringify(a)}).getBoundingClientRect().top - document.querySelector(${JSON.stringify(b)}).getBoundingClientRect().top) <= 6`);

test("each row says whose it is on its status's line; its picker assigns to me, another analyst or nobody, the assignee alone, in place, by mouse or keyboard", { skip }, async () => {
  const page = ui.page;
  await alertRowsBecome(page, [1, 2, 3, 4]);
  assert.deepEqual([await chipOf(1), await chipOf(2), await chipOf(4)], ['assign', 'night-shift-lead', 'you']);
  // one line: the picker beside the status, not a line of its own under it (rows stay as tall as before assignment)
  assert.equal(await sameLine('tr[data-finding="1"] .status-chip', 'tr[data-finding="1"] .assignee-chip'), true, 'unassigned: on the status line');
  assert.equal(await sameLine('tr[data-finding="4"] .status-chip', 'tr[data-finding="4"] .assignee-chip'), true, 'mine: on the status line');
  const heights = await page.evaluate<number[]>(`[1, 3].map((id) => document.querySelector('tr[data-finding="' + id + '"]').getBoundingClientRect().height)`);
  assert.ok(heights.every((h) => h <= 44), `an open, unassigned row is one line tall: ${heights}`);
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-assign-1440.png') });

  // another analyst, by mouse: the names come from /api/findings/assignees, me first
  await row(1).getByRole('button', { name: 'Assign finding 1' }).click();
  const pop = row(1).getByRole('group', { name: 'Assign finding 1' });
  await pop.getByRole('button', { name: 'carol' }).waitFor();
  assert.deepEqual(await pop.getByRole('button').allTextContents(), [`me (${USER})`, 'carol', 'night-shift-lead'], 'nobody is not offered while nobody has it');
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-assign-picker-1440.png') });
  await pop.getByRole('button', { name: 'carol' }).click();
  await untilInPage(page, `document.querySelector('tr[data-finding="1"] .assignee-chip')?.textContent.startsWith('carol') === true`);
  assert.deepEqual([lastOf('PATCH').path, lastOf('PATCH').body], ['/api/findings/1', { assignee: 'carol' }], 'the assignee alone: no status');
  assert.match((await row(1).getByRole('button', { name: /^Status of finding 1: open/ }).textContent()) ?? '', /open/, 'the status stays');

  // by keyboard: Enter opens, Tab reaches me, Enter picks and the focus comes back to the chip; Escape closes
  const chip = row(1).getByRole('button', { name: 'Finding 1 is assigned to carol; assign it to another or nobody' });
  await chip.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate<string>('document.activeElement.textContent'), `me (${USER})`);
  await page.keyboard.press('Enter');
  await untilInPage(page, `document.querySelector('tr[data-finding="1"] .assignee-chip.mine') !== null`);
  assert.deepEqual(lastOf('PATCH').body, { assignee: USER });
  assert.match(await page.evaluate<string>('document.activeElement.getAttribute("aria-label")'), /^Finding 1 is assigned to you/);
  await page.keyboard.press('Enter');
  await row(1).getByRole('button', { name: 'nobody (unassign)' }).click();
  await untilInPage(page, `document.querySelector('tr[data-finding="1"] .assignee-chip.nobody') !== null`);
  assert.deepEqual(lastOf('PATCH').body, { assignee: null });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await untilInPage(page, `document.querySelector('tr[data-finding="1"] .assign-pop') === null`);
  // another's: taken over
  await row(2).getByRole('button', { name: 'Finding 2 is assigned to night-shift-lead; assign it to another or nobody' }).click();
  await row(2).getByRole('button', { name: `me (${USER})` }).click();
  await untilInPage(page, `document.querySelector('tr[data-finding="2"] .assignee-chip.mine') !== null`);
});

test('at 1440 px the filters fit on the head line, Assigned too', { skip }, async () => {
  const page = ui.page;
  const boxes = await page.evaluate<Record<string, [number, number]>>(
    `Object.fromEntries(['.alerts-head h2', '.status-filter', 'select[aria-label="Detector"]', 'select[aria-label="Sort"]', 'select[aria-label="Triaged"]', 'select[aria-label="Assigned"]'].map((s) => { const r = document.querySelector(s).closest('.alerts-head > *').getBoundingClientRect(); return [s, [Math.round(r.top), Math.round(r.bottom)]]; }))`,
  );
  // on one line: each box overlaps every other top to bottom (a label over its menu makes a field taller than a button)
  const lowestTop = Math.max(...Object.values(boxes).map((b) => b[0]));
  const highestBottom = Math.min(...Object.values(boxes).map((b) => b[1]));
  assert.ok(lowestTop < highestBottom, `one line: ${JSON.stringify(boxes)}`);
});

test('the Assigned menu asks for assignee=me or none, keeps it in the address, counts by it, and a reload keeps it', { skip }, async () => {
  const page = ui.page;
  const menu = page.getByLabel('Assigned', { exact: true });
  assert.equal(await menu.inputValue(), '', 'anyone by default');
  await menu.selectOption({ label: 'me' });
  await alertRowsBecome(page, [2, 4]);
  assert.equal(lastOf('GET').query.get('assignee'), 'me');
  assert.match(page.url(), /[?&]assignee=me(&|$)/);
  await menu.selectOption({ label: 'unassigned' });
  await alertRowsBecome(page, [1, 3]);
  assert.equal(lastOf('GET').query.get('assignee'), 'none');
  // the status buttons count the unassigned: 9 more open on the server, and 1 and 3
  await untilInPage(page, `document.querySelector('.status-filter [aria-pressed="true"] .filter-count')?.textContent === '11'`);
  // Assigning to me on an unassigned list: the row no longer matches, dimmed until the next refresh
  await row(3).getByRole('button', { name: 'Assign finding 3' }).click();
  await row(3).getByRole('button', { name: `me (${USER})` }).click();
  await untilInPage(page, `document.querySelector('tr[data-finding="3"]')?.classList.contains('settled') === true`);
  assert.equal(await row(3).getAttribute('title'), 'No longer matches the Assigned filter: it leaves the list at the next refresh');
  await page.reload();
  await alertRowsBecome(page, [1]);
  assert.equal(await page.getByLabel('Assigned', { exact: true }).inputValue(), 'none');
});

test('the bar assigns the ticked rows to me, and all that match with Triaged and Assigned on: counted and sent with the filters', { skip }, async () => {
  const page = ui.page;
  await page.getByLabel('Assigned', { exact: true }).selectOption({ label: 'anyone' });
  await alertRowsBecome(page, [1, 2, 3, 4]);
  await page.getByLabel('Select finding 1', { exact: true }).check();
  const bar = page.getByRole('form', { name: 'Triage of the selected findings' });
  // styled as the bar's other buttons: a border, not plain text
  const look = await page.evaluate<string[]>(`[...document.querySelectorAll('form.bulk-triage .bulk-assign, form.bulk-triage .act-resolved')].map((b) => getComputedStyle(b).borderTopColor + ' ' + getComputedStyle(b).borderTopStyle)`);
  assert.equal(look.length, 2);
  assert.equal(look[0], look[1], 'Assign to has the border Resolved has');
  await bar.getByRole('button', { name: 'Assign the 1 selected findings to' }).click();
  await bar.getByRole('button', { name: 'night-shift-lead' }).click();
  await untilInPage(page, `document.querySelector('tr[data-finding="1"] .assignee-chip')?.textContent.startsWith('night-shift-lead') === true`);
  assert.deepEqual(lastOf('PATCH').body, { ids: [1], assignee: 'night-shift-lead' });
  await page.getByLabel('Select finding 1', { exact: true }).check();
  await bar.getByRole('button', { name: 'Assign the 1 selected findings to' }).click();
  await bar.getByRole('button', { name: `me (${USER})` }).click();
  await untilInPage(page, `document.querySelector('tr[data-finding="1"] .assignee-chip.mine') !== null`);
  assert.deepEqual(lastOf('PATCH').body, { ids: [1], assignee: USER });

  // handover: what the night triaged in the last 12 h; the counts are asked with it and shown (they were left out while Triaged was on)
  await page.getByLabel('Triaged', { exact: true }).selectOption({ label: 'last 12 h' });
  await alertRowsBecome(page, [2]);
  await untilInPage(page, `document.querySelector('.status-filter [aria-pressed="true"] .filter-count')?.textContent === '10'`);
  assert.equal(countsAsked.at(-1)!.get('triagedSince'), '-12h');
  await page.getByLabel('Select every finding shown').check();
  await bar.getByRole('button', { name: /^select all \d+ that match$/ }).click();
  await bar.getByRole('button', { name: /^Assign the \d+ selected findings to$/ }).click();
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-assign-bar-1440.png') });
  await bar.getByRole('button', { name: `me (${USER})` }).click();
  await bar.getByRole('button', { name: /^Yes, assign \d+ findings to me$/ }).click();
  await untilInPage(page, `document.querySelector('form.bulk-triage') === null`);
  const sent = lastOf('PATCH');
  assert.equal(sent.path, '/api/findings/matching');
  assert.deepEqual({ ...sent.body, match: { ...(sent.body!.match as object), readAt: 0 } }, { match: { triagedSince: '-12h', readAt: 0 }, assignee: USER });
  await page.getByRole('button', { name: 'Show every finding' }).click();
  await alertRowsBecome(page, [1, 2, 3, 4]);
});

test('at 768 px the head takes two lines, the filters whole on the second, and the picker stays in its cell: nothing scrolls sideways', { skip }, async () => {
  const page = ui.page;
  await page.setViewportSize({ width: 768, height: 1000 });
  FINDINGS[2]!.triage.assignee = 'night-shift-lead';
  await page.reload();
  await alertRowsBecome(page, [1, 2, 3, 4]);
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-assign-768.png'), fullPage: true });
  assert.equal(await pageScrollsSideways(page), false);
  // each chip inside its cell; each filter whole inside the head (a label never parted from its menu)
  const inside = await page.evaluate<boolean>(`[...document.querySelectorAll('.assignee-chip')].every((l) => { const c = l.closest('td').getBoundingClientRect(); const r = l.getBoundingClientRect(); return r.right <= c.right + 1; })`);
  assert.equal(inside, true);
  const whole = await page.evaluate<boolean>(`[...document.querySelectorAll('.alerts-head .inline-field')].every((f) => { const l = f.getBoundingClientRect(); const s = f.querySelector('select').getBoundingClientRect(); const h = f.closest('.alerts-head').getBoundingClientRect(); return s.left >= l.left - 1 && s.right <= l.right + 1 && l.right <= h.right + 1; })`);
  assert.equal(whole, true);
  // two lines, not three: the title and status buttons, then the five filters on one line, each label over its menu
  const lines = await page.evaluate<{ status: number; filters: number[]; labelOver: boolean }>(
    `(() => { const fields = [...document.querySelectorAll('.alerts-head > .inline-field')]; return { status: document.querySelector('.alerts-head .status-filter').getBoundingClientRect().bottom, filters: fields.map((f) => Math.round(f.getBoundingClientRect().top)), labelOver: fields.every((f) => f.querySelector('select').getBoundingClientRect().top - f.getBoundingClientRect().top > 8) }; })()`,
  );
  assert.equal(lines.filters.length, 5);
  assert.ok(Math.max(...lines.filters) - Math.min(...lines.filters) <= 2 && lines.filters[0]! >= lines.status, `the filters on one line under the status buttons: ${JSON.stringify(lines)}`);
  assert.equal(lines.labelOver, true, 'each label over its menu');
  await page.setViewportSize({ width: 1440, height: 900 });
});

test("the history says when a finding was unassigned because its user was removed or made a viewer, and by whom", { skip }, async () => {
  const page = ui.page;
  await row(4).getByRole('button', { name: /^Status of finding 4: / }).click();
  const log = page.getByRole('list', { name: 'Status history of finding 4' });
  await log.waitFor();
  assert.deepEqual((await log.getByRole('listitem').allTextContents()).map((t) => t.replace(/^\S+ \S+ UTC /, '')), [
    'unassigned: user carol removed by admin',
    'assigned to carol by night',
    'unassigned: user vera made a viewer by admin',
    'assigned to vera by night',
  ]);
  await row(4).getByRole('button', { name: /^Status of finding 4: / }).click();
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The Alerts page over a busy store: sixty findings listed, thousands counted. At 1440 px the status
 * buttons' four-digit counts ("Open 1,234") put Assigned on a second line of the head; the head holds its
 * filters on one line with five-digit ones too. At 768 px the Why had what the other columns left (~140 px
 * beside a long entity and an acknowledged status with its note, three words a line): it goes under the
 * entity, the column's full width, the head's columns over the rows' as a table's are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, skipReason, loggedInUi, untilInPage, pageScrollsSideways } from './browser.js';
import { LONG_NOTE, openAlertsAt, playedSynFinding } from './played-findings.js';

/** a box as getBoundingClientRect gives it */
interface Box {
  top: number;
  bottom: number;
  left: number;
  width: number;
}

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const open = { status: 'open', note: '', by: null, at: null };
const acked = { status: 'acknowledged', note: LONG_NOTE, by: 'admin', at: NOW - 25_000, assignee: 'night-shift-analyst', assignedAt: NOW - 20_000 };
const SUMMARIES = [
  '185 SYNs to 184 ports on 1 host in 1.4 s, 132.9/s; 6 windows (5 of 32 SYNs, 1 of 25), best run of 4: 1.000; raised the score most: number of hosts tried, ports tried',
  '400 SYNs to 341 ports on 1 host',
];
const URL_ENTITY = 'outlook-webmail.password-reset.click/wp-includes/update.exe';
const synFindings = Array.from({ length: 58 }, (_, i) => playedSynFinding(200 - i, NOW - (i + 2) * 60_000, i % 5 === 0 ? acked : open, SUMMARIES[i % SUMMARIES.length]));
const findings = [
  // a long IPv6 address (kept whole) and a weighted URL beside an acknowledged, assigned status
  { ...playedSynFinding(300, NOW - 10_000, acked, SUMMARIES[0]), entity: 'ip:2001:db8:85a3:1234:5678:8a2e:370:7334', evidence: { query: 'ip:2001:db8:85a3:1234:5678:8a2e:370:7334', from: NOW - 70_000, to: NOW } },
  {
    ...playedSynFinding(301, NOW - 60_000, acked),
    detector: 'url',
    entity: `url:${URL_ENTITY}`,
    explanation: { summary: 'score 1.000: most suspicious "includes/update.exe" (path), "-reset" (host)', detail: { weights: [...URL_ENTITY].map((_, i) => (i % 7) / 10) } },
    evidence: { query: 'sub:"outlook-webmail.password-reset.click"', from: NOW - 120_000, to: NOW },
  },
  ...synFindings,
];
let counts: Record<string, number> = { open: 1234, acknowledged: 5678, resolved: 9012, 'false-positive': 3456 };

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.route((u) => u.pathname === '/api/findings' && u.search.includes('status'), (r) => r.fulfill({ json: { findings, readAt: Date.now(), next: 'more' } }));
  await openAlertsAt(page, () => counts, '', findings[findings.length - 1]!.id);
});

/** The head's controls (the status buttons and each menu), their top and bottom edges (px). */
function headControls(page: Page): Promise<{ name: string; top: number; bottom: number }[]> {
  return page.evaluate(`[...document.querySelectorAll('.alerts-head .status-filter, .alerts-head select')].map((el) => {
    const r = el.getBoundingClientRect();
    return { name: el.getAttribute('aria-label'), top: r.top, bottom: r.bottom };
  })`);
}

for (const [digits, shown, set] of [
  [4, '1,234', { open: 1234, acknowledged: 5678, resolved: 9012, 'false-positive': 3456 }],
  [5, '12,345', { open: 12345, acknowledged: 56789, resolved: 90123, 'false-positive': 34567 }],
] as const) {
  test(`at 1440 px the head holds the status buttons and every menu on one line with ${digits}-digit counts`, { skip }, async () => {
    const page = ui.page;
    counts = { ...set };
    await page.reload();
    await untilInPage(page, `[...document.querySelectorAll('.alerts-head .filter-count')].some((c) => c.textContent === ${JSON.stringify(shown)})`);
    await page.screenshot({ path: join(ARTIFACTS, `alerts-head-1440-${digits}-digits.png`) });
    const controls = await headControls(page);
    assert.equal(controls.length, 6, JSON.stringify(controls));
    // on one line: each control's box overlaps every other's, top to bottom
    const lowestTop = Math.max(...controls.map((c) => c.top));
    const highestBottom = Math.min(...controls.map((c) => c.bottom));
    assert.ok(lowestTop < highestBottom, `the head's controls are on more than one line: ${JSON.stringify(controls)}`);
    assert.equal(await pageScrollsSideways(page), false);
  });
}

test("at 768 px each finding's Why is under its entity, as wide as the entity's column, and the head's columns stand over the rows'", { skip }, async () => {
  const page = ui.page;
  await page.setViewportSize({ width: 768, height: 1000 });
  await untilInPage(page, "document.querySelector('.alerts .table-wrap').clientWidth < 768");
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-why-768.png') });
  const rows = await page.evaluate<{ id: string; entity: Box; why: Box }[]>(`[...document.querySelectorAll('table.alerts-table tr[data-finding]')].map((tr) => ({
    id: tr.dataset.finding,
    entity: tr.querySelector('td.c-entity').getBoundingClientRect().toJSON(),
    why: tr.querySelector('td.c-why').getBoundingClientRect().toJSON(),
  }))`);
  assert.equal(rows.length, findings.length);
  for (const { id, entity, why } of rows) {
    // it was ~140 px at most beside the entity; the column is ~320 px under it
    assert.ok(why.width >= 280, `finding ${id}'s Why is ${why.width} px wide`);
    assert.ok(why.top >= entity.bottom - 1 && Math.abs(why.left - entity.left) <= 1, `finding ${id}'s Why is under its entity: ${JSON.stringify({ entity, why })}`);
    // the entity's first line and the Why's first line are near: no gap left by a taller cell beside them
    assert.ok(why.top - entity.bottom <= 4, `finding ${id}'s Why starts ${why.top - entity.bottom} px under its entity`);
  }
  // each column name over its cells
  const lefts = await page.evaluate<number[][]>(`['c-score', 'c-status', 'c-entity', 'c-last'].map((c) => [
    document.querySelector('table.alerts-table thead th.' + c).getBoundingClientRect().left,
    document.querySelector('table.alerts-table tr[data-finding] td.' + c).getBoundingClientRect().left,
  ])`);
  for (const [th, td] of lefts) assert.ok(Math.abs(th! - td!) <= 1, `a column name stands over its cells: ${JSON.stringify(lefts)}`);
  const wrap = await page.locator('.alerts .table-wrap').evaluate((el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(wrap[0]! <= wrap[1]! + 1, `the table needs no sideways scroll at 768 px: ${wrap.join(' > ')}`);
  assert.equal(await pageScrollsSideways(page), false);
  for (const id of [300, 301]) {
    const box = await page.getByRole('link', { name: `Evidence of finding ${id} in the search page` }).boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.x + box.width <= 768, `finding ${id}'s evidence button within 0–768: ${JSON.stringify(box)}`);
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

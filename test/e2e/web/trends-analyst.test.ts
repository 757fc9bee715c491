/**
 * What a night-shift analyst asks the Trends page (a walk found it could not say): when (dates under the
 * lines), what held a probability down (lowering drivers), only the types I watch (a filter kept in the
 * URL), and which documents a count is (the reports of a period, listed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, pageScrollsSideways, skipReason, loggedInUi, trendsCard, untilInPage } from './browser.js';
import type { TrendsPointBody } from '../../../src/serve/api-trends.js';

/** The window at a phone's 420 px, once the page has laid itself out for it. */
async function toPhone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 420, height: 860 });
  await untilInPage(page, 'document.documentElement.clientWidth <= 420');
}

const skip = skipReason();
const problems: string[] = [];
const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const DAY = 86_400_000;

/** Three attack types over `n` days ending 2026-12-06 (the current, partial day). */
function reply(n = 90) {
  const starts = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 11, 6) - (n - 1 - i) * DAY).toISOString());
  const type = (t: string, label: string) => ({
    type: t,
    label,
    points: starts.map((start, i): TrendsPointBody => ({ start, observed: (i * 7) % 5, probability: 0.2 + ((i * 3) % 7) / 20, ...(i === n - 1 ? { partial: true } : {}) })),
    next: {
      start: '2026-12-07T00:00:00.000Z',
      probability: 0.245,
      drivers: [{ name: 'own:ma_long', weight: 0.48 }],
      calendar: [],
      documents: [],
      warning: null,
    },
  });
  return {
    period: 'day',
    generatedAt: '2026-12-06T12:00:00.000Z',
    basis: { historyDocs: 0, collectedDocs: 166, window: { from: '2026-11-09T00:00:00.000Z', periods: 28, history: 0, collected: 166, demo: 0 } },
    caveat: null,
    warning: null,
    types: [type('ransomware', 'Ransomware'), type('ddos', 'DDoS'), type('malware', 'Malware')],
    sources: [],
  };
}

/** The date labels under a line, and whether any two of them overlap on screen. */
async function axis(card: import('playwright-core').Locator, name: string): Promise<{ dates: string[]; overlap: boolean; inside: boolean }> {
  const ax = card.getByRole('list', { name });
  const dates = await ax.locator('time').allTextContents();
  const boxes = await ax.locator('time').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { left: number; right: number }));
  const line = (await ax.boundingBox())!;
  let overlap = false;
  for (let i = 1; i < boxes.length; i++) if (boxes[i]!.left < boxes[i - 1]!.right + 4) overlap = true;
  const inside = boxes.every((b) => b.left >= line.x - 0.5 && b.right <= line.x + line.width + 0.5);
  return { dates, overlap, inside };
}

test('trends: each line has dates under it, the first and last period and some between, none overlapping, at 1280 and 420 px', { skip }, async () => {
  const page = ui.page;
  try {
    const card = await trendsCard(page, ui.srv.base, reply());
    const reports = await axis(card, 'Ransomware reports: day starting');
    assert.equal(reports.dates[0], '2026-09-08');
    assert.equal(reports.dates.at(-1), '2026-12-06');
    assert.ok(reports.dates.length >= 3, JSON.stringify(reports.dates));
    assert.ok(reports.dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)), JSON.stringify(reports.dates));
    assert.equal(reports.overlap, false, JSON.stringify(reports.dates));
    assert.equal(reports.inside, true, 'the labels stay under the line');
    assert.deepEqual((await axis(card, 'Ransomware predicted probability: day starting')).dates, reports.dates);
    await card.screenshot({ path: join(ARTIFACTS, 'trends-axis-1280.png') });
    await toPhone(page);
    const narrow = await axis(card, 'Ransomware reports: day starting');
    assert.equal(narrow.overlap, false, JSON.stringify(narrow.dates));
    assert.equal(narrow.inside, true);
    assert.deepEqual([narrow.dates[0], narrow.dates.at(-1)], ['2026-09-08', '2026-12-06']);
    assert.equal(await pageScrollsSideways(page), false);
    await card.screenshot({ path: join(ARTIFACTS, 'trends-axis-420.png') });
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.unrouteAll();
  }
});

test('trends: what lowered a probability is listed apart from what raised it, marked as lowering, with a minus sign', { skip }, async () => {
  const page = ui.page;
  const r = reply(6);
  r.types[0]!.next.drivers = [{ name: 'own:ma_long', weight: 0.48 }];
  (r.types[0]!.next as Record<string, unknown>)['lowering'] = [
    { name: 'own:ma_short', weight: -0.31, below: true },
    { name: 'term:patch', weight: -0.12 },
    { name: 'total:last', weight: -0.001 },
  ];
  try {
    const card = await trendsCard(page, ui.srv.base, r);
    const raised = card.getByRole('list', { name: 'raised it' });
    const lowered = card.getByRole('list', { name: 'lowered it' });
    assert.deepEqual(await raised.locator('li').allTextContents(), ['reported often in the last 28 days +0.48']);
    // "reported rarely" lowered it: the low value is the reason, and the weight says which way
    assert.deepEqual(await lowered.locator('li').allTextContents(), ['reported rarely in the last 7 days \u22120.31', '“patch” in recent texts \u22120.12']);
    assert.equal(await card.locator('.trend-drivers-head.lowering').textContent(), '▼ lowered it');
    await card.screenshot({ path: join(ARTIFACTS, 'trends-lowering.png') });
  } finally {
    await page.unrouteAll();
  }
});

test('trends: chips choose the attack types shown, the URL keeps the choice, a link reproduces it, "all" shows every type again', { skip }, async () => {
  const page = ui.page;
  const cards = () => page.locator('section.trend-card h3').allTextContents();
  const chips = page.getByRole('group', { name: 'attack types shown' });
  const types = () => new URL(page.url()).searchParams.get('types');
  try {
    await page.route(
      (u) => u.pathname === '/api/trends',
      (r) => r.fulfill({ json: reply(6) }),
    );
    await page.goto(`${ui.srv.base}/trends?period=day`);
    await page.getByRole('region', { name: 'Malware' }).waitFor();
    assert.deepEqual(await cards(), ['Ransomware', 'DDoS', 'Malware'], 'every type by default');
    assert.equal(await chips.getByRole('button', { name: 'all' }).getAttribute('aria-pressed'), 'true');
    await chips.getByRole('button', { name: 'DDoS' }).click();
    await untilInPage(page, 'document.querySelectorAll("section.trend-card").length === 1');
    assert.deepEqual(await cards(), ['DDoS']);
    assert.equal(types(), 'ddos');
    await chips.getByRole('button', { name: 'Ransomware' }).click();
    await untilInPage(page, 'document.querySelectorAll("section.trend-card").length === 2');
    assert.deepEqual(await cards(), ['Ransomware', 'DDoS']);
    assert.equal(types(), 'ransomware,ddos');
    assert.deepEqual(await chips.locator('[aria-pressed=true]').allTextContents(), ['Ransomware', 'DDoS']);
    // the link alone, in a fresh load, shows the same cards
    await page.goto(`${ui.srv.base}/trends?period=day&types=${encodeURIComponent('ddos,ransomware')}`);
    await page.getByRole('region', { name: 'DDoS' }).waitFor();
    assert.deepEqual(await cards(), ['Ransomware', 'DDoS']);
    await page.screenshot({ path: join(ARTIFACTS, 'trends-filter.png') });
    await chips.getByRole('button', { name: 'all' }).click();
    await untilInPage(page, 'document.querySelectorAll("section.trend-card").length === 3');
    assert.equal(types(), null);
    assert.equal(new URL(page.url()).searchParams.get('period'), 'day', 'the period stays');
    // the narrow page wraps the chips, not the page
    await toPhone(page);
    assert.equal(await pageScrollsSideways(page), false);
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.unrouteAll();
  }
});

test('trends: a count\'s documents: pick a day (in the list or on the reports line) and see its reports, titles as text, links in a new tab, a page at a time', { skip }, async () => {
  const page = ui.page;
  const asked: URLSearchParams[] = [];
  // 23 reports on 2026-12-03: a title with markup, a javascript: link, one of them without a source
  const docs = Array.from({ length: 23 }, (_, i) => ({
    id: `doc:${i}`,
    title: i === 0 ? '<img src=x onerror="window.__owned=1">Botnet floods a studio' : `report ${i}`,
    url: i === 1 ? 'javascript:alert(1)' : i === 2 ? null : `https://news.example/${i}`,
    time: new Date(Date.UTC(2026, 11, 3, 23) - i * 60_000).toISOString(),
    source: i === 3 ? null : 'news',
    certainty: 0.9,
  }));
  const r = reply(6);
  // and 2 on 2026-12-05, in a month too sparse to count: no count, but reports all the same
  r.types[0]!.points = r.types[0]!.points.map((p, i) => (i === 4 ? { ...p, observed: null, uncounted: 2 } : { ...p, observed: i === 2 ? 23 : 0 }));
  try {
    await page.route(
      (u) => u.pathname === '/api/trends/documents',
      (route) => {
        const q = new URL(route.request().url()).searchParams;
        asked.push(q);
        const offset = Number(q.get('offset') ?? 0);
        const limit = Number(q.get('limit') ?? 20);
        return route.fulfill({ json: { type: q.get('type'), period: 'day', start: '2026-12-03T00:00:00.000Z', total: docs.length, offset, documents: docs.slice(offset, offset + limit) } });
      },
    );
    const card = await trendsCard(page, ui.srv.base, r);
    const pick = card.getByLabel('Ransomware: list the reports of');
    // the periods with reports, newest first: those counted, and those of a month too sparse to count, said so
    assert.deepEqual(await pick.locator('option').allTextContents(), ['choose a day…', '2026-12-05 · 2 reports, not counted: too few documents that month', '2026-12-03 · 23 reports']);
    // a click on the reports line picks the period nearest it with reports
    const line = (await card.locator('.trend-pick').boundingBox())!;
    await page.mouse.click(line.x + line.width * 0.1, line.y + line.height / 2);
    const list = card.getByRole('list', { name: 'Ransomware reports of 2026-12-03' });
    await list.locator('li').first().waitFor();
    assert.equal(await pick.inputValue(), '2026-12-03T00:00:00.000Z');
    assert.deepEqual([asked[0]!.get('type'), asked[0]!.get('start'), asked[0]!.get('period')], ['ransomware', '2026-12-03T00:00:00.000Z', 'day']);
    assert.equal(await list.locator('li').count(), 20);
    assert.match((await card.locator('.trend-period-docs .trend-note').first().textContent()) ?? '', /^20 of 23 reports, newest first$/);
    // the title is text: no element from it, and nothing it carried ran
    assert.equal(await list.locator('img').count(), 0);
    assert.match((await list.locator('li').first().textContent()) ?? '', /^2026-12-03 23:00 <img src=x onerror="window.__owned=1">Botnet floods a studio · news · classified 0\.90$/);
    assert.equal(await page.evaluate('window.__owned === undefined'), true);
    // a web link opens in a new tab without handing this page over; a javascript: or missing URL is no link
    const first = list.locator('li').first().locator('a');
    assert.equal(await first.getAttribute('href'), 'https://news.example/0');
    assert.equal(await first.getAttribute('target'), '_blank');
    assert.equal(await first.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await list.locator('li').nth(1).locator('a').count(), 0);
    assert.equal(await list.locator('li').nth(2).locator('a').count(), 0);
    assert.doesNotMatch((await list.locator('li').nth(3).textContent()) ?? '', /·.*·.*·/, 'no source, none said');
    // the next page
    await card.getByRole('button', { name: '3 more' }).click();
    await untilInPage(page, 'document.querySelectorAll(".trend-period-docs li").length === 23');
    assert.equal(asked.at(-1)!.get('offset'), '20');
    assert.equal(await card.getByRole('button', { name: /more$/ }).count(), 0);
    await card.screenshot({ path: join(ARTIFACTS, 'trends-period-documents.png') });
    await toPhone(page);
    assert.equal(await pageScrollsSideways(page), false);
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.unrouteAll();
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * Every page on a phone (420 px) and a tablet (768 px), with data on it (log lines, a URL finding, a flood
 * with its bursts open, the hosts board's replay, a pasted report, a pivot graph, the trends cards): the
 * document does not scroll sideways, and nothing sticks out of the window unless it is inside a frame
 * that scrolls (or clips) on its own, as a wide table's does. Screenshots of each page at 420 px (both
 * themes), 768 px and 1400 px go to test-artifacts/web/narrow-*.png. Where a page's table would squeeze
 * its main column (`roomy`), that column keeps a width; where a list met its panel's border (`inset`), it
 * keeps a margin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, ROOT, apiGet, sendSyslog, skipReason, until, untilInPage, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const MARKER = `narrowpages${process.pid}`;
const NOW = Date.now();
const URL_A = `http://paypal.com.secure-login.verify-account-update-billing-information.xyz/webscr/cgi-bin/signin?cmd=_login-run&dispatch=5885d80a13c0db1f8e&${MARKER}`;

/** A flood with bursts not kept and earlier floods, as the SYN board writes it (its toggle is opened). */
const FLOOD = {
  id: 9101,
  detector: 'syn-flood',
  entity: 'ip:10.20.0.80',
  score: 1,
  threshold: 0.93,
  modelVersion: 'test',
  time: NOW,
  firstSeen: NOW - 7_200_000,
  lastSeen: NOW,
  count: 4,
  sightedAt: NOW,
  triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null },
  evidence: { query: 'ip:10.20.0.80 port:443', from: NOW - 7_200_000, to: NOW },
  explanation: {
    summary: 'SYN flood against 10.20.0.80 port 443: 1420 sources of 1–2 SYNs scored ≥ 0.93; it came in 9 episodes',
    detail: {
      sources: 1420,
      dport: 443,
      examples: ['198.51.100.7 0.991'],
      episodes: [
        { from: NOW - 900_000, to: NOW - 700_000, sources: 300, examples: ['198.51.100.7 0.991', '198.51.100.8 0.975', '198.51.100.9 0.970'] },
        { from: NOW - 60_000, to: NOW, sources: 120, examples: ['203.0.113.5 0.990'] },
      ],
      episodeCount: 9,
      // the longest note: '… 7 more bursts between, not kept (1000 sources)'
      droppedSources: 1000,
      earlier: [{ from: NOW - 7_200_000, to: NOW - 6_000_000, sources: 80, examples: ['192.0.2.1 0.950', '192.0.2.2 0.940'], episodeCount: 2 }],
      earlierCount: 4,
      // the restart line at its longest: '… 2 server restarts: 1300 sources before the latest …'
      beforeRestart: { to: NOW - 700_000, sources: 1300, restarts: 2 },
    },
  },
};

/**
 * What each page is opened at, what it shows once its data is there, and the frames that must not need
 * to scroll sideways either (`fits`: a row's actions out of sight in its own frame are as lost).
 */
const PAGES: { name: string; path: string; ready: (page: Page) => Promise<unknown>; fits?: string; roomy?: [string, number]; inset?: [string, string, number]; then?: (page: Page) => Promise<unknown> }[] = [
  {
    name: 'search',
    path: `/search?q=${MARKER}`,
    ready: (p) => p.locator('tr.hit').first().waitFor(),
    // and a line opened: its fields spanned the two hidden columns too, which came back empty and left
    // the message ~90 px at 420 px
    then: (p) => p.locator('tr.hit .row-toggle').first().click(),
    roomy: ['.results-table tbody tr:first-child td.c-msg', 200],
  },
  { name: 'live', path: '/live', ready: (p) => p.locator('.tail-head .conn', { hasText: 'streaming' }).waitFor() },
  {
    name: 'hosts',
    path: '/hosts',
    ready: async (p) => {
      await p.locator('.hosts-board').waitFor();
      // the replayed capture's sources sent one or two SYNs each: listed
      const hide = p.getByLabel('hide 1–2 SYN sources');
      if (await hide.isChecked()) await hide.uncheck();
      await p.locator('.hosts-table').waitFor();
    },
  },
  {
    name: 'alerts',
    path: '/alerts',
    fits: '.alerts .table-wrap',
    // and a finding's triage form open under it
    then: (p) => p.getByRole('button', { name: new RegExp(`^Status of finding ${FLOOD.id}: .*; change it$`) }).click(),
    ready: async (p) => {
      await p.locator(`tr[data-finding="${FLOOD.id}"]`).waitFor();
      const toggle = p.getByRole('button', { name: `Show 9 bursts · 4 earlier floods of finding ${FLOOD.id}` });
      if ((await toggle.count()) > 0) await toggle.click();
    },
  },
  {
    name: 'assist',
    path: '/assist',
    // the record's values had ~70 px at 420 px, a word a line, beside the field and where it came from
    roomy: ['.assist-record tbody tr:first-child td:nth-child(2)', 150],
    ready: async (p) => {
      if ((await p.locator('section[aria-label="Normalized record"]').count()) > 0) return;
      await p.getByLabel('Report text').fill(readFileSync(join(ROOT, 'test', 'fixtures', 'assist', 'seed-verbatim.txt'), 'utf8'));
      await p.getByRole('button', { name: 'Analyze' }).click();
      await p.locator('section[aria-label="Similar incidents"]').waitFor();
    },
  },
  {
    name: 'investigate-start',
    path: '/investigate',
    ready: (p) => p.locator('.start-points li').first().waitFor(),
    // the recent findings' list met the panel's border on both sides at 420 px
    inset: ['.start-points li', 'main.page .panel', 8],
  },
  { name: 'investigate', path: `/investigate?entity=${encodeURIComponent('ip:198.51.100.1')}`, ready: (p) => p.locator('section[aria-label="Relation graph"] canvas').first().waitFor() },
  { name: 'account', path: '/account', ready: (p) => p.locator('table.users-table tr[data-user]').first().waitFor() },
  { name: 'trends', path: '/trends', ready: (p) => p.locator('section.trend-card, .empty').first().waitFor({ timeout: 60_000 }) },
];

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  const at = (i: number) => new Date(NOW - (40 - i) * 1000).toISOString();
  await sendSyslog(ui.srv.tcpPort, [
    ...Array.from({ length: 40 }, (_, i) => `<38>1 ${at(i)} web-0${i % 3} sshd ${1000 + i} - - Failed password for user${i % 5} from 198.51.100.${(i % 20) + 1} port ${40000 + i} ssh2 ${MARKER} seq${i}`),
    `<38>1 ${at(40)} proxy-01 squid 91 - - GET ${URL_A} 200 ${MARKER}`,
  ]);
  await until(async () => (await apiGet<{ findings: { entity: string }[] }>(ui.srv, '/api/findings?detector=url&limit=100')).body.findings.some((f) => f.entity.includes(MARKER)), 'a URL finding');
  // the flood row joins the findings the node has
  await page.route(
    (u) => u.pathname === '/api/findings',
    async (r) => {
      const real = await r.fetch();
      const body = (await real.json()) as { findings: unknown[] };
      await r.fulfill({ json: { ...body, findings: [FLOOD, ...body.findings] } });
    },
  );
  await page.getByLabel('Search query').waitFor();
});

/**
 * Whether the document scrolls sideways, and what sticks out of the window past its right edge (or its
 * left) without an ancestor that scrolls or clips it (a table's own frame): `tag.class` of each, widest first.
 */
const overflow = (page: Page) =>
  page.evaluate<{ doc: number; win: number; out: string[] }>(`(() => {
    const win = innerWidth;
    const framed = (el) => {
      for (let p = el.parentElement; p !== null && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if ((r.right > win + 1 || r.left < -1) && !framed(el)) out.push([r.right, el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.left) + '–' + Math.round(r.right)]);
    }
    out.sort((a, b) => b[0] - a[0]);
    return { doc: document.documentElement.scrollWidth, win, out: out.slice(0, 8).map((x) => x[1]) };
  })()`);

const setTheme = (page: Page, theme: 'dark' | 'light') => page.evaluate(`localStorage.setItem('nml.theme', ${JSON.stringify(theme)}); document.documentElement.dataset.theme = ${JSON.stringify(theme)}; dispatchEvent(new Event('nml:theme'))`);

/** Adds to `wrong` what scrolls sideways or sticks out on `p` at `width`, and takes its screenshots (dark, and light at 420 px). */
async function check(page: Page, p: (typeof PAGES)[number], width: number, wrong: string[], suffix: string): Promise<void> {
  const o = await overflow(page);
  await setTheme(page, 'dark');
  await page.screenshot({ path: join(ARTIFACTS, `narrow-${p.name}-${width}${suffix}.png`), fullPage: true });
  if (width === 420) {
    await setTheme(page, 'light');
    await page.screenshot({ path: join(ARTIFACTS, `narrow-${p.name}-${width}${suffix}-light.png`), fullPage: true });
  }
  if (o.doc > o.win) wrong.push(`at ${width} px${suffix} the document is ${o.doc} px wide`);
  if (p.fits !== undefined) {
    const [scroll, client] = await page.locator(p.fits).evaluate((el) => [el.scrollWidth, el.clientWidth]);
    if (scroll! > client! + 1) wrong.push(`at ${width} px${suffix} ${p.fits} scrolls sideways: ${scroll} > ${client}`);
  }
  if (p.roomy !== undefined) {
    const [sel, min] = p.roomy;
    const w = await page.locator(sel).evaluate((el) => el.getBoundingClientRect().width);
    if (w < min) wrong.push(`at ${width} px${suffix} ${sel} is ${Math.round(w)} px wide, under ${min}`);
  }
  if (p.inset !== undefined) {
    const [sel, frame, min] = p.inset;
    const box = await page.locator(frame).first().evaluate((el) => el.getBoundingClientRect().toJSON() as { left: number; right: number });
    const els = await page.locator(sel).evaluateAll((all) => all.map((el) => el.getBoundingClientRect().toJSON() as { left: number; right: number }));
    const gap = Math.min(...els.map((r) => Math.min(r.left - box.left, box.right - r.right)));
    if (gap < min) wrong.push(`at ${width} px${suffix} ${sel} comes ${Math.round(gap)} px from the edge of ${frame}, under ${min}`);
  }
  if (o.out.length > 0) wrong.push(`at ${width} px${suffix} sticking out of the window: ${o.out.join(', ')}`);
}

for (const p of PAGES) {
  test(`${p.name}: at 420 and 768 px the page does not scroll sideways and nothing sticks out of the window`, { skip }, async () => {
    const page = ui.page;
    const wrong: string[] = [];
    // each width as the page opens on it (a graph lays itself out for the window it opens in)
    for (const width of [1400, 420, 768]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(ui.srv.base + p.path);
      await page.locator('main.page > *').first().waitFor();
      await p.ready(page);
      // the layout settles: two frames
      await untilInPage(page, 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
      if (width === 1400) {
        await setTheme(page, 'light');
        await page.screenshot({ path: join(ARTIFACTS, `narrow-${p.name}-1400.png`) });
        continue;
      }
      await check(page, p, width, wrong, '');
      if (p.then !== undefined) {
        await p.then(page);
        await check(page, p, width, wrong, '-then');
      }
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    assert.deepEqual(wrong, [], p.name);
  });
}

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

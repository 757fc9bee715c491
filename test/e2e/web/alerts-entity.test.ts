/**
 * Ways back to Alerts keep the host (a UI review: "Open the alerts" on Investigate and the Hosts board's
 * "acknowledged" mark listed every finding of the detector, many scored 0.95 to 1.000, and the operator
 * hunted for the row): they pass `entity`, the list asks for it and shows it as a chip that takes it off.
 * A URL finding's evidence link opens on its events (first seen to last seen, a margin), not the day
 * around them its evidence window reaches, which stays one click away; and a histogram of a few seconds
 * labels its ticks to the millisecond instead of repeating one second.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const DAY = 86_400_000;
const FIRST = Date.UTC(2026, 10, 30, 7, 15, 34, 0);
const LAST = FIRST + 5_000;
const finding = (id: number, detector: string, entity: string, status: string, over: object = {}) => ({
  id, detector, entity, score: 0.99, threshold: 0.9, modelVersion: 't', time: NOW, firstSeen: NOW - 60_000, lastSeen: NOW, count: 3,
  explanation: { summary: `finding ${id}`, detail: null }, evidence: { query: entity.slice(entity.indexOf(':') + 1), from: NOW - 60_000, to: NOW },
  triage: { status, note: '', by: status === 'open' ? null : 'night shift', at: status === 'open' ? null : NOW - 5_000, reopenedAt: null },
  ...over,
});
const FINDINGS = [
  finding(41, 'syn', 'ip:10.0.0.1', 'open'),
  // a URL finding: seen over 5 s, its evidence window a day either side
  finding(42, 'url', 'url:evil.example/x', 'open', { time: LAST, firstSeen: FIRST, lastSeen: LAST, evidence: { query: 'sub:"evil.example/x"', from: FIRST - DAY, to: LAST + DAY } }),
  finding(43, 'syn', 'ip:192.0.2.5', 'acknowledged'),
];
/** the `entity` of each /api/findings and /api/findings/counts request, '' when none */
const asked: string[] = [];
const counted: string[] = [];

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.route(
    (u) => u.pathname === '/api/findings',
    (r) => {
      const sp = new URL(r.request().url()).searchParams;
      const entity = sp.get('entity') ?? '';
      asked.push(entity);
      const statuses = sp.get('status')?.split(',');
      const shown = FINDINGS.filter((f) => (entity === '' || f.entity === entity) && (sp.get('detector') === null || f.detector === sp.get('detector')) && (statuses === undefined || statuses.includes(f.triage.status)));
      return r.fulfill({ json: { findings: shown, readAt: NOW } });
    },
  );
  await page.route(
    (u) => u.pathname === '/api/findings/counts',
    (r) => {
      counted.push(new URL(r.request().url()).searchParams.get('entity') ?? '');
      return r.fulfill({ json: { counts: { open: 2, acknowledged: 1, resolved: 0, 'false-positive': 0 } } });
    },
  );
  await page.route((u) => u.pathname === '/api/findings/clients', (r) => r.fulfill({ json: { who: {}, missing: [] } }));
  await page.route(
    (u) => u.pathname === '/api/pivot',
    (r) =>
      r.fulfill({
        json: { entity: 'ip:10.0.0.1', from: null, to: null, blocklist: [], articles: [], identity: null, periods: 1, tookMs: 1, groups: [{ relation: 'dns', direction: 'out', total: 1, neighbours: [{ entity: 'domain:a.example', count: 3, first: NOW - 60_000, last: NOW, blocklist: [], articles: 0, evidence: { q: 'a.example', from: NOW - 60_000, to: NOW } }] }] },
      }),
  );
  await page.getByLabel('Search query').waitFor();
});

const rows = () => ui.page.locator('table.alerts-table tbody tr[data-finding]');
const rowIds = async () => (await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-finding')))).join(',');

test("Investigate's \"Open the alerts\" opens the list on the node's findings, shown as a chip that takes the filter off", { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/investigate?entity=${encodeURIComponent('ip:10.0.0.1')}`);
  const open = page.getByRole('link', { name: 'Open the alerts' });
  await open.waitFor();
  const href = new URL((await open.getAttribute('href'))!, ui.srv.base);
  assert.equal(href.searchParams.get('entity'), 'ip:10.0.0.1');
  assert.equal(href.searchParams.get('detector'), 'syn');
  assert.equal(href.searchParams.get('status'), 'all', 'every status, as the Hosts board link');
  asked.length = 0;
  counted.length = 0;
  await open.click();
  await page.waitForURL((u) => u.pathname === '/alerts');
  await until(async () => (await rowIds()) === '41', 'only the node\'s finding listed');
  assert.ok(asked.length > 0 && asked.every((e) => e === 'ip:10.0.0.1'), `the list asked for the entity: ${asked.join(' | ')}`);
  assert.ok(counted.every((e) => e === 'ip:10.0.0.1'), 'the counts too');
  const chip = page.getByRole('group', { name: 'Entity filter' });
  assert.match((await chip.textContent()) ?? '', /ip:10\.0\.0\.1/);
  await page.locator('.alerts-head').screenshot({ path: join(ARTIFACTS, 'alerts-entity-chip.png') });
  await page.getByRole('button', { name: 'Remove the entity filter ip:10.0.0.1' }).click();
  await page.waitForURL((u) => !u.searchParams.has('entity') && u.searchParams.get('detector') === 'syn');
  await until(async () => (await chip.count()) === 0, 'the chip gone');
  assert.equal(asked.at(-1), '', 'the list asked again without it');
});

test("the Hosts board's acknowledged mark opens the alerts on that host", { skip }, async () => {
  const page = ui.page;
  const host = { ip: '192.0.2.5', score: 0.99, maxScore: 0.99, packets: 40, distinctPorts: 30, distinctDsts: 1, firstSeen: NOW - 60_000, lastSeen: NOW, explanation: { summary: 'scan' } };
  await page.route((u) => u.pathname === '/api/detect/syn/hosts', (r) => r.fulfill({ json: { hosts: [host], updatedAt: NOW, stats: { threshold: 0.5, packets: 40, tracked: 1, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: null } } }));
  await page.routeWebSocket((u) => u.pathname === '/api/detect/syn/live', () => undefined);
  await page.goto(`${ui.srv.base}/hosts`);
  const mark = page.getByRole('link', { name: /^192\.0\.2\.5: acknowledged/i });
  await mark.waitFor();
  const href = new URL((await mark.getAttribute('href'))!, ui.srv.base);
  assert.equal(href.searchParams.get('entity'), 'ip:192.0.2.5');
  await mark.click();
  await until(async () => (await rowIds()) === '43', 'the host\'s finding alone');
});

test("a URL finding's evidence opens on its events, a minute either side, and widens to the evidence window on request", { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/alerts?status=all`);
  const link = page.getByRole('link', { name: /^Evidence of finding 42/ });
  await link.waitFor();
  const href = new URL((await link.getAttribute('href'))!, ui.srv.base);
  assert.equal(href.searchParams.get('from'), new Date(FIRST - 60_000).toISOString());
  assert.equal(href.searchParams.get('to'), new Date(LAST + 1000 + 60_000).toISOString());
  assert.equal(href.searchParams.get('wideFrom'), new Date(FIRST - DAY).toISOString());
  assert.equal(href.searchParams.get('wideTo'), new Date(LAST + DAY).toISOString());
  await link.click();
  const widen = page.getByRole('button', { name: 'Widen to the evidence window' });
  await widen.waitFor();
  await page.locator('.search-page').screenshot({ path: join(ARTIFACTS, 'search-evidence-near.png') });
  await widen.click();
  await page.waitForURL((u) => u.searchParams.get('from') === new Date(FIRST - DAY).toISOString() && u.searchParams.get('to') === new Date(LAST + DAY).toISOString());
  await widen.waitFor({ state: 'detached' });
});

test('a histogram of a few seconds labels its ticks to the millisecond, each label once', { skip }, async () => {
  const page = ui.page;
  const from = FIRST;
  const to = FIRST + 3_000;
  await page.route(
    (u) => u.pathname === '/api/histogram',
    (r) => r.fulfill({ json: { from, to, interval: 50, buckets: Array.from({ length: 60 }, (_, i) => ({ t: from + i * 50, count: i % 7 })), total: 200, tookMs: 1, shardsSearched: 1, skipped: [] } }),
  );
  // the axis is drawn on a canvas: what it writes is kept
  await page.addInitScript(`(() => {
    window.drawn = [];
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (...args) {
      window.drawn.push(String(args[0]));
      return fill.apply(this, args);
    };
  })()`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${ui.srv.base}/search?${new URLSearchParams({ q: 'x', from: new Date(from).toISOString(), to: new Date(to).toISOString() }).toString()}`);
  await page.locator('.histogram canvas').first().waitFor();
  await until(async () => (await page.evaluate<string[]>('window.drawn')).some((t) => /^07:15:3\d/.test(t)), 'the time axis drawn');
  // one drawing's labels: the plot drawn again at a new width
  await page.evaluate('window.drawn = []');
  await page.setViewportSize({ width: 1180, height: 800 });
  await until(async () => (await page.evaluate<string[]>('window.drawn')).some((t) => /^07:15:3\d/.test(t)), 'the axis drawn again');
  const labels = (await page.evaluate<string[]>('window.drawn')).filter((t) => /^\d\d:\d\d/.test(t));
  const last = labels;
  await page.locator('.hist-panel').screenshot({ path: join(ARTIFACTS, 'histogram-milliseconds.png') });
  assert.ok(last.length >= 3, `several ticks: ${labels.join(' ')}`);
  assert.equal(new Set(last).size, last.length, `no label twice: ${last.join(' ')}`);
  assert.ok(last.every((t) => /^07:15:3\d\.\d{3}$/.test(t)), `to the millisecond: ${last.join(' ')}`);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

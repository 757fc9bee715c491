/**
 * The Alerts page on a tablet (768 px) over the demo's mix of findings: a scanner on an IPv6 address, a
 * URL finding acknowledged with a note, URL findings of a log loaded late ("raised … ago" under their
 * last seen). An operator walk saw the table run 25 px past its frame there, every row's evidence button
 * cut off behind a sideways scroll: the last-seen column kept "raised 1m ago" on one line. A later walk saw
 * it run to 847 px on an entity drawn without per-character weights (a `domain:` host's summed finding, a
 * URL stored without them): it was kept on one line, where a weighted URL wraps inside its column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, untilInPage, pageScrollsSideways } from './browser.js';
import { openAlertsOn } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const H = 3_600_000;
const open: { status: string; note: string; by: string | null; at: number | null; reopenedAt: number | null } = { status: 'open', note: '', by: null, at: null, reopenedAt: null };
const LONG_HOST = 'x7kq2m9vbn4t8wz1plr6yh3jc5dg0fsa.qwertzuiopasdfghjklyxcvbnm1234567890.top';
const base = { threshold: 0.964, modelVersion: 'test', count: 1, sightedAt: NOW - 60_000, triage: open };
const url = (id: number, u: string, lastSeen: number, summary: string, triage = open) => ({
  ...base,
  id,
  detector: 'url',
  entity: `url:${u}`,
  score: 0.999,
  time: lastSeen,
  firstSeen: lastSeen,
  lastSeen,
  triage,
  // the detector's per-character weights: the URL is drawn shaded and wraps inside its column
  explanation: { summary, detail: { weights: [...u].map((_, i) => (i % 7) / 10) } },
  evidence: { query: `sub:"${u.split('/')[0]}"`, from: lastSeen - 24 * H, to: NOW },
});
const findings = [
  {
    ...base,
    id: 34,
    detector: 'syn',
    entity: 'ip:2001:db8:5::5a35:c951',
    score: 1,
    count: 3,
    time: NOW - 5000,
    firstSeen: NOW - 9000,
    lastSeen: NOW - 5000,
    sightedAt: NOW - 5000,
    board: '/hosts?ip=2001%3Adb8%3A5%3A%3A5a35%3Ac951',
    explanation: { summary: '185 SYNs to 184 ports on 1 host in 1.4 s, 132.9/s; 6 windows (5 of 32 SYNs, 1 of 25), best run of 4: 1.000; raised the score most: number of hosts tried, ports tried', detail: null },
    evidence: { query: 'ip:2001:db8:5::5a35:c951', from: NOW - 9000, to: NOW - 5000 },
  },
  url(4, 'img-stat-relay.rest/update.bin', NOW - 9000, 'score 0.994: most suspicious "update.bin" (path), "-" (host)', {
    status: 'acknowledged',
    note: 'checked proxy: one client, blocked at the proxy, INC-5001',
    by: 'admin',
    at: NOW - 25_000,
    reopenedAt: null,
  }),
  url(31, 'facebook-security.checkpoint-verify.top/login.php?session=expired', NOW - 2 * H, 'score 0.999: most suspicious "login.php" (path), "-verify.top" (host), "-security" (host)'),
  url(17, 'outlook-webmail.password-reset.click/wp-includes/update.exe', NOW - 5 * H, 'score 1.000: most suspicious "includes/update.exe" (path), "-reset" (host)'),
  // a host's summed finding and a URL stored without weights: drawn plain, with no hyphen or slash to break at
  {
    ...base,
    id: 41,
    detector: 'url',
    entity: `domain:${LONG_HOST}`,
    score: 0.998,
    time: NOW - 3 * H,
    firstSeen: NOW - 4 * H,
    lastSeen: NOW - 3 * H,
    explanation: { summary: 'score 0.998: 4 suspicious URLs on this host', detail: null },
    evidence: { query: `sub:"${LONG_HOST}"`, from: NOW - 27 * H, to: NOW },
  },
  { ...url(42, `${LONG_HOST}/x`, NOW - 6 * H, 'score 0.997: stored before the detector kept its weights'), explanation: { summary: 'score 0.997: stored before the detector kept its weights', detail: null } },
];

const ui = loggedInUi(skip, problems, '/search', (page) => openAlertsOn(page, findings));

test('at 768 px every row of a mixed list has its evidence button on screen, with no sideways scroll in the table', { skip }, async () => {
  const page = ui.page;
  await page.setViewportSize({ width: 768, height: 1000 });
  // the layout settles at the new width
  await untilInPage(page, "document.querySelector('.alerts .table-wrap').clientWidth < 768");
  const wrap = await page.locator('.alerts .table-wrap').evaluate((el) => [el.scrollWidth, el.clientWidth]);
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-768-mixed.png') });
  assert.ok(wrap[0]! <= wrap[1]! + 1, `the table needs no sideways scroll at 768 px: ${wrap.join(' > ')}`);
  assert.equal(await pageScrollsSideways(page), false, 'the page scrolls sideways at 768 px');
  // the long unweighted entities break inside their column, as a weighted URL does
  for (const id of [41, 42]) {
    const cell = page.locator(`tr[data-finding="${id}"] td.c-entity`);
    const [inner, outer] = await cell.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(inner! <= outer! + 1, `finding ${id}'s entity stays inside its cell: ${inner} > ${outer}`);
  }
  for (const f of findings) {
    const box = await page.getByRole('link', { name: `Evidence of finding ${f.id} in the search page` }).boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.x + box.width <= 768, `finding ${f.id}'s evidence button within 0–768: ${JSON.stringify(box)}`);
  }
  // a late-raised finding still says so under its last seen
  assert.match((await page.locator('tr[data-finding="17"]').innerText()).replace(/\s+/g, ' '), /5h ago raised 1m ago/);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

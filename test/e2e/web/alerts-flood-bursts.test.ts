/**
 * The Alerts page on a flood with two bursts and an earlier flood against the same victim: under its Why,
 * a toggle that says how many (`3 bursts · 1 earlier flood`: the detail counts three, keeps two) opens
 * the lists, each burst and the earlier flood with its UTC range, its sources and its examples, and what
 * the detail did not keep where it was (the burst between the first and the latest, with its sources); a wave with one
 * earlier wave kept lists it as it is, the older ones not kept said above it; a flood row from an older
 * server and one with a malformed detail show their Why alone, with no script error. A flood that went on
 * across a server restart says so in one line, its lists closed or none (one burst, nothing before);
 * rows without `beforeRestart` do not. A wave whose every source sent 1–2 SYNs (`allFew`) says so above its
 * list; one whose sources did not, and the floods, do not. Screenshots go to test-artifacts/web/: the row
 * each test names alone (alerts-flood-bursts, alerts-flood-restart, alerts-wave-few.png), then the page in
 * the other theme and at 420 px (alerts-flood-bursts-toggled-theme, alerts-flood-bursts-420.png).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, shotOf } from './browser.js';
import { openAlertsOn } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const T = Date.UTC(2026, 11, 4, 15, 20, 16, 0);
const base = { threshold: 0.93, modelVersion: 'test', time: T, firstSeen: T - 7_200_000, lastSeen: T + 960_000, count: 4, triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null } };
const span = { from: T - 7_200_000, to: T + 960_000 };
const FLOOD_DETAIL = {
  sources: 461,
  dport: 443,
  examples: ['198.51.100.7 0.991'],
  episodes: [
    { from: T, to: T + 226_000, sources: 300, examples: ['198.51.100.7 0.991', '198.51.100.8 0.975', '198.51.100.9 0.970'] },
    { from: T + 900_000, to: T + 960_000, sources: 120, examples: ['203.0.113.5 0.990'] },
  ],
  episodeCount: 3,
  droppedSources: 41,
  earlier: [{ from: T - 7_200_000, to: T - 6_000_000, sources: 80, examples: ['192.0.2.1 0.950', '192.0.2.2 0.940'], episodeCount: 2 }],
  earlierCount: 1,
  beforeRestart: { to: T + 226_000, sources: 400, restarts: 1 },
};
const findings = [
  { ...base, id: 31, detector: 'syn-flood', entity: 'ip:10.20.0.80', score: 1, explanation: { summary: 'SYN flood against 10.20.0.80 port 443: 461 sources of 1–2 SYNs scored ≥ 0.93 since 2026-12-04 15:20:16 UTC; it came in 3 episodes …', detail: FLOOD_DETAIL }, evidence: { query: 'ip:10.20.0.80 port:443', ...span } },
  { ...base, id: 32, detector: 'syn-wave', entity: 'port:23', score: 0.97, explanation: { summary: '40 of only 1–2 SYNs each to port 23 …', detail: { sources: 40, dport: 23, examples: [], earlier: [{ from: T - 4_000_000, to: T - 3_990_000, sources: 1, examples: ['192.0.2.9 0.960'], episodeCount: 1 }], earlierCount: 3, allFew: true } }, evidence: { query: 'port:23', ...span } },
  {
    ...base,
    id: 36,
    detector: 'syn-wave',
    entity: 'port:2323',
    score: 0.96,
    explanation: { summary: '25 more sources sending SYNs to port 2323 …', detail: { sources: 25, dport: 2323, examples: [], allFew: false, beforeRestart: { to: T + 245_000, sources: 20, restarts: 1 } } },
    evidence: { query: 'port:2323', ...span },
  },
  { ...base, id: 33, detector: 'syn-flood', entity: 'ip:10.20.0.81', score: 0.99, explanation: { summary: 'an older flood row', detail: { sources: 375, dport: 443, examples: [] } }, evidence: { query: 'ip:10.20.0.81 port:443', ...span } },
  {
    ...base,
    id: 35,
    detector: 'syn-flood',
    entity: 'ip:10.20.0.83',
    score: 0.97,
    explanation: { summary: 'a flood across 2 restarts, one burst', detail: { sources: 450, dport: 443, examples: [], beforeRestart: { to: T + 245_000, sources: 400, restarts: 2 } } },
    evidence: { query: 'ip:10.20.0.83 port:443', ...span },
  },
  { ...base, id: 34, detector: 'syn-flood', entity: 'ip:10.20.0.82', score: 0.98, explanation: { summary: 'a malformed flood row', detail: { sources: 5, episodes: [{ from: 'yesterday' }], episodeCount: 2 } }, evidence: { query: 'ip:10.20.0.82 port:443', ...span } },
];

const ui = loggedInUi(skip, problems, '/search', (page) => openAlertsOn(page, findings));
const row = (id: number) => ui.page.locator(`table.alerts-table tr[data-finding="${id}"]`);
const why = (id: number) => row(id).locator('td.c-why');
const text = async (id: number, sel: string) => ((await why(id).locator(sel).innerText()) ?? '').replace(/\s+/g, ' ').trim();

test("a flood's bursts and earlier flood wait behind a toggle that counts them, and open as lists", { skip }, async () => {
  const toggle = why(31).getByRole('button', { name: 'Show 3 bursts · 1 earlier flood of finding 31' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await why(31).locator('.flood-lists').isVisible(), false);
  await toggle.click();
  assert.equal(await why(31).getByRole('button', { name: 'Hide 3 bursts · 1 earlier flood of finding 31' }).getAttribute('aria-expanded'), 'true');
  const bursts = why(31).getByRole('group', { name: 'Bursts of finding 31' });
  // the burst not kept lay between the first and the latest: said there, with its sources (in neither listed)
  assert.deepEqual(
    (await bursts.locator('li').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim()),
    ['2026-12-04 15:20:16–15:24:02 UTC 300 sources e.g. 198.51.100.7, 198.51.100.8, 198.51.100.9', '… 1 more burst between, not kept (41 sources)', '2026-12-04 15:35:16–15:36:16 UTC 120 sources e.g. 203.0.113.5'],
  );
  assert.equal(await bursts.locator('li.flood-more').count(), 1);
  const earlier = why(31).getByRole('group', { name: 'Earlier floods against it of finding 31' });
  assert.equal(((await earlier.locator('.flood-list-head').innerText()) ?? '').trim().toLowerCase(), 'earlier floods');
  assert.equal(((await earlier.locator('li').innerText()) ?? '').replace(/\s+/g, ' ').trim(), '2026-12-04 13:20:16–13:40:16 UTC 80 sources in 2 bursts e.g. 192.0.2.1, 192.0.2.2');
  assert.equal(await earlier.locator('.flood-more').count(), 0);
  await shotOf(row(31), 'alerts-flood-bursts');
});

test("a wave's one earlier wave kept is listed without a toggle, the older ones not kept said above it; an older flood row and a malformed one show their Why alone", { skip }, async () => {
  assert.equal(await why(32).locator('button.flood-toggle').count(), 0);
  assert.equal(await text(32, '.flood-list'), 'EARLIER WAVES … 2 older waves before these, not kept 2026-12-04 14:13:36–14:13:46 UTC 1 source e.g. 192.0.2.9');
  for (const id of [33, 34]) {
    assert.equal(await why(id).locator('.flood-bursts').count(), 0);
    assert.match((await why(id).innerText()) ?? '', /flood row/);
  }
});

test('a flood that went on across a restart says so in one line, with its lists closed or none; rows without beforeRestart do not', { skip }, async () => {
  assert.equal(await text(31, '.flood-restart'), 'Went on across a server restart: 400 sources before it (last SYN 2026-12-04 15:24:02 UTC), 61 since — at most 461 distinct (a source on both sides is counted twice)');
  assert.equal(await text(35, '.flood-bursts'), 'Went on across 2 server restarts: 400 sources before the latest (last SYN 2026-12-04 15:24:21 UTC), 50 since — at most 450 distinct (a source on both sides is counted twice)');
  assert.equal(await why(35).locator('button.flood-toggle, .flood-list').count(), 0);
  for (const id of [32, 33, 34]) assert.equal(await why(id).locator('.flood-restart').count(), 0);
  await shotOf(row(35), 'alerts-flood-restart');
});

test('a wave whose every source sent 1–2 SYNs says so above its lists; a wave whose sources did not, and floods, do not', { skip }, async () => {
  assert.equal(await text(32, '.flood-few'), "Every source sent only 1–2 SYNs: too few for any one to be a finding of its own (probes sweeping many networks, or a spoofed flood's sources)");
  // above the list, not in it
  assert.equal(await why(32).locator('.flood-bursts > .flood-few + .flood-lists').count(), 1);
  assert.match(await text(36, '.flood-bursts'), /^Went on across a server restart: 20 sources before it .*, 5 since/);
  for (const id of [31, 33, 34, 35, 36]) assert.equal(await why(id).locator('.flood-few').count(), 0, `finding ${id}`);
  await shotOf(row(32), 'alerts-wave-few');
});

test('the lists read in the other theme too, and at 420 px they stay within their cell', { skip }, async () => {
  await ui.page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
  await why(31).scrollIntoViewIfNeeded();
  await ui.page.screenshot({ path: join(ARTIFACTS, 'alerts-flood-bursts-toggled-theme.png') });
  await ui.page.setViewportSize({ width: 420, height: 860 });
  await why(31).scrollIntoViewIfNeeded();
  await ui.page.screenshot({ path: join(ARTIFACTS, 'alerts-flood-bursts-420.png') });
  // at this width each finding is a card (alerts-narrow.css): the lists stay within their cell
  const over = await ui.page.evaluate<string[]>(
    "[...document.querySelectorAll('td.c-why')].flatMap((td) => [...td.querySelectorAll('.flood-bursts, .flood-bursts *')].filter((e) => e.getBoundingClientRect().right > td.getBoundingClientRect().right + 1).map((e) => e.className || e.tagName))",
  );
  assert.deepEqual(over, []);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

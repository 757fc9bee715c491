/**
 * The Alerts page's Count column against played findings: a `syn-flood` or `syn-wave` row shows the
 * sources it sums (its Why's number), not how often the board wrote it again ("Count 8" beside "375
 * sources" in the demo); any other row its sightings, as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';
import { openAlertsOn } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const T = Date.UTC(2026, 11, 4, 15, 20, 16, 0);
const base = { threshold: 0.93, modelVersion: 'test', time: T, firstSeen: T, lastSeen: T + 5000, triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null } };
const findings = [
  { ...base, id: 10, detector: 'syn-flood', entity: 'ip:10.20.0.80', score: 1, count: 8, explanation: { summary: 'SYN flood against 10.20.0.80 port 443: 375 sources of 1–2 SYNs', detail: { sources: 375, dport: 443, examples: [] } }, evidence: { query: 'ip:10.20.0.80 port:443', from: T, to: T + 6000 } },
  { ...base, id: 11, detector: 'syn-wave', entity: 'port:23', score: 0.99, count: 3, explanation: { summary: '1 source of only 1–2 SYNs each to port 23', detail: { sources: 1, dport: 23, examples: [] } }, evidence: { query: 'port:23', from: T, to: T + 6000 } },
  { ...base, id: 12, detector: 'syn', entity: 'ip:198.51.100.9', score: 0.97, count: 4, explanation: { summary: '400 SYNs to 341 ports on 1 host', detail: null }, evidence: { query: 'ip:198.51.100.9', from: T, to: T + 6000 } },
];

const ui = loggedInUi(skip, problems, '/search', (page) => openAlertsOn(page, findings));

test("a flood's and a wave's Count is the sources they sum, with the sightings in its title; a host's stays its sightings", { skip }, async () => {
  const cell = (id: number) => ui.page.locator(`table.alerts-table tr[data-finding="${id}"] td.num`);
  assert.equal((await cell(10).textContent())?.trim(), '375 sources');
  assert.equal(await cell(10).getAttribute('title'), '375 sources summed into this flood; written 8 times as they came');
  assert.equal((await cell(11).textContent())?.trim(), '1 source');
  assert.equal((await cell(12).textContent())?.trim(), '4');
  await ui.page.screenshot({ path: join(ARTIFACTS, 'alerts-count.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The Alerts page on SYN findings that say where they came from (the server keeps `evidence.source` and
 * gives `board` since session 43): the Why names the interface or capture, and a flood or wave row links
 * to the Hosts board with its 1–2-SYN sources shown (it had no board link: its entity is a victim or a
 * port, not a host the board lists). A finding without either reads as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';
import { openAlertsOn } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const T = Date.UTC(2026, 11, 4, 15, 20, 16, 0);
const base = { threshold: 0.93, modelVersion: 'test', time: T, firstSeen: T, lastSeen: T + 5000, count: 1, triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null } };
const span = { from: T, to: T + 6000 };
const findings = [
  { ...base, id: 20, detector: 'syn', entity: 'ip:198.51.100.9', score: 0.97, explanation: { summary: '400 SYNs to 341 ports on 1 host', detail: null }, evidence: { query: 'ip:198.51.100.9', ...span, source: { kind: 'interface', name: 'eth1' } }, board: '/hosts?ip=198.51.100.9' },
  { ...base, id: 21, detector: 'syn-flood', entity: 'ip:10.20.0.80', score: 1, explanation: { summary: 'SYN flood against 10.20.0.80 port 443: 375 sources of 1–2 SYNs', detail: { sources: 375, dport: 443, examples: [] } }, evidence: { query: 'ip:10.20.0.80 port:443', ...span, source: { kind: 'replay', name: '/data/mon capture.pcapng' } }, board: '/hosts?few=show' },
  { ...base, id: 22, detector: 'syn', entity: 'ip:203.0.113.4', score: 0.95, explanation: { summary: 'an older row', detail: null }, evidence: { query: 'ip:203.0.113.4', ...span } },
  { ...base, id: 23, detector: 'url', entity: 'url:evil.tk/login.php', score: 0.99, explanation: { summary: 'score 0.99', detail: null }, evidence: { query: 'url:evil.tk/login.php', ...span } },
];

const ui = loggedInUi(skip, problems, '/search', (page) => openAlertsOn(page, findings));

test('a SYN finding names its interface or capture under its Why; an older row and a URL finding name none', { skip }, async () => {
  const why = (id: number) => ui.page.locator(`table.alerts-table tr[data-finding="${id}"] td.c-why`);
  assert.match((await why(20).textContent()) ?? '', /from interface eth1/);
  // a capture by its file name, its whole path in the title
  assert.match((await why(21).textContent()) ?? '', /from capture mon capture\.pcapng/);
  assert.equal(await why(21).locator('.who[title]').getAttribute('title'), 'capture /data/mon capture.pcapng');
  assert.doesNotMatch((await why(22).textContent()) ?? '', /from (interface|capture)/);
  assert.doesNotMatch((await why(23).textContent()) ?? '', /from (interface|capture)/);
  await ui.page.screenshot({ path: join(ARTIFACTS, 'alerts-source.png') });
});

test("a flood's board link opens the Hosts board with its 1–2-SYN sources shown; a host's opens the host, also without the server's board", { skip }, async () => {
  const board = (id: number) => ui.page.locator(`table.alerts-table tr[data-finding="${id}"] td.c-actions a`, { hasText: 'board' });
  assert.equal(await board(20).getAttribute('href'), '/hosts?ip=198.51.100.9');
  assert.equal(await board(21).getAttribute('href'), '/hosts?few=show');
  assert.equal(await board(22).getAttribute('href'), '/hosts?ip=203.0.113.4');
  assert.equal(await board(23).count(), 0);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

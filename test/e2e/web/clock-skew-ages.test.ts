/**
 * A workstation whose clock runs five minutes slow: the server's times (a host's last SYN on a live
 * interface, a finding's last event and triage) are measured on the server's clock as the page learns it
 * from its answers (server-clock.ts), not on the browser's. Every host seen in the last five minutes read
 * "0s ago", and on a clock five minutes fast a host seen a moment ago read "5m ago".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';
import { openAlertsOn, playedSynFinding } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];
const SLOW_MS = 5 * 60_000;

const SOURCE = { kind: 'interface', name: 'eth0', state: 'running', error: null, restarts: 0 };
const stats = (now: number) => ({ threshold: 0.93, packets: 80, tracked: 2, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: SOURCE, kept: 0, maxKept: 2000, keepMs: 86_400_000, captureNow: now });
const host = (ip: string, lastSeen: number) => ({ ip, score: 0.4, maxScore: 0.4, packets: 40, distinctPorts: 40, distinctDsts: 1, firstSeen: lastSeen - 60_000, lastSeen, idle: false, explanation: { summary: 'test', detail: null } });
/** the server's clock on a played answer, as a real one says it */
const serverTime = () => ({ 'x-nml-time': String(Date.now()) });

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test("a browser five minutes slow: a live interface's hosts are last seen on the server's clock", { skip }, async () => {
  const page = ui.page;
  await page.clock.setSystemTime(Date.now() - SLOW_MS);
  const now = Date.now();
  await page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts: [host('192.0.2.1', now - 2 * 60_000), host('192.0.2.2', now - 4000)], updatedAt: now, stats: stats(now) }, headers: serverTime() }),
  );
  await page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => ws.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: now, stats: stats(now) })),
  );
  await page.goto(`${ui.srv.base}/hosts`);
  assert.ok((await page.evaluate(() => Date.now())) < now - SLOW_MS / 2, 'the page runs on the slow clock');
  const seen = (ip: string) => page.locator('table.hosts-table tbody tr', { hasText: ip }).locator('td').last();
  await until(async () => (await seen('192.0.2.2').count()) === 1, 'the rows');
  // on the browser's clock both were "0s ago": seen after its now
  assert.equal((await seen('192.0.2.1').textContent())?.trim(), '2m ago');
  assert.match((await seen('192.0.2.2').textContent())?.trim() ?? '', /^[4-9]s ago$/);
  assert.doesNotMatch((await seen('192.0.2.1').getAttribute('title')) ?? '', /capture time/);
  await page.screenshot({ path: join(ARTIFACTS, 'hosts-clock-skew.png') });
});

test("a browser five minutes slow: a finding's last event and its triage are ages on the server's clock", { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/search`);
  const now = Date.now();
  const f = { ...playedSynFinding(7, now - 3 * 60_000, { status: 'acknowledged', note: '', by: 'carol', at: now - 60_000 }) };
  await openAlertsOn(page, [f]);
  assert.ok((await page.evaluate(() => Date.now())) < now - SLOW_MS / 2, 'the page runs on the slow clock');
  const row = page.locator('table.alerts-table tr[data-finding="7"]');
  await row.locator('td.c-last').waitFor();
  // on the browser's clock the event, three minutes old, was "in 2m": after its now
  assert.equal((await row.locator('td.c-last').textContent())?.trim(), '3m ago');
  assert.match((await row.locator('.triage-meta').textContent()) ?? '', /carol · 1m ago$/);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The Hosts board of a replayed capture from last year (the hosts endpoint and live socket are played by
 * the test): a host's "Last seen" and "idle" are measured on the capture's clock (the board's
 * `captureNow`), not the browser's. Every row read "365d ago" while the header said "updated 0s ago".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';
import { join } from 'node:path';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const CAPTURE_NOW = NOW - 365 * 86_400_000;
const REPLAY = { kind: 'replay', name: 'last-year.pcapng', state: 'running', error: null, restarts: 0 };
const STATS = { threshold: 0.93, packets: 80, tracked: 2, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: REPLAY, kept: 0, maxKept: 2000, keepMs: 86_400_000, captureNow: CAPTURE_NOW };

function host(ip: string, lastSeen: number) {
  return { ip, score: 0.4, maxScore: 0.4, packets: 40, distinctPorts: 40, distinctDsts: 1, firstSeen: lastSeen - 60_000, lastSeen, idle: false, explanation: { summary: 'test', detail: null } };
}

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test("a replayed capture's hosts are last seen on the capture's clock, not the browser's", { skip }, async () => {
  const hosts = [host('192.0.2.1', CAPTURE_NOW - 5 * 60_000), host('192.0.2.2', CAPTURE_NOW - 2000)];
  await ui.page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts, updatedAt: NOW, stats: STATS } }),
  );
  await ui.page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => ws.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: NOW, stats: STATS })),
  );
  await ui.page.getByRole('link', { name: 'Hosts', exact: true }).click();
  const seen = (ip: string) => ui.page.locator('table.hosts-table tbody tr', { hasText: ip }).locator('td').last();
  await until(async () => (await seen('192.0.2.2').count()) === 1, 'the rows');
  assert.equal((await seen('192.0.2.1').textContent())?.trim(), '5m ago');
  assert.equal((await seen('192.0.2.2').textContent())?.trim(), '2s ago');
  assert.match((await seen('192.0.2.1').getAttribute('title')) ?? '', /\(capture time; the replay is at /);
  await ui.page.screenshot({ path: join(ARTIFACTS, 'hosts-replay-clock.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The Hosts board of a replayed capture from last year (the hosts endpoint and live socket are played by
 * the test): a host's "Last seen" and "idle" are measured on the capture's clock (the board's
 * `captureNow`), not the browser's. Every row read "365d ago" while the header said "updated 0s ago".
 * An idle finding's panel says how long it has been idle as its row does (one clock, one rounding).
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

/** A finding idle 10 min 50 s of capture time: the row floors it to 10m; the server's summary rounded it to 11 min. */
const IDLE_MS = 10 * 60_000 + 50_000;
const idleHost = { ...host('192.0.2.9', CAPTURE_NOW - IDLE_MS), idle: true };

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test("a replayed capture's hosts are last seen on the capture's clock, not the browser's", { skip }, async () => {
  const hosts = [host('192.0.2.1', CAPTURE_NOW - 5 * 60_000), host('192.0.2.2', CAPTURE_NOW - 2000), idleHost];
  await ui.page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts, updatedAt: NOW, stats: STATS } }),
  );
  await ui.page.route(
    (u) => u.pathname === '/api/detect/syn/hosts/192.0.2.9',
    (r) => {
      // the server's words since: when it went idle, not a rounded age of its own clock
      const summary = `40 SYNs to 40 ports on 1 host; idle (no SYN since ${new Date(idleHost.lastSeen).toISOString().slice(0, 19).replace('T', ' ')} UTC, capture time): off the live board, listed because it is a finding, for 24 h after its last SYN`;
      const image = { rows: 2, cols: 2, pixels: [0, 0.5, 1, 0], rowLabel: 'SYN', colGroups: [{ name: 'port', from: 0, to: 2 }] };
      const targets = { ports: [{ port: 23, syns: 40, over: 0 }], morePorts: 0, portRuns: [{ from: 23, to: 23 }], morePortRuns: 0, dsts: [{ ip: '198.51.100.7', syns: 40, over: 0 }], moreDsts: 0, dstsExact: true };
      return r.fulfill({ json: { host: { ...idleHost, explanation: { summary, detail: null } }, image, saliency: [0, 0, 0, 0], targets } });
    },
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

test("an idle finding's panel says how long it has been idle as its row does: one clock, one rounding", { skip }, async () => {
  const page = ui.page;
  const rowIdle = page.locator('table.hosts-table tbody tr', { hasText: '192.0.2.9' }).locator('.board-idle');
  await until(async () => (await rowIdle.count()) === 1, 'the idle row');
  assert.equal((await rowIdle.textContent())?.trim(), 'idle 10m');
  await page.getByRole('button', { name: 'Show host 192.0.2.9' }).click();
  const panelIdle = page.locator('.host-panel .panel-idle');
  await until(async () => (await panelIdle.count()) === 1, 'the panel says how long it has been idle');
  // the panel read "no SYN for 11 min" (rounded, the board's clock when opened) beside the row's "idle 10m"
  assert.equal((await panelIdle.textContent())?.trim(), '10m');
  assert.doesNotMatch((await page.locator('.host-panel').textContent()) ?? '', /no SYN for \d+ min/);
  await page.screenshot({ path: join(ARTIFACTS, 'hosts-idle-panel.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

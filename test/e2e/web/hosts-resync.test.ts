/**
 * A slow page whose live changes the server skipped (its send buffer full) is sent `resync` once it has
 * caught up: the page reads the board again, so a host that changed only while it was skipped is shown
 * as the server has it, not as it was before. The server is mocked here: its REST board and its socket.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocketRoute } from 'playwright-core';
import { skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const SOURCE = { kind: 'replay', name: 'capture.pcap', state: 'running', error: null, restarts: 0 };
const STATS = { threshold: 0.95, packets: 400, tracked: 2, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: SOURCE };

function host(ip: string, score: number, packets: number) {
  return { ip, score, maxScore: score, packets, distinctPorts: packets, distinctDsts: 1, firstSeen: NOW - 60_000, lastSeen: NOW - 1000, explanation: { summary: `${packets} SYNs`, detail: null } };
}

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('after a resync the Hosts page reads the board again: a change it was never sent is shown', { skip }, async () => {
  const page = ui.page;
  let board = [host('198.51.100.5', 0.2, 10), host('198.51.100.7', 0.1, 8)];
  let reads = 0;
  let sock: WebSocketRoute | null = null;
  await page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => {
      reads++;
      return r.fulfill({ json: { hosts: board, updatedAt: Date.now(), stats: STATS } });
    },
  );
  await page.route((u) => u.pathname === '/api/findings', (r) => r.fulfill({ json: { findings: [], next: null } }));
  await page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => {
      sock = ws;
      ws.send(JSON.stringify({ type: 'hosts', hosts: board, updatedAt: NOW, stats: STATS }));
    },
  );
  await page.goto(page.url().replace(/\/search.*$/, '/hosts'));
  const row = (ip: string) => page.locator('table tbody tr', { hasText: ip });
  await row('198.51.100.5').waitFor();
  await until(async () => sock !== null, 'the live socket');
  assert.equal(reads, 1);

  // while the page was skipped, 198.51.100.7 became a scanner at 0.991 and 203.0.113.9 appeared; no change reached the page
  board = [host('198.51.100.7', 0.991, 300), host('203.0.113.9', 0.97, 120), host('198.51.100.5', 0.2, 10)];
  sock!.send(JSON.stringify({ type: 'resync', skipped: 4 }));
  await row('203.0.113.9').waitFor();
  assert.equal(reads, 2, 'the board read once more');
  assert.match((await row('198.51.100.7').textContent()) ?? '', /0\.991/);
  // and later changes still apply on top
  sock!.send(JSON.stringify({ type: 'hosts', hosts: [host('198.51.100.5', 0.5, 40)], updatedAt: Date.now(), stats: STATS }));
  await until(async () => /0\.500/.test((await row('198.51.100.5').textContent()) ?? ''), 'a change after the resync');
  await page.unrouteAll();
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

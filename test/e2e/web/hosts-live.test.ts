/**
 * The Hosts page against a played server (hosts endpoint, host detail, findings and live socket): the
 * side panel follows the live board (score, SYNs and explanation), a host with an open alert whose
 * current score fell below the threshold is marked as such, not left plain amber, and a server that
 * stops (its close says `server stopping`) is said as stopped or restarting, not as "the replay has
 * ended" from its last message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { WebSocketRoute } from 'playwright-core';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const SOURCE = { kind: 'replay', name: 'capture.pcap', state: 'running', error: null, restarts: 0 };
const STATS = { threshold: 0.95, packets: 400, tracked: 2, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: SOURCE };

function host(ip: string, score: number, packets: number, lastSeen: number) {
  return { ip, score, maxScore: score, packets, distinctPorts: packets, distinctDsts: 1, firstSeen: NOW - 60_000, lastSeen, explanation: { summary: `${packets} SYNs to ${packets} ports on 1 host; mean: ${score.toFixed(3)}`, detail: null } };
}

const A = '198.51.100.5';
const B = '198.51.100.7';
let current = host(A, 0.892, 189, NOW - 5000);
const fallen = host(B, 0.801, 90, NOW - 4000);
let details = 0;
let sock: WebSocketRoute | null = null;
let serverDown = false;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('the host panel follows the live board: score, SYNs and explanation, not the figures it opened with', { skip }, async () => {
  const page = ui.page;
  await page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts: [current, fallen], updatedAt: NOW, stats: STATS } }),
  );
  await page.route(
    (u) => u.pathname.startsWith('/api/detect/syn/hosts/'),
    (r) => {
      details++;
      const h = { ...current, explanation: { summary: `${current.explanation.summary}; explained at ${current.packets} SYNs`, detail: { window: { from: 0, to: current.packets } } } };
      return r.fulfill({ json: { host: h, image: { rows: 2, cols: 2, pixels: [0, 0.5, 1, 0], rowLabel: 'SYN', colGroups: [{ name: 'port', from: 0, to: 2 }] }, saliency: [0, 0.1, -0.1, 0], targets: { ports: [{ port: 22, syns: current.packets, over: 0 }], morePorts: 0, portRuns: [{ from: 22, to: 22 }], morePortRuns: 0, dsts: [{ ip: '198.51.100.1', syns: current.packets, over: 0 }], moreDsts: 0, dstsExact: true } } });
    },
  );
  // B raised an alert at 0.970 (over 0.95) and is at 0.801 now: still open
  await page.route(
    (u) => u.pathname === '/api/findings',
    (r) => {
      const open = new URL(r.request().url()).searchParams.get('status') === 'open';
      const findings = open
        ? [{ id: 7, detector: 'syn', entity: `ip:${B}`, score: 0.97, threshold: 0.95, modelVersion: 't', time: NOW - 30_000, firstSeen: NOW - 60_000, lastSeen: NOW - 4000, count: 80, explanation: { summary: 'scan' }, evidence: { query: B, from: NOW - 60_000, to: NOW }, triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null } }]
        : [];
      return r.fulfill({ json: { findings, next: null } });
    },
  );
  await page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => {
      if (serverDown) {
        // no reason, as a refused connection gives: the page goes on saying the server stopped
        void ws.close({ code: 1011 });
        return;
      }
      sock = ws;
      ws.send(JSON.stringify({ type: 'hosts', hosts: [current, fallen], updatedAt: NOW, stats: STATS }));
    },
  );
  await page.goto(page.url().replace(/\/search.*$/, `/hosts?ip=${A}`));
  const panel = page.getByRole('complementary', { name: `Host ${A}` });
  await panel.getByText('explained at 189 SYNs').waitFor();
  await until(async () => sock !== null, 'the live socket');
  // the board moves on: 232 SYNs, 0.976
  current = host(A, 0.976, 232, NOW - 1000);
  sock!.send(JSON.stringify({ type: 'hosts', hosts: [current], updatedAt: NOW + 1000, stats: { ...STATS, packets: 443 } }));
  const row = page.locator('table.hosts-table tbody tr', { hasText: A });
  await until(async () => ((await row.textContent()) ?? '').includes('232'), 'the row moved on');
  await until(async () => (await panel.getByLabel('malicious probability 0.976').count()) === 1, 'the panel\'s score follows the board', 10_000);
  assert.equal(await panel.locator('dt:text-is("packets") + dd').textContent(), '232');
  // and the explanation is asked for again
  await panel.getByText('explained at 232 SYNs').waitFor({ timeout: 10_000 });
  assert.ok(details >= 2, `the detail asked again: ${details}`);
  assert.equal(await panel.locator('.panel-asof').count(), 0, 'nothing said as old once it is current');
  await page.screenshot({ path: join(ARTIFACTS, 'hosts-panel-live.png') });
});

test('a host with an open alert below the threshold is marked "alert open", with a title that says why it is amber', { skip }, async () => {
  const page = ui.page;
  const mark = page.locator('table.hosts-table tbody tr', { hasText: B }).locator('.board-triage.st-open');
  await mark.waitFor();
  assert.equal(await mark.textContent(), 'alert open');
  const title = (await page.locator('table.hosts-table tbody tr', { hasText: B }).locator('[title^="Alert open"]').getAttribute('title')) ?? '';
  assert.match(title, /reached 0\.970.*current score, 0\.801, is below the board's threshold 0\.95/);
  // A is over the line: its red bar says it, no mark (it has no finding here anyway)
  assert.equal(await page.locator('table.hosts-table tbody tr', { hasText: A }).locator('.board-triage').count(), 0);
  await page.locator('.hosts-board').screenshot({ path: join(ARTIFACTS, 'hosts-open-alert-below.png') });
});

test('a server that stops: the board says it stopped or is restarting and as of when, not "the replay has ended"', { skip }, async () => {
  const page = ui.page;
  // what a stopping server sends last: its replay stopped, said as "ended"; then the socket closes and nothing answers
  serverDown = true;
  sock!.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: NOW + 2000, stats: { ...STATS, source: { ...SOURCE, state: 'ended' } } }));
  await new Promise((r) => setTimeout(r, 400));
  await sock!.close({ code: 1001, reason: 'server stopping' });
  const notes = page.getByLabel('Board notes');
  // its close said why (1001 server stopping): a stop or a restart, not a server that does not answer for a reason unknown
  await notes.getByText('The server stopped or is restarting').waitFor();
  const text = (await notes.textContent()) ?? '';
  assert.match(text, /figures as of its last answer at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  assert.doesNotMatch(text, /has ended/);
  // and the open host's panel says it alike
  await page.getByRole('complementary', { name: `Host ${A}` }).getByText('The server stopped or is restarting: these figures are as of its last answer').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'hosts-server-down.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

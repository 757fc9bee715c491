/**
 * The Hosts board of a live interface (the hosts endpoint and live socket are played by the test): before
 * the first SYN the head said "updated 20794d ago" (the epoch, the board's updatedAt 0) and the empty
 * board did not say what it listens on; when tcpdump stopped the status still read "live" by a green dot,
 * with the note of the restart as the only word of it. A replay of a file cut short read "has ended".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { WebSocketRoute } from 'playwright-core';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const SOURCE = { kind: 'interface', name: 'eth0', state: 'running', error: null, restarts: 0 };
const STATS = { threshold: 0.93, packets: 0, tracked: 0, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: SOURCE, kept: 0, maxKept: 2000, keepMs: 86_400_000, captureNow: Date.now() };

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('an interface with no SYN yet: no "updated" age, and the empty board names the interface; a capture restarting turns the status from "live"', { skip }, async () => {
  let feed: WebSocketRoute | null = null;
  await ui.page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts: [], updatedAt: 0, stats: STATS } }),
  );
  await ui.page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => {
      feed = ws;
      ws.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: 0, stats: STATS }));
    },
  );
  await ui.page.getByRole('link', { name: 'Hosts', exact: true }).click();
  const board = ui.page.locator('section.hosts-board');
  const status = board.locator('.panel-head [role=status]');
  await until(async () => (await board.getByText('No hosts yet').count()) === 1 && feed !== null && (await status.textContent()) === 'live', 'the empty board, live');
  const counts = (await board.locator('.board-counts').textContent()) ?? '';
  assert.doesNotMatch(counts, /updated/, `nothing was scored, so nothing was updated: ${counts}`);
  assert.match((await board.locator('.empty').textContent()) ?? '', /takes its SYNs from eth0 and has seen none yet/);
  await ui.page.screenshot({ path: join(ARTIFACTS, 'hosts-capture-source-empty.png') });

  // tcpdump was killed: the server says so in a message with no host
  const restarting = { ...STATS, source: { ...SOURCE, state: 'restarting', error: 'tcpdump ended (killed, or its interface went away)', restarts: 1 } };
  feed!.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: 0, stats: restarting }));
  await until(async () => (await board.locator('.board-notes').count()) === 1, 'the note of the restart');
  assert.match((await board.locator('.board-notes').textContent()) ?? '', /The capture on eth0 stopped and is being started again/);
  assert.equal(await status.textContent(), 'live; the capture is restarting');
  assert.ok(await board.locator('.panel-head .dot.warn').count(), 'the dot is not green');
  await ui.page.screenshot({ path: join(ARTIFACTS, 'hosts-capture-source-restarting.png') });

  // listening again: back to live
  feed!.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: 0, stats: { ...STATS, source: { ...SOURCE, restarts: 1 } } }));
  await until(async () => (await status.textContent()) === 'live', 'live again');
  assert.equal(await board.locator('.board-notes').count(), 0);

  // a replay of a file cut short (still being copied): it ended early, and the note says so, not "has ended"
  const cut = { kind: 'replay', name: '/data/night.pcap', state: 'ended', error: '/data/night.pcap ends inside a packet at byte 300000 (cut short: copied or read while still being written?): the board holds the 2,941 SYNs before it; the rest is not in the file', restarts: 0 };
  feed!.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: 0, stats: { ...STATS, source: cut } }));
  await until(async () => (await board.locator('.board-notes').count()) === 1, 'the note of the replay');
  assert.match((await board.locator('.board-notes').textContent()) ?? '', /The replay of \/data\/night\.pcap ended early: \/data\/night\.pcap ends inside a packet at byte 300000 .*Replay the whole file once it is copied\./);

  // a replay that failed is said as a replay, not as a capture (an operator walk read 'the capture failed' for a file)
  const unreadable = { ...cut, state: 'failed', error: '/data/night.pcap is not a pcap file' };
  feed!.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: 0, stats: { ...STATS, source: unreadable } }));
  await until(async () => (await status.textContent()) === 'live; the replay failed', 'the replay failed, in words');
  assert.ok(await board.locator('.panel-head .dot.bad').count(), 'the dot is red');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The hosts board under a spoofed-source flood (the live socket and the hosts endpoint are played by the
 * test): the page keeps the top 200 rows by the current sort, not every host the socket ever named, and
 * drops a host the server would have evicted for going idle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const STATS = { threshold: 0.5, packets: 0, tracked: 0, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: null };

function host(ip: string, score: number, lastSeen: number, packets = 1) {
  return { ip, score, maxScore: score, packets, distinctPorts: 1, distinctDsts: 1, firstSeen: lastSeen - 1000, lastSeen, explanation: { summary: 'test' } };
}
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('a flood of 10,000 changed hosts leaves the top 200 rows, and an idle host goes', { skip }, async () => {
  // the initial list: a host idle for 11 minutes of capture time (the server drops it at 10) with the top score
  await ui.page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts: [host('192.0.2.1', 0.999, NOW - 11 * 60_000, 40), host('192.0.2.2', 0.3, NOW)], updatedAt: NOW, stats: { ...STATS, tracked: 2 } } }),
  );
  await ui.page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => {
      // 20 chunks of 500 distinct spoofed sources, as the server sends a flush of a full board
      for (let c = 0; c < 20; c++) {
        const hosts = Array.from({ length: 500 }, (_, k) => {
          const i = c * 500 + k;
          return host(ipOf(i), (i % 997) / 1000, NOW);
        });
        // the last one says the live capture died and is being started again
        const source = c === 19 ? { kind: 'interface', name: 'eth0', state: 'restarting', error: 'tcpdump stopped (0) without being asked', restarts: 1 } : null;
        ws.send(JSON.stringify({ type: 'hosts', hosts, updatedAt: NOW, stats: { ...STATS, tracked: 10_002, source } }));
      }
    },
  );
  await ui.page.getByRole('link', { name: 'Hosts', exact: true }).click();
  const rows = ui.page.locator('table.hosts-table tbody tr');
  // by default only hosts of more than two SYNs are listed: the flood's one-SYN sources are hidden
  await until(async () => (await ui.page.locator('.hosts-board .panel-head', { hasText: '10,002 hosts' }).count()) === 1, 'the flood counted');
  assert.ok((await rows.count()) <= 1, 'at most the 40-SYN host (idle, it may be gone), none of the flood');
  assert.match((await ui.page.locator('.hosts-board .panel-head').textContent()) ?? '', /10,002 hosts \([01] of more than 2 SYNs shown\) · [01] shown ≥ 0\.5/, 'the header says what it counts');
  assert.equal(await ui.page.getByRole('button', { name: `Show host ${ipOf(996)}` }).count(), 0);
  await ui.page.getByLabel('hide 1–2 SYN sources').uncheck();
  // the best score of the flood is 0.996 (i % 997 = 996): it comes first once the flood is in
  await until(async () => ((await rows.first().textContent()) ?? '').includes(ipOf(996)), 'the flood\'s top host first');
  await until(async () => (await ui.page.locator('.hosts-board .panel-head', { hasText: '10,002 hosts' }).count()) === 1, 'the last chunk');
  assert.equal(await rows.count(), 200, 'only the top 200 rows are kept');
  assert.equal(await ui.page.getByRole('button', { name: 'Show host 192.0.2.1' }).count(), 0, 'the idle host was dropped');
  const scores = await rows.locator('td.c-score').evaluateAll((tds) => tds.length);
  assert.equal(scores, 200);
  // all 200 kept rows are over the threshold, and more hosts are: the count says it is a lower bound
  assert.equal(await ui.page.locator('.hosts-board .panel-head', { hasText: '200+ ≥' }).count(), 1);
  await until(async () => ((await ui.page.getByLabel('Board notes').textContent()) ?? '').includes('The capture on eth0 stopped and is being started again (once so far): no SYNs reach the board meanwhile. tcpdump stopped (0)'), 'the dead capture told');
  await ui.page.screenshot({ path: join(ARTIFACTS, 'hosts-flood.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

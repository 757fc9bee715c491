/**
 * The host panel answers "what did this scanner touch?" on the Hosts page (the hosts endpoint, the host's
 * detail and the live socket are played by the test): every port it tried as runs, the ports and addresses
 * it sent most SYNs to with counts (a range where the board's 32 counters only know that far), "and N more",
 * each address a link to Investigate. And the rows sorted by address put IPv6 ones by value, after IPv4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const STATS = { threshold: 0.93, packets: 60_200, tracked: 5, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: null, kept: 0, maxKept: 2000, keepMs: 86_400_000, captureNow: NOW };

function host(ip: string, packets: number) {
  return { ip, score: 0.99, maxScore: 0.99, packets, distinctPorts: packets, distinctDsts: 1236, firstSeen: NOW - 60_000, lastSeen: NOW - 1000, idle: false, explanation: { summary: 'test', detail: null } };
}

/** A host that sprayed 60,000 ports, hammered 22 and 80, and 1,238 addresses: what the board's targets say of it. */
const TARGETS = {
  ports: [
    { port: 22, syns: 40, over: 0 },
    { port: 80, syns: 20, over: 0 },
  ],
  morePorts: 59_998,
  portRuns: [
    { from: 1, to: 60_000 },
    { from: 62_000, to: 62_000 },
  ],
  morePortRuns: 3,
  dsts: [
    { ip: '10.0.0.1', syns: 40, over: 0 },
    { ip: '2001:db8::1', syns: 5, over: 3 },
  ],
  moreDsts: 1234,
  dstsExact: false,
};

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('sorted by address, IPv4 rows come by value, then IPv6 rows by value (not as text)', { skip }, async () => {
  const page = ui.page;
  const hosts = ['2001:db8::10', '10.0.0.10', '::1', '2001:db8::9', '10.0.0.9'].map((ip) => host(ip, 60));
  await page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts, updatedAt: NOW, stats: STATS } }),
  );
  await page.route(
    (u) => u.pathname.startsWith('/api/detect/syn/hosts/'),
    (r) => {
      const ip = decodeURIComponent(new URL(r.request().url()).pathname.split('/').pop()!);
      return r.fulfill({ json: { host: host(ip, 60_200), image: { rows: 2, cols: 2, pixels: [0, 0.5, 1, 0], rowLabel: 'SYN', colGroups: [{ name: 'port', from: 0, to: 2 }] }, saliency: [0, 0.1, -0.1, 0], targets: TARGETS } });
    },
  );
  await page.route((u) => u.pathname === '/api/findings', (r) => r.fulfill({ json: { findings: [], next: null } }));
  await page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => ws.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: NOW, stats: STATS })),
  );
  await page.getByRole('link', { name: 'Hosts', exact: true }).click();
  const sortIp = page.getByRole('button', { name: 'Sort by Source IP' });
  await sortIp.click();
  await sortIp.click();
  const ips = () => page.locator('table.hosts-table tbody tr td.mono button.host-link').allTextContents();
  await until(async () => (await page.locator('th[aria-sort="ascending"]', { hasText: 'Source IP' }).count()) === 1 && (await ips()).length === 5, 'sorted by address, ascending');
  // as text, 2001:db8::10 came before 2001:db8::9 and ::1 after both
  assert.deepEqual(await ips(), ['10.0.0.9', '10.0.0.10', '::1', '2001:db8::9', '2001:db8::10']);
});

test('the host panel lists every port tried as runs, the top ports and addresses with counts, and how many more', { skip }, async () => {
  const page = ui.page;
  await page.getByRole('button', { name: 'Show host 10.0.0.9' }).click();
  const targets = page.getByRole('region', { name: 'What 10.0.0.9 sent SYNs to' });
  await targets.waitFor();
  assert.equal((await targets.locator('.targets-runs').textContent())?.trim(), 'ports 1–60000, 62000 and 3 more runs');
  const rowsOf = (head: string) => targets.locator('table', { has: page.locator('th', { hasText: head }) }).locator('tbody tr');
  assert.deepEqual(await rowsOf('Port').allInnerTexts(), ['22\t40', '80\t20']);
  assert.deepEqual(await rowsOf('Destination').allInnerTexts(), ['10.0.0.1\t40', '2001:db8::1\t2–5']);
  const text = (await targets.textContent()) ?? '';
  assert.ok(text.includes('and 59,998 more ports'), text);
  assert.ok(text.includes('and about 1,234 more addresses'), 'an estimated count says so');
  assert.ok(text.includes('A count shown as a range (2–10) is known only that far'), 'the range is explained');
  // each destination is a way on: Investigate (this build has the page)
  assert.equal(await targets.getByRole('link', { name: 'Investigate 2001:db8::1' }).getAttribute('href'), `/investigate?entity=${encodeURIComponent('ip:2001:db8::1')}`);
  await page.locator('.host-panel').screenshot({ path: join(ARTIFACTS, 'hosts-panel-targets.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The Hosts page as a night-shift walk found it (the hosts endpoint, host detail and live socket are
 * played by the test): a finding that went idle stays listed, marked idle, and the page says how many;
 * the find box filters the list by part of an address and says when nothing matches; Enter opens a
 * whole address only, and says in words what to type otherwise; the host panel's actions and the image's
 * column names are neither clipped nor overlapping, at 1280 px and at 800 px; a host the board does not
 * hold, opened by its URL, is said in the page's words (the panel showed the API's 404 text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import { FIELD_GROUPS, FIELDS, ROWS } from '../../../src/detect/syn/image.js';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const MIN = 60_000;
const STATS = { threshold: 0.95, packets: 6736, tracked: 3, maxHosts: 20000, evicted: 413, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: null, kept: 1, maxKept: 2000, keepMs: 86_400_000 };

function host(ip: string, score: number, lastSeen: number, idle = false) {
  return { ip, score, maxScore: score, packets: 400, distinctPorts: 341, distinctDsts: 1, firstSeen: lastSeen - 2000, lastSeen, idle, explanation: { summary: `400 SYNs; ${score.toFixed(3)}`, detail: null } };
}

const IDLE = '152.193.46.16';
const V6 = '2001:db8:5::a658:2f47';
const LONG_V6 = '2001:db8:1234:5678:9abc:def0:1234:5678';
const BOARD = [host('203.179.48.207', 0.999, NOW - 5000), host(IDLE, 1, NOW - 14 * MIN, true), host('10.15.250.178', 0.003, NOW - 3000), host(V6, 0.993, NOW - 2000)];
/** an address whose detail fails for another reason than a missing host */
const FAILING = '192.0.2.66';
/** the addresses the board knows beyond its list (the detail answers for them) */
const KNOWN = new Set([...BOARD.map((h) => h.ip), LONG_V6]);
const matchesAsked: string[] = [];
/** findings the played server no longer keeps (named in a `gone`) */
const goneIps = new Set<string>();
let sock: WebSocketRoute | null = null;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const rows = (page: Page) => page.locator('table.hosts-table tbody tr');
const listed = (page: Page) => rows(page).locator('button.host-link').allTextContents();

async function playServer(page: Page): Promise<void> {
  await page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => {
      const match = (new URL(r.request().url()).searchParams.get('match') ?? '').toLowerCase();
      matchesAsked.push(match);
      return r.fulfill({ json: { hosts: BOARD.filter((h) => h.ip.includes(match) && !goneIps.has(h.ip)), updatedAt: NOW, stats: STATS } });
    },
  );
  await page.route(
    (u) => u.pathname.startsWith('/api/detect/syn/hosts/'),
    (r) => {
      const ip = decodeURIComponent(new URL(r.request().url()).pathname.split('/').pop()!);
      if (ip === FAILING) return r.fulfill({ status: 500, json: { error: { code: 'INTERNAL', kind: 'internal', message: 'store: the host index could not be read' } } });
      if (!KNOWN.has(ip)) return r.fulfill({ status: 404, json: { error: { code: 'SYN_HOST_NOT_FOUND', kind: 'not_found', message: `syn board: no host ${ip} (never seen, or dropped)` } } });
      const image = { rows: ROWS, cols: FIELDS, pixels: Array.from({ length: ROWS * FIELDS }, (_, i) => (i % 7) / 7), rowLabel: 'SYNs of the latest window, oldest first', colGroups: FIELD_GROUPS.map((g) => ({ ...g })) };
      const targets = { ports: [{ port: 22, syns: 3, over: 0 }], morePorts: 0, portRuns: [{ from: 22, to: 22 }], morePortRuns: 0, dsts: [{ ip: '198.51.100.1', syns: 3, over: 0 }], moreDsts: 0, dstsExact: true };
      return r.fulfill({ json: { host: host(ip, 0.99, NOW), image, saliency: image.pixels.map((v) => v - 0.5), targets } });
    },
  );
  await page.route((u) => u.pathname === '/api/findings', (r) => r.fulfill({ json: { findings: [], next: null } }));
  await page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => {
      sock = ws;
      ws.send(JSON.stringify({ type: 'hosts', hosts: BOARD.slice(0, 1), updatedAt: NOW, stats: STATS }));
    },
  );
}

test('a finding that went idle stays listed, marked idle with its last SYN, and the page says how many; the server\'s gone takes it off', { skip }, async () => {
  const page = ui.page;
  await playServer(page);
  await page.goto(page.url().replace(/\/search.*$/, '/hosts'));
  await until(async () => sock !== null, 'the live socket');
  // a SYN of now: the page drops rows idle for 10 minutes before it, but not a finding the server lists as idle
  sock!.send(JSON.stringify({ type: 'hosts', hosts: [host('10.15.250.178', 0.004, NOW)], updatedAt: NOW + 500, stats: STATS }));
  await until(async () => ((await rows(page).first().textContent()) ?? '') !== '' && (await page.locator('td', { hasText: '0.004' }).count()) === 1, 'the live change merged');
  assert.deepEqual((await listed(page)).sort(), [...BOARD.map((h) => h.ip)].sort(), 'the idle finding is still listed');
  const row = rows(page).filter({ hasText: IDLE });
  assert.equal(await row.locator('.board-idle').textContent(), 'idle 14m');
  assert.match((await row.locator('.board-idle').getAttribute('title')) ?? '', /^Idle: no SYN since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? UTC\. Off the live board, listed because it is a finding, for 24 h after its last SYN, at most 2,000 of them\.$/);
  assert.equal(await rows(page).filter({ hasText: '203.179.48.207' }).locator('.board-idle').count(), 0, 'a live host is not marked');
  const head = (await page.locator('.hosts-board .panel-head').textContent()) ?? '';
  assert.match(head, /3 hosts \+ 1 idle flagged listed \(4 of more than 2 SYNs shown\) · /);
  assert.match((await page.getByLabel('Board notes').textContent()) ?? '', /413 hosts left the live board \(idle for 10 minutes, or the least recently seen once 20,000 were kept\)\. 1 of them is a finding and stays listed, marked idle, for 24 h after its last SYN, at most 2,000 of them\./);
  await page.locator('.hosts-board').screenshot({ path: join(ARTIFACTS, 'hosts-idle-finding.png') });
  // the kept bound or its day is over: the server names it gone
  goneIps.add(IDLE);
  sock!.send(JSON.stringify({ type: 'hosts', hosts: [], updatedAt: NOW + 1000, stats: { ...STATS, kept: 0 }, gone: [IDLE] }));
  await until(async () => (await rows(page).filter({ hasText: IDLE }).count()) === 0, 'the gone finding off the list');
  await until(async () => !((await page.locator('.hosts-board .panel-head').textContent()) ?? '').includes('idle flagged'), 'the header no longer counts it');
});

test('typing filters the list by part of an address (IPv4 and IPv6, any case), and says when no host matches', { skip }, async () => {
  const page = ui.page;
  const box = page.getByLabel('Find a source IP');
  await box.fill('203.179');
  await until(async () => (await listed(page)).join() === '203.179.48.207', 'the list filtered to 203.179');
  assert.ok(matchesAsked.includes('203.179'), 'asked of the server, so hosts past the 200 rows are found too');
  assert.match((await page.locator('.hosts-board .panel-head').textContent()) ?? '', /1 matching “203\.179”/);
  await page.screenshot({ path: join(ARTIFACTS, 'hosts-find-filter.png') });
  await box.fill('2001:DB8:5::');
  await until(async () => (await listed(page)).join() === V6, 'the list filtered to the IPv6 host');
  await box.fill('zzz not an ip');
  const empty = page.locator('.hosts-board').getByText('No host matches “zzz not an ip”');
  await empty.waitFor();
  assert.equal(await rows(page).count(), 0);
  assert.match((await page.locator('.hosts-board').textContent()) ?? '', /“zzz not an ip” is not part of an IP address: type digits and dots \(203\.179\) or hex digits and colons \(2001:db8:5::\)/);
  await box.fill('999.1.1.1');
  await page.locator('.hosts-board').getByText('No host matches “999.1.1.1”').waitFor();
  assert.match((await page.locator('.hosts-board').textContent()) ?? '', /“999\.1\.1\.1” is not part of an IP address \(999 is over 255\): type digits and dots/);
  await box.fill('');
  await until(async () => (await rows(page).count()) === 3, 'every host again');
});

test('Enter opens a whole address that is listed or known, and otherwise says in words what to type, never the API\'s message', { skip }, async () => {
  const page = ui.page;
  const box = page.getByLabel('Find a source IP');
  const note = page.locator('.hosts-board .find-note');
  const panels = page.getByRole('complementary');
  for (const [typed, says] of [
    ['203.179', /^“203\.179” is part of an address: the list shows the hosts whose address contains it\. To open one, click its row, or type a whole address \(192\.0\.2\.7, 2001:db8::7\) and press Enter\.$/],
    ['zzz not an ip', /^“zzz not an ip” is not part of an IP address\. Type part of one to filter the list/],
    // digits and dots that no address holds: said so, not "part of an address" as if cut short
    ['999.1.1.1', /^“999\.1\.1\.1” is not an IP address: 999 is over 255\. Type part of one to filter the list/],
    ['1.2.3.4.5', /^“1\.2\.3\.4\.5” is not an IP address: an IPv4 address has four numbers\./],
    // digits without a dot may be part of an IPv6 address (2001:db8::300)
    ['300', /^“300” is part of an address: the list shows the hosts whose address contains it\./],
  ] as const) {
    await box.fill(typed);
    await box.press('Enter');
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', says, typed);
    assert.equal(await panels.count(), 0, `${typed}: no panel opened`);
  }
  assert.equal(await page.getByText(/path parameter/).count(), 0, 'not the API\'s text');
  // a whole address not on the board: the server is asked, and its 404 said in words
  await box.fill('192.0.2.99');
  await box.press('Enter');
  await until(async () => ((await note.textContent().catch(() => '')) ?? '').startsWith('No host 192.0.2.99 on the board'), 'the unknown address said');
  assert.match((await note.textContent()) ?? '', /^No host 192\.0\.2\.99 on the board: the detector has seen no SYN from it, or it left \(a host leaves after 10 minutes without a SYN; a finding stays listed for 24 h after its last SYN, at most 2,000 of them\)\.$/);
  assert.equal(await panels.count(), 0);
  // a whole address as any spelling of a listed one opens it, as the board writes it
  await box.fill('2001:DB8:5::A658:2F47');
  await box.press('Enter');
  await page.getByRole('complementary', { name: `Host ${V6}` }).waitFor();
  assert.equal(await note.count(), 0, 'the note cleared');
  assert.equal(new URL(page.url()).searchParams.get('ip'), V6);
  // one the board knows though it is not listed (past the 200 rows, say) opens too
  await page.getByRole('button', { name: 'Close host details' }).click();
  await box.fill(LONG_V6);
  await box.press('Enter');
  await page.getByRole('complementary', { name: `Host ${LONG_V6}` }).waitFor();
});

/** What sticks out of the host panel or runs into its neighbour, in words (empty when nothing). */
async function layoutProblems(page: Page): Promise<string[]> {
  // a string: this project's test code has no DOM types
  return page.evaluate<string[]>(`(() => {
    const out = [];
    const panel = document.querySelector('.host-panel');
    const head = panel.querySelector('.panel-head');
    const edge = head.getBoundingClientRect().right;
    for (const el of head.querySelectorAll('a, button, h2')) {
      const r = el.getBoundingClientRect();
      if (r.right > edge + 0.5) out.push((el.textContent || '').trim() + ' ends at ' + r.right + ' past the head at ' + edge);
    }
    const spans = [...panel.querySelectorAll('.col-groups span')];
    if (spans.length === 0) out.push('no column names');
    spans.forEach((s, i) => {
      const r = s.getBoundingClientRect();
      if (i > 0 && r.left < spans[i - 1].getBoundingClientRect().right - 0.5) out.push(s.textContent + ' overlaps ' + spans[i - 1].textContent);
      if (s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1) out.push(s.textContent + ' is cut short');
    });
    const fig = panel.querySelector('.host-image');
    if (fig.scrollWidth > fig.clientWidth + 1) out.push('the image scrolls sideways');
    return out;
  })()`);
}

test('the host panel: a long IPv6 address leaves its actions inside the panel, and the image\'s column names neither overlap nor are cut, at 1280 px and at 800 px', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${new URL(page.url()).origin}/hosts?ip=${encodeURIComponent(LONG_V6)}`);
  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 860 });
    await page.locator('.host-panel .col-groups').waitFor();
    assert.deepEqual(await layoutProblems(page), [], `${width} px`);
    await page.locator('.host-panel').screenshot({ path: join(ARTIFACTS, `hosts-panel-v6-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 860 });
});

test('a host opened by its URL that the board does not hold: the panel says so in the page\'s words, with the way back and its logs; another failure says what failed', { skip }, async () => {
  const page = ui.page;
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(`${new URL(page.url()).origin}/hosts?ip=192.0.2.98`);
  const panel = page.getByRole('complementary', { name: 'Host 192.0.2.98' });
  await panel.getByRole('heading', { name: 'No host 192.0.2.98 on the board' }).waitFor();
  // the idle bound and how long a finding stays, once the board's figures are in
  await until(async () => /a finding stays listed for 24 h after its last SYN/.test((await panel.textContent()) ?? ''), 'the retention said');
  const text = (await panel.textContent()) ?? '';
  assert.match(text, /The detector has seen no SYN from it, or it left \(a host leaves after 10 minutes without a SYN;/);
  assert.doesNotMatch(text, /syn board:/, 'not the API\'s text');
  assert.equal(await panel.locator('.notice.error').count(), 0, 'not shown as a failure');
  assert.equal(await panel.getByRole('link', { name: 'Search its logs' }).getAttribute('href'), '/search?q=192.0.2.98');
  await panel.screenshot({ path: join(ARTIFACTS, 'hosts-panel-not-on-board.png') });
  await panel.getByRole('button', { name: 'Back to the host list' }).click();
  await until(async () => new URL(page.url()).searchParams.get('ip') === null, 'the panel closed');
  assert.equal(await panel.count(), 0);
  assert.ok((await listed(page)).length > 0, 'the host list is there');
  // any other failure still says what failed
  await page.goto(`${new URL(page.url()).origin}/hosts?ip=${FAILING}`);
  const failed = page.getByRole('complementary', { name: `Host ${FAILING}` }).getByRole('alert');
  await failed.waitFor();
  assert.equal(await failed.textContent(), `Loading host ${FAILING} from the SYN board failed: store: the host index could not be read. Try again by opening it from the list.`);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * What the pages say when things go wrong, and how they read without colour or a mouse (a night-shift
 * review): the Alerts list says it stopped updating when the server is gone and clears that when it
 * answers; the host panel takes the focus, Escape closes it and gives the focus back to the row, and the
 * board says a lost connection in words; Search marks severity in words as well as by colour, says an
 * unreachable server in an operator's words and searches again once it is back; the live tail says an
 * ended session as such, not as the API's instructions for a token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { WebSocketRoute } from 'playwright-core';
import { ARTIFACTS, PASSWORD, sendSyslog, skipReason, until, untilInPage, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());
const go = (path: string) => ui.page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new Event('nml:navigate'))`);

const NOW = Date.now();

test('Alerts: a background refresh that cannot reach the server says so, and the notice goes when it answers again', { skip }, async () => {
  const page = ui.page;
  let down = false;
  const findings = (u: URL) => u.pathname === '/api/findings';
  await page.route(findings, (r) =>
    down
      ? r.abort('connectionrefused')
      : r.fulfill({
          json: {
            findings: [
              {
                id: 8001, detector: 'url', entity: 'url:night.example/y', score: 0.99, threshold: 0.9, modelVersion: 'test', time: NOW, firstSeen: NOW, lastSeen: NOW, count: 1, sightedAt: NOW,
                explanation: { summary: 'odd path', detail: null }, evidence: { query: 'night.example', from: NOW - 60_000, to: NOW },
                triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null },
              },
            ],
            readAt: Date.now(),
          },
        }),
  );
  await go('/alerts');
  await page.locator('tr[data-finding="8001"]').waitFor();
  const updated = page.locator('.alerts-updated');
  assert.match((await updated.textContent()) ?? '', /^live, checked/);
  down = true;
  const notice = page.getByRole('alert').filter({ hasText: 'cannot reach the server' });
  await notice.waitFor({ timeout: 25_000 });
  assert.match((await notice.textContent()) ?? '', /retrying every 15 s/);
  assert.match((await updated.textContent()) ?? '', /^not updating; last read/);
  assert.equal(await page.locator('tr[data-finding="8001"]').count(), 1, 'the rows last read stay');
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-refresh-unreachable.png'), clip: { x: 0, y: 0, width: 1280, height: 240 } });
  down = false;
  await notice.waitFor({ state: 'detached', timeout: 25_000 });
  assert.match((await updated.textContent()) ?? '', /^live, checked/);
  await page.unroute(findings);
});

test('Hosts: Enter on a host moves the focus into its panel; Escape closes it and gives the focus back to the row; a lost connection is said in words', { skip }, async () => {
  const page = ui.page;
  const host = (ip: string, score: number) => ({ ip, score, maxScore: score, packets: 9, distinctPorts: 3, distinctDsts: 1, firstSeen: NOW - 5000, lastSeen: NOW, explanation: { summary: 'test' } });
  const stats = { threshold: 0.5, packets: 18, tracked: 2, maxHosts: 20000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: null };
  await page.route(
    (u) => u.pathname === '/api/detect/syn/hosts',
    (r) => r.fulfill({ json: { hosts: [host('192.0.2.7', 0.9), host('192.0.2.8', 0.2)], updatedAt: NOW, stats } }),
  );
  await page.route(
    (u) => u.pathname.startsWith('/api/detect/syn/hosts/'),
    (r) => r.fulfill({ status: 404, json: { error: { code: 'NOT_FOUND', kind: 'not_found', message: 'host 192.0.2.7 has not been seen' } } }),
  );
  const sockets: WebSocketRoute[] = [];
  await page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => {
      sockets.push(ws);
      // after the first connection, the server is gone: every new one is dropped at once
      if (sockets.length > 1) void ws.close({ code: 1011, reason: '' });
    },
  );
  await go('/hosts');
  const row = page.getByRole('button', { name: 'Show host 192.0.2.7' });
  await row.waitFor();
  await page.locator('.hosts-board .panel-head', { hasText: 'live' }).waitFor();
  await row.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('complementary', { name: 'Host 192.0.2.7' });
  await panel.waitFor();
  await untilInPage(page, "document.activeElement?.closest('.host-panel') !== null", 5000);
  assert.equal(await page.locator('h1').count(), 1, 'the panel\'s title is not a second h1');
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  await untilInPage(page, "document.activeElement?.getAttribute('aria-label') === 'Show host 192.0.2.7'", 5000);

  // the server goes: the board says so in words, not only with an amber dot
  await sockets[0]!.close({ code: 1011, reason: '' });
  const said = page.locator('.hosts-board .panel-head [role="status"]', { hasText: 'cannot reach the server; retrying' });
  await said.waitFor({ timeout: 10_000 });
  const faint = await page.evaluate<boolean>(`(() => {
    const head = document.querySelector('.hosts-board .panel-head');
    return getComputedStyle(head.querySelector('[role="status"]')).color === getComputedStyle(head.querySelector('.faint')).color;
  })()`);
  assert.equal(faint, false, 'not in the faint colour');
  await page.locator('.hosts-board .panel-head').screenshot({ path: join(ARTIFACTS, 'hosts-unreachable.png') });
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('Search: severity in words beside the stripe, and in the row button\'s name', { skip }, async () => {
  const page = ui.page;
  const at = new Date().toISOString();
  await sendSyslog(ui.srv.tcpPort, [`<11>1 ${at} web1 nightapp - - - nightsev error line`, `<12>1 ${at} web1 nightapp - - - nightsev warning line`, `<14>1 ${at} web1 nightapp - - - nightsev info line`]);
  await go('/search?q=nightsev');
  const rows = page.locator('tr.hit');
  await until(async () => {
    if ((await rows.count()) === 3) return true;
    await page.getByLabel('Search query').press('Enter');
    await page.waitForTimeout(300);
    return false;
  }, 'three lines stored');
  const err = page.locator('tr.hit', { hasText: 'error line' });
  // (the tag says "severity" to screen readers only)
  assert.match(await err.locator('.sev-tag').innerText(), /^severity\s+err$/i);
  assert.match((await err.locator('.row-toggle').getAttribute('aria-label')) ?? '', /, severity err$/);
  assert.match(await page.locator('tr.hit', { hasText: 'warning line' }).locator('.sev-tag').innerText(), /^severity\s+warning$/i);
  assert.equal(await page.locator('tr.hit', { hasText: 'info line' }).locator('.sev-tag').count(), 0, 'quieter lines carry no tag');
  await page.locator('.results-table').screenshot({ path: join(ARTIFACTS, 'search-severity.png') });
});

test('Search: an unreachable server is said in plain words, and the search runs again once it answers', { skip }, async () => {
  const page = ui.page;
  const cut = (u: URL) => u.pathname === '/api/search' || u.pathname === '/api/auth/me';
  await page.route(cut, (r) => r.abort('connectionrefused'));
  await page.getByLabel('Search query').press('Enter');
  const notice = page.getByRole('alert').filter({ hasText: 'The server cannot be reached' });
  await notice.waitFor();
  assert.doesNotMatch((await page.locator('.search-page, main').first().textContent()) ?? '', /Failed to fetch/);
  await page.screenshot({ path: join(ARTIFACTS, 'search-unreachable.png'), clip: { x: 0, y: 0, width: 1280, height: 300 } });
  await page.unroute(cut);
  await notice.waitFor({ state: 'detached', timeout: 15_000 });
  await until(async () => (await page.locator('tr.hit').count()) === 3, 'the hits back');
});

test('Live: a tail that the server closes because the session ended says so in words', { skip }, async () => {
  const page = ui.page;
  await go('/live');
  const conn = page.locator('.tail-head .conn');
  await conn.filter({ hasText: 'streaming' }).waitFor();
  // logged out elsewhere: the server closes the tail
  const out = await page.request.post(`${ui.srv.base}/api/auth/logout`, { data: {} });
  assert.ok(out.ok(), `logout: ${out.status()}`);
  await conn.filter({ hasText: 'session ended' }).waitFor({ timeout: 15_000 });
  const text = (await conn.textContent()) ?? '';
  assert.doesNotMatch(text, /Bearer|AUTH_REQUIRED/, text);
  assert.match(text, /log in again/);
  await page.locator('.tail-head').screenshot({ path: join(ARTIFACTS, 'live-session-ended.png') });
  // the login dialog over the page; logging in again starts the tail again
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Log in' }).click();
  await conn.filter({ hasText: 'streaming' }).waitFor({ timeout: 15_000 });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

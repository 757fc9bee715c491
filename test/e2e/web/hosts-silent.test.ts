/**
 * The Hosts board over a live feed that goes silent with its connection open (a server stopped with
 * SIGSTOP, a proxy holding the TCP connection): nothing closes and no error comes. The server's heartbeat
 * keeps a quiet board from being called stale; once nothing, not even a heartbeat, has come for three of
 * its intervals the page says the probabilities may be out of date, and says no more once messages resume.
 * Silent for six, it gives the connection up and opens another (a proxy or a lost peer can hold a dead one
 * for many minutes). The server here beats every 700 ms (30 s of silence would be 2.1 s), through a proxy
 * the test holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const BEAT_MS = 700;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor(), { synLiveBeatMs: BEAT_MS });

test('a live feed that goes silent with its connection open: the board says so after three missed heartbeats, and stops saying it when they come again', { skip }, async () => {
  const page = ui.page;
  // the proxy: everything the server sends passes, unless its connection is the one held (a dead path)
  let held = 0;
  let beats = 0;
  let opened = 0;
  await page.routeWebSocket(
    (u) => u.pathname === '/api/detect/syn/live',
    (ws) => {
      const n = ++opened;
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (typeof m === 'string' && (JSON.parse(m) as { type: string }).type === 'heartbeat') beats++;
        if (n !== held) ws.send(m);
      });
    },
  );
  try {
    await page.goto(page.url().replace(/\/search.*$/, '/hosts'));
    const status = page.locator('.hosts-board .panel-head [role="status"]');
    await status.getByText('live', { exact: true }).waitFor();
    const silent = page.getByLabel('Board notes').getByText(/^No word from the server for \d+ s: the probabilities shown may be out of date/);

    // a quiet board (the capture's replay is over): only heartbeats come, and they keep it live
    const before = beats;
    await new Promise((r) => setTimeout(r, 3 * 3 * BEAT_MS));
    assert.ok(beats - before >= 5, `heartbeats while nothing changed: ${beats - before}`);
    assert.equal(await silent.count(), 0, 'a quiet board is not called stale');
    assert.equal(await status.textContent(), 'live');

    // the server goes silent, the connection open
    held = opened;
    await silent.waitFor({ timeout: 10_000 });
    assert.equal(await status.textContent(), 'no word from the server');
    assert.match((await silent.textContent()) ?? '', /its last word at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\. The connection is still open/);
    assert.equal(opened, 1, 'nothing closed or reconnected: only silence');
    await page.locator('.hosts-board').screenshot({ path: join(ARTIFACTS, 'hosts-silent.png') });

    // it speaks again: the next heartbeat clears the notice
    held = 0;
    await silent.waitFor({ state: 'detached', timeout: 10_000 });
    await status.getByText('live', { exact: true }).waitFor();

    // silent for good on that connection: past six intervals the page opens another, which answers
    held = opened;
    await silent.waitFor({ timeout: 10_000 });
    const t0 = Date.now();
    await silent.waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(opened, 2, 'a second connection');
    assert.ok(Date.now() - t0 < 5_000);
    await status.getByText('live', { exact: true }).waitFor();
    // and the new connection's silence would be counted from its own opening, not from the old one's last word
    await new Promise((r) => setTimeout(r, 2 * BEAT_MS));
    assert.equal(opened, 2, 'no reconnect while the new connection speaks');
  } finally {
    await page.unrouteAll();
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The live tail over a connection that goes dead while it looks open (a proxy holding it, a peer lost
 * without a FIN): a rarely matching filter is silent for hours, so silence alone says nothing; the
 * server's heartbeat does. Past six missed the page gives the connection up and opens another, and
 * lines stream again. The server here beats every 400 ms, through a proxy that holds the first connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, loggedInUi, sendSyslog, until } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const BEAT_MS = 400;
const WORD = `ember${process.pid}`;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor(), { tailBeatMs: BEAT_MS });

test('a tail connection silent past six heartbeats is given up and another opened; lines stream again', { skip }, async () => {
  const page = ui.page;
  let held = false;
  let opened = 0;
  await page.routeWebSocket(
    (u) => u.pathname === '/api/tail',
    (ws) => {
      const n = ++opened;
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (!held || n > 1) ws.send(m);
      });
    },
  );
  try {
    await page.goto(page.url().replace(/\/search.*$/, `/live?tail=${WORD}`));
    const rows = page.locator('.tail-row .tail-line');
    await until(async () => opened === 1, 'the tail connection');
    await page.locator('.tail-head .conn', { hasText: 'streaming' }).waitFor();
    // a quiet filter: only heartbeats, and no reconnect
    await new Promise((r) => setTimeout(r, 8 * BEAT_MS));
    assert.equal(opened, 1, 'heartbeats keep a quiet tail on its connection');

    // the connection goes dead: nothing from the server reaches the page
    held = true;
    await until(async () => opened === 2, 'a second connection', 10_000);
    await page.locator('.tail-head .conn', { hasText: 'streaming' }).waitFor();
    await sendSyslog(ui.srv.tcpPort, [`<14>Dec  3 07:00:00 web-1 app: ${WORD} after the reconnect`]);
    await rows.filter({ hasText: `${WORD} after the reconnect` }).waitFor();
  } finally {
    await page.unrouteAll();
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

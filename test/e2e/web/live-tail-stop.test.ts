/**
 * The live tail when the server stops: it closes the tail's WebSocket as "going away" (1001, `server
 * stopping`), and the page says the server stopped or is restarting, not a connection error, while its
 * reconnects are refused; once the server is back it connects again by itself and lines stream. The
 * stop is played by a proxy in front of the real server: it closes the page's socket as the server
 * does at its stop, refuses while "down" (a close with no reason, as a refused connection gives), then
 * passes the connections through again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocketRoute } from 'playwright-core';
import { skipReason, loggedInUi, sendSyslog, until } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const WORD = `dusk${process.pid}`;

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('a server stop (1001 server stopping) is said as a stop or restart while it is down, and the tail reconnects once it is back', { skip }, async () => {
  const page = ui.page;
  let down = false;
  let opened = 0;
  let current: WebSocketRoute | null = null;
  await page.routeWebSocket(
    (u) => u.pathname === '/api/tail',
    (ws) => {
      opened++;
      if (down) {
        void ws.close({ code: 1011 });
        return;
      }
      ws.connectToServer();
      current = ws;
    },
  );
  try {
    await page.goto(page.url().replace(/\/search.*$/, `/live?tail=${WORD}`));
    const conn = page.locator('.tail-head .conn');
    await conn.filter({ hasText: 'streaming' }).waitFor();
    const first = opened;

    down = true;
    await current!.close({ code: 1001, reason: 'server stopping' });
    await conn.filter({ hasText: 'the server stopped or is restarting; reconnecting' }).waitFor();
    await page.locator('.tail-empty', { hasText: 'No lines while the server is stopped' }).waitFor();
    // still said so after reconnects the "down" server refused without a reason
    await until(async () => opened >= first + 2, 'two refused reconnects', 15_000);
    await conn.filter({ hasText: 'the server stopped or is restarting; reconnecting' }).waitFor();
    assert.doesNotMatch((await conn.textContent()) ?? '', /error/);

    down = false;
    await conn.filter({ hasText: 'streaming' }).waitFor({ timeout: 20_000 });
    await sendSyslog(ui.srv.tcpPort, [`<14>Dec  3 07:00:00 web-1 app: ${WORD} after the restart`]);
    await page.locator('.tail-row .tail-line').filter({ hasText: `${WORD} after the restart` }).waitFor();
  } finally {
    await page.unrouteAll();
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

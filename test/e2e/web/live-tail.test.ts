/**
 * The live page against a played server: a full tail hub (error, then close 1013) is retried with a
 * growing backoff, not every 500 ms, and is said as a connection error, not as a bad filter; a newest
 * line ahead of the browser's clock is said as such, not as "0s ago"; the tail names a line's host, not
 * only the source it came in by.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('a full tail hub is retried with a growing backoff and said as a connection error', { skip }, async () => {
  const attempts: number[] = [];
  await ui.page.routeWebSocket(
    (u) => u.pathname === '/api/tail',
    (ws) => {
      attempts.push(Date.now());
      // what the server does when the hub is full: accept, say why, close with 1013 (try again later)
      ws.send(JSON.stringify({ type: 'error', error: { code: 'WS_TOO_MANY_CLIENTS', message: 'tail: 8 live tails are open already; close one and retry' } }));
      ws.close({ code: 1013, reason: 'WS_TOO_MANY_CLIENTS' });
    },
  );
  await ui.page.getByRole('link', { name: 'Live', exact: true }).click();
  await ui.page.locator('.tail-head .conn', { hasText: 'connection error: tail: 8 live tails are open already' }).waitFor();
  assert.equal(await ui.page.locator('#qb-error').count(), 0, 'not marked as a bad filter');
  assert.notEqual(await ui.page.getByLabel('Live tail filter').getAttribute('aria-invalid'), 'true');
  await ui.page.screenshot({ path: join(ARTIFACTS, 'live-hub-full.png') });
  await until(async () => attempts.length >= 4, 'four attempts', 40_000);
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
  // reconnecting every 500 ms (the backoff reset on open) would make every gap about 0.5 s
  assert.ok(gaps[2]! >= 2000, `the third wait grew: ${gaps.join(', ')} ms`);
  assert.ok(gaps[2]! > gaps[0]!, `the waits grow: ${gaps.join(', ')} ms`);
});

test('a newest line ahead of the clock reads "in 2h" with a clock-skew note, not "0s ago"', { skip }, async () => {
  await ui.page.route(
    (u) => u.pathname === '/api/live',
    async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { store: { newest: number | null } };
      await route.fulfill({ response: res, json: { ...body, store: { ...body.store, newest: Date.now() + 2 * 3600_000 + 30_000 } } });
    },
  );
  const tile = ui.page.locator('.tile', { hasText: 'Newest line' });
  await until(async () => ((await tile.textContent()) ?? '').includes('in 2h'), 'the future time said as such', 30_000);
  assert.match((await tile.textContent()) ?? '', /clock skew/);
  assert.doesNotMatch((await tile.textContent()) ?? '', /0s ago/);
  await tile.screenshot({ path: join(ARTIFACTS, 'live-newest-future.png') });
});

test("the store's problems (a damaged shard) are shown above the figures, newest last", { skip }, async () => {
  const damaged = 'store: shard shards/2026/12/01/07/0000-w0-0.db is damaged (file is not a database); searches leave it out, and say so, until it is gone';
  const live = (u: URL): boolean => u.pathname === '/api/live';
  await ui.page.route(
    live,
    async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { store: Record<string, unknown> };
      await route.fulfill({ response: res, json: { ...body, store: { ...body.store, problems: ['store: retention kept 1 file', damaged] } } });
    },
  );
  const alert = ui.page.getByRole('alert', { name: 'Store problems' });
  await alert.waitFor({ timeout: 30_000 });
  assert.match((await alert.textContent()) ?? '', /2 problems/);
  assert.deepEqual(await alert.locator('li').allTextContents(), ['store: retention kept 1 file', damaged]);
  await alert.screenshot({ path: join(ARTIFACTS, 'live-store-problems.png') });
  await ui.page.unroute(live);
});

test("the tail's second column shows the line's host, with the source in its title; a line without one (or an older server's event) shows the source", { skip }, async () => {
  const now = Date.now();
  await ui.page.routeWebSocket(
    (u) => u.pathname === '/api/tail',
    (ws) => {
      const q = new URL(ws.url()).searchParams.get('q') ?? '';
      ws.send(JSON.stringify({ type: 'ready', q }));
      const events = [
        // an event from a server before `host`: no field at all
        { time: now - 2000, receivedAt: now - 2000, source: 'demo', line: 'older server, no host field' },
        { time: now - 1000, receivedAt: now - 1000, source: 'demo', host: null, line: 'plain text, no header' },
        { time: now, receivedAt: now, source: 'demo', host: 'web01', line: '<13>Nov 28 10:00:00 web01 sshd[7]: Accepted password for bob' },
      ];
      ws.send(JSON.stringify({ type: 'events', events, seen: 3, sent: 3, received: 3, examined: 3 }));
    },
  );
  // a new filter opens a new socket, which the route above answers
  const filter = ui.page.getByLabel('Live tail filter');
  await filter.fill('host-column');
  await filter.press('Enter');
  const src = ui.page.locator('.tail-row .tail-src');
  await until(async () => (await src.count()) === 3, 'the three lines');
  // newest first
  assert.deepEqual(await src.allTextContents(), ['web01', 'demo', 'demo']);
  assert.deepEqual(await src.evaluateAll((els) => els.map((e) => e.getAttribute('title'))), ['host web01 · source demo', 'source demo', 'source demo']);
  await ui.page.locator('.tail').screenshot({ path: join(ARTIFACTS, 'live-tail-host.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The live tail's Pause against a played server: lines beyond what the page keeps are dropped while
 * paused, and the page says so (how many, with a search over their time range), never counts more
 * lines as shown than it keeps, and does not call them a sample once resumed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { WebSocketRoute } from 'playwright-core';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
let n = 0;
function batch(count: number) {
  const events = Array.from({ length: count }, () => {
    const i = n++;
    return { time: T0 + i * 10, receivedAt: T0 + i * 10, source: 'demo', host: 'web01', line: `line ${i}` };
  });
  return JSON.stringify({ type: 'events', events, seen: count, sent: count, received: count, examined: count });
}

test('paused past 2,000 lines: the dropped ones are said as dropped while paused, with a search; the counts never pass what is kept; no "Sampled"', { skip }, async () => {
  const page = ui.page;
  let sock: WebSocketRoute | null = null;
  await page.routeWebSocket(
    (u) => u.pathname === '/api/tail',
    (ws) => {
      sock = ws;
      ws.send(JSON.stringify({ type: 'ready', q: new URL(ws.url()).searchParams.get('q') ?? '' }));
    },
  );
  await page.getByRole('link', { name: 'Live', exact: true }).click();
  await until(async () => sock !== null, 'the tail socket');
  const notice = page.locator('.tail-notice');
  sock!.send(batch(500));
  await until(async () => ((await notice.textContent()) ?? '').includes('500 lines since connected'), 'the first 500 lines');
  await page.getByRole('button', { name: 'Pause the live tail' }).click();
  // 3,000 more while paused, in six messages: the page holds 2,000 of them
  for (let k = 0; k < 6; k++) sock!.send(batch(500));
  // all six messages in (2,000 waiting is true after five already: CI saw 500 dropped, not 1,000)
  await until(async () => {
    const t = (await notice.textContent()) ?? '';
    return t.includes('3,500 lines since connected') && t.includes('2,000 waiting');
  }, 'the paused lines counted');
  let text = (await notice.textContent()) ?? '';
  assert.match(text, /1,000 dropped while paused/);
  assert.match(text, /showing 500:/, `shown is what is on the list: ${text}`);
  assert.doesNotMatch(text, /Sampled/);
  const link = page.getByRole('link', { name: 'Search the 1,000 lines dropped while paused' });
  const href = new URL((await link.getAttribute('href')) ?? '', 'http://x');
  assert.equal(href.pathname, '/search');
  // the dropped ones are lines 500–1499 (the oldest of the pause)
  assert.equal(href.searchParams.get('from'), new Date(T0 + 500 * 10).toISOString());
  assert.equal(href.searchParams.get('to'), new Date(T0 + 1499 * 10 + 1000).toISOString());
  await page.locator('.tail').screenshot({ path: join(ARTIFACTS, 'live-tail-paused.png') });

  await page.getByRole('button', { name: 'Resume the live tail' }).click();
  await until(async () => ((await notice.textContent()) ?? '').includes('showing 2,000:'), 'the waiting lines shown');
  text = (await notice.textContent()) ?? '';
  assert.doesNotMatch(text, /Sampled/, `lines dropped while paused are no sample: ${text}`);
  assert.match(text, /3,500 lines since connected/);
  assert.match(text, /1,000 dropped while paused/);
  assert.equal(await page.locator('.tail-row .tail-line').first().textContent(), 'line 3499', 'the newest first');
  await page.locator('.tail').screenshot({ path: join(ARTIFACTS, 'live-tail-resumed.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

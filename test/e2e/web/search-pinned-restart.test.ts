/**
 * A pinned search shown across a server restart: the new process does not know what the old one stored
 * when, so "Load more" under the old pin is refused (409 SEARCH_AS_OF_TOO_OLD). The page must not show the
 * raw error and leave the button to fail again, nor swap rows of another moment in under the ones shown:
 * the rows stay, a notice says why no more come, and one click runs the same query over the same range
 * again with a new pin (not a query typed in the box since). Restart = a second node on the same data
 * folder at the same address (browser.ts, UiServer.restart).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { apiGet, loggedInUi, shotOf, skipReason, until } from './browser.js';
import { answersOf, ingestLines, loadEveryRow, params } from './search-live.js';

const skip = skipReason() || (process.env.NML_UI_BASE !== undefined ? 'restarts the server it starts (not one given by NML_UI_BASE)' : false);
const problems: string[] = [];

const WORD = `restartpin${process.pid}`;
const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const line = (at: number, i: number) => `<14>1 ${new Date(at).toISOString()} db-${i % 2} ${WORD} 1 - - line ${i}`;
const count = async (): Promise<number> => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${WORD}&from=-15m`)).body.count;

test('after a restart, Load more on a search pinned before it keeps the rows shown, says why, and runs the same search again in one click', { skip }, async () => {
  const page = ui.page;
  const t0 = Date.now();
  await ingestLines(ui.srv, Array.from({ length: 150 }, (_, i) => line(t0 - 300_000 + i * 1000, i)));
  await until(async () => (await count()) === 150, 'the first lines searchable');

  const asked: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/search' && params(r).get('q') === WORD) asked.push(r);
  });
  await page.goto(`${ui.srv.base}/search?from=-15m`);
  const box = page.getByLabel('Search query');
  await box.fill(WORD);
  const answered = answersOf(page, WORD);
  await box.press('Enter');
  assert.equal((await answered).total, 150);
  const rows = page.locator('table.results-table tbody tr.hit');
  await until(async () => (await rows.count()) === 100 && (await page.locator('#total-count').getAttribute('data-count')) === '150', 'the first page and the total');
  const shown = await rows.allInnerTexts();
  const pin = Number(params(asked[0]!).get('asOf'));

  // the restart, then lines stamped inside the range: a new pin counts them, the old one cannot say
  ui.srv = await ui.srv.restart!();
  await ingestLines(ui.srv, Array.from({ length: 20 }, (_, i) => line(Date.now() - 60_000 + i * 1000, 150 + i)));
  await until(async () => (await count()) === 170, 'the lines stored after the restart searchable');
  const refused = await apiGet<{ error: { code: string; details: { reason: string } } }>(ui.srv, `/api/count?q=${WORD}&from=-15m&asOf=${pin}`);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'SEARCH_AS_OF_TOO_OLD');
  assert.equal(refused.body.error.details.reason, 'restarted');

  const more = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/search' && params(r.request()).has('cursor'));
  // scrolling the button into view may load the next page by itself (the results' endless scroll) and
  // replace the button before the click lands: either way the next page is asked, once
  await page.getByRole('button', { name: 'Load more results' }).click({ timeout: 1000 }).catch(() => undefined);
  assert.equal((await more).status(), 409);
  const notice = page.locator('.pin-lost');
  await notice.waitFor();
  await shotOf(page.locator('.results-foot'), 'search-pin-lost-restart');
  const said = (await notice.innerText()).replace(/\s+/g, ' ');
  assert.match(said, /^No more rows can be loaded for this search\. It counts the lines stored by \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC, and the server has restarted since \(at .* UTC\), which loses when each line was stored\./, said);
  assert.match(said, /The 100 rows shown of 150 are still those of that search\./);
  assert.equal(await notice.getAttribute('role'), 'alert');
  // the rows and the total are the pinned search's, untouched; no button left to fail again, no raw error
  assert.deepEqual(await rows.allInnerTexts(), shown);
  assert.equal(await page.locator('#total-count').getAttribute('data-count'), '150');
  assert.equal(await page.getByRole('button', { name: 'Load more results' }).count(), 0);
  assert.equal(await page.locator('.results-foot', { hasText: 'End of results' }).count(), 0, 'not "end of results": there are more');
  assert.equal(await page.getByText('SEARCH_AS_OF_TOO_OLD').count(), 0);
  assert.equal(await page.getByRole('link', { name: 'raw lines' }).count(), 0, 'no export link that would download the 409');
  assert.equal(await page.getByText(/asOf \d+/).count(), 0, 'not the server message');

  // a query typed in the box but not run is not what runs again: the search shown is
  await box.fill(`${WORD} AND other`);
  const before = asked.length;
  const again = answersOf(page, WORD);
  await notice.getByRole('button', { name: 'Run the same search again' }).click();
  assert.equal((await again).total, 170, 'the new pin counts the lines stored since');
  const rerun = asked[before]!;
  assert.equal(params(rerun).get('q'), WORD);
  assert.ok(Number(params(rerun).get('asOf')) > pin, 'a new pin');
  assert.ok(Date.parse(params(rerun).get('from')!) > Date.parse(params(asked[0]!).get('from')!), 'the same range (the last 15 minutes), read again');
  assert.equal(await box.inputValue(), WORD);
  await until(async () => (await notice.count()) === 0 && (await page.locator('#total-count').getAttribute('data-count')) === '170', 'the notice gone, the new total shown');
  assert.equal(await page.getByRole('link', { name: 'raw lines' }).count(), 1, 'the export, under the new pin');
  assert.equal(await loadEveryRow(page), 170);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

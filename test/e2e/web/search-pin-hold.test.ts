/**
 * A search page left open with more rows to load tells the server now and then that its pin is still
 * read (GET /api/search/pin, every PIN_HOLD_MS), so the merge of an hour the pin would miss lines of waits
 * for the reader (store.compaction.pinIdleMs) however long one page is read; a pin refused there shows
 * the notice with the rerun at once, before "Load more" is clicked. Once every row is loaded it stops.
 * The page's clock is the test's (page.clock), so the minutes pass at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, loggedInUi, skipReason, until } from './browser.js';
import { ingestLines } from './search-live.js';

const skip = skipReason();
const problems: string[] = [];

const WORD = `pinhold${process.pid}`;
const FEW = `pinholdfew${process.pid}`;
/** the page's PIN_HOLD_MS (use-search.ts), and a little more */
const HOLD_MS = 5 * 60_000 + 1000;
const holds: URLSearchParams[] = [];
let refuse = false;

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.clock.install();
  await page.route(
    (u) => u.pathname === '/api/search/pin',
    (r) => {
      holds.push(new URL(r.request().url()).searchParams);
      if (!refuse) return r.continue();
      const refusal = { error: { code: 'SEARCH_AS_OF_TOO_OLD', kind: 'conflict', message: 'search: asOf is too old: an hour of the range was merged since', details: { reason: 'merged' } } };
      return r.fulfill({ status: 409, json: refusal });
    },
  );
});

const line = (word: string, at: number, i: number) => `<14>1 ${new Date(at).toISOString()} db-${i % 2} ${word} 1 - - line ${i}`;

async function search(word: string): Promise<void> {
  await ui.page.goto(`${ui.srv.base}/search?from=-15m`);
  await ui.page.getByLabel('Search query').fill(word);
  await ui.page.getByLabel('Search query').press('Enter');
}

test('while more rows can be loaded the page holds its pin, with the same range and asOf as its pages; a refusal shows the notice before any click', { skip }, async () => {
  const page = ui.page;
  const t0 = Date.now();
  await ingestLines(ui.srv, Array.from({ length: 150 }, (_, i) => line(WORD, t0 - 300_000 + i * 1000, i)));
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${WORD}&from=-15m`)).body.count === 150, 'the lines searchable');
  const pages: URLSearchParams[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/search' && u.searchParams.get('q') === WORD) pages.push(u.searchParams);
  });
  await search(WORD);
  const rows = page.locator('table.results-table tbody tr.hit');
  const more = page.getByRole('button', { name: 'Load more results' });
  await until(async () => (await rows.count()) === 100 && (await more.count()) === 1, 'the first page with Load more');
  assert.equal(holds.length, 0, 'nothing held before the time has come');

  await page.clock.fastForward(HOLD_MS);
  await until(async () => holds.length >= 1, 'the pin held after five minutes');
  const first = pages[0]!;
  for (const k of ['from', 'to', 'asOf']) assert.equal(holds[0]!.get(k), first.get(k), `the hold sends the page's ${k}`);
  assert.equal(await rows.count(), 100, 'the rows stay as they were');

  // the server can no longer answer for the pin: the notice comes at the next hold, not at the click
  refuse = true;
  await page.clock.fastForward(HOLD_MS);
  const notice = page.locator('.pin-lost');
  await until(async () => (await notice.count()) === 1, 'the notice after a refused hold');
  assert.match((await notice.innerText()).replace(/\s+/g, ' '), /No more rows can be loaded for this search\..*The 100 rows shown of 150 are still those of that search\./);
  assert.equal(await more.count(), 0, 'no Load more under the notice');
  assert.equal(await rows.count(), 100);
  refuse = false;
});

test('a search whose rows are all loaded holds nothing', { skip }, async () => {
  const page = ui.page;
  const t0 = Date.now();
  await ingestLines(ui.srv, Array.from({ length: 40 }, (_, i) => line(FEW, t0 - 120_000 + i * 1000, i)));
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${FEW}&from=-15m`)).body.count === 40, 'the lines searchable');
  await search(FEW);
  const rows = page.locator('table.results-table tbody tr.hit');
  await until(async () => (await rows.count()) === 40, 'every row on the first page');
  const before = holds.length;
  await page.clock.fastForward(HOLD_MS);
  await page.clock.fastForward(HOLD_MS);
  // a hold would have left by now: ask the page something after both fast-forwards and compare
  await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
  assert.equal(holds.length, before, 'no hold with nothing more to load');
  assert.equal(await page.locator('.pin-lost').count(), 0);
});

test('no script errors and no CSP violations', { skip }, () => {
  // the played 409 is the page's own request refused, logged by the browser as a failed load
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
});

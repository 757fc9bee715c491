/**
 * A search whose pin is refused when its count is asked (the server restarted, or merged an hour of its
 * range, between the first page and the histogram): the total never comes, so the head must not say
 * "counting…" for ever; it says the search was not counted and where the notice with the rerun is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, loggedInUi, skipReason, until } from './browser.js';
import { ingestLines } from './search-live.js';

const skip = skipReason();
const problems: string[] = [];

const WORD = `pinlostcount${process.pid}`;
const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const line = (at: number, i: number) => `<14>1 ${new Date(at).toISOString()} db-${i % 2} ${WORD} 1 - - line ${i}`;

test('a pin refused at the count: the head says "not counted" and points to the notice, which offers the rerun', { skip }, async () => {
  const page = ui.page;
  const t0 = Date.now();
  await ingestLines(ui.srv, Array.from({ length: 120 }, (_, i) => line(t0 - 300_000 + i * 1000, i)));
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${WORD}&from=-15m`)).body.count === 120, 'the lines searchable');
  // the first page is the server's; its histogram (and the count it falls back to) are refused as after a restart
  const refusal = { error: { code: 'SEARCH_AS_OF_TOO_OLD', kind: 'conflict', message: 'search: asOf is too old: this server started later', details: { reason: 'restarted', known: Date.now() } } };
  let refused = 0;
  await page.route(
    (u) => (u.pathname === '/api/histogram' || u.pathname === '/api/count') && u.searchParams.get('q') === WORD,
    (r) => {
      refused++;
      return r.fulfill({ status: 409, json: refusal });
    },
  );
  try {
    await page.goto(`${ui.srv.base}/search?from=-15m`);
    await page.getByLabel('Search query').fill(WORD);
    await page.getByLabel('Search query').press('Enter');
    const rows = page.locator('table.results-table tbody tr.hit');
    const notice = page.locator('.pin-lost');
    await until(async () => (await rows.count()) === 100 && (await notice.count()) === 1, 'the first page and the notice');
    assert.ok(refused >= 1);
    const head = page.locator('.hist-panel .total');
    await until(async () => ((await head.textContent()) ?? '') === 'not counted: see the notice under the rows', `the head says why there is no total: ${await head.textContent()}`);
    assert.equal(await page.getByText('counting…').count(), 0);
    assert.match((await notice.innerText()).replace(/\s+/g, ' '), /^No more rows can be loaded for this search\..*The 100 rows shown are still those of that search\./);
    assert.equal(await notice.getByRole('button', { name: 'Run the same search again' }).count(), 1);
  } finally {
    await page.unrouteAll();
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  // the played 409s are the page's own requests refused, logged by the browser as failed loads
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
});

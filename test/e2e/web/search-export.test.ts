/**
 * Export from the Search page: "raw lines" saves every match of the search shown as the lines were
 * stored, newest first, beyond the 100 rows on screen; "JSON lines" saves them with their parsed fields.
 * Both ask for the range the page pinned, not "now" read again when the link is clicked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Request } from 'playwright-core';
import { apiGet, skipReason, until, loggedInUi } from './browser.js';
import { ingestLines } from './search-live.js';

const skip = skipReason();
const problems: string[] = [];
const WORD = `quasar${process.pid}`;
const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

/** RFC 5424 lines a second apart over the last minutes; one carries characters a CSV or JSON writer would mangle. */
function lines(t0: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `<14>1 ${new Date(t0 - (n - i) * 1000).toISOString()} web-${i % 3} ${WORD} 1 - - beat ${i}${i === 7 ? ' "quoted", tab\there, ünïcode \\ back' : ''}`);
}

test('Search exports every match of the search shown: raw lines as stored, newest first, and JSON lines with parsed fields, over the pinned range', { skip }, async () => {
  const page = ui.page;
  const sent = lines(Date.now(), 150);
  await ingestLines(ui.srv, sent);
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${WORD}`)).body.count === 150, 'the lines searchable');

  const searches: Request[] = [];
  page.on('request', (q) => {
    if (new URL(q.url()).pathname === '/api/search') searches.push(q);
  });
  await page.goto(`${ui.srv.base}/search?q=${WORD}&from=-15m`);
  await until(async () => (await page.locator('#total-count').getAttribute('data-count')) === '150', 'the total shown');
  assert.equal(await page.locator('table.results-table tbody tr.hit').count(), 100, 'one page of rows on screen');

  const [raw] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'raw lines' }).click()]);
  assert.match(raw.suggestedFilename(), /^nml-search-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.log$/);
  assert.equal(readFileSync((await raw.path())!, 'utf8'), [...sent].reverse().map((l) => l + '\n').join(''), 'every line, byte for byte, newest first');

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'JSON lines' }).click()]);
  assert.match(json.suggestedFilename(), /\.ndjson$/);
  const hits = readFileSync((await json.path())!, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { raw: string; host: string; app: string });
  assert.equal(hits.length, 150);
  assert.deepEqual([hits[0]!.host, hits[0]!.app, hits[149]!.raw], ['web-2', WORD, sent[0]]);

  // the page of rows and both exports asked for one range
  const exports = await Promise.all(['raw lines', 'JSON lines'].map(async (name) => new URL((await page.getByRole('link', { name }).getAttribute('href'))!, ui.srv.base)));
  const asked = [...searches.map((q) => new URL(q.url())).filter((u) => u.searchParams.get('q') === WORD), ...exports];
  assert.deepEqual(asked.map((u) => u.searchParams.get('format')), [null, 'lines', 'ndjson']);
  const ranges = new Set(asked.map((u) => `${u.searchParams.get('from')}..${u.searchParams.get('to')}`));
  assert.equal(ranges.size, 1, [...ranges].join(' | '));
  assert.deepEqual(problems, []);
});

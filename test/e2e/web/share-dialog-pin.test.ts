/**
 * The Share dialog left open: it holds the search's pin while Download is offered (GET /api/search/pin every
 * PIN_HOLD_MS, with the dialog's range and asOf), and when the server can no longer answer for that pin
 * (SEARCH_AS_OF_TOO_OLD, at a hold or at the preview) it says so in words, offers no download of a 409, and
 * one button pins the same range again at now and previews anew. The page's clock is the test's
 * (page.clock), so the pin's minutes pass at once; the refusals are played (page.route), as the server gives
 * them after a merge or a restart.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { apiGet, closeUi, logIn, openUi, skipReason, until, type UiServer } from './browser.js';
import { ingestLines } from './search-live.js';
import { tempDir } from '../helpers.js';

const skip = skipReason();
const problems: string[] = [];
const MARK = `sharepin${process.pid}`;
const N = 30;
/** the page's PIN_HOLD_MS (pin-hold.ts), and a little more */
const HOLD_MS = 5 * 60_000 + 1000;
const keyDir = tempDir('nml-ui-share-pin-');
const KEY = join(keyDir.dir, 'share.key');
after(() => keyDir.cleanup());

const REFUSAL = { error: { code: 'SEARCH_AS_OF_TOO_OLD', kind: 'conflict', message: 'search: asOf is too old: an hour of the range was merged since', details: { reason: 'merged' } } };

test('a Share dialog left open holds its pin; a lapsed pin is said in words with a way on, not a raw 409, and Download is not offered under it', { skip }, async () => {
  let srv: UiServer | undefined;
  let browser: Browser | undefined;
  try {
    writeFileSync(KEY, `${'3e'.repeat(32)}\n`, { mode: 0o600 });
    let page: Page;
    ({ srv, browser, page } = await openUi(problems, {}, { share: { keyFile: KEY } }));
    await page.clock.install();
    const holds: URLSearchParams[] = [];
    let refuseHold = false;
    let refusePreview = false;
    await page.route(
      (u) => u.pathname === '/api/search/pin',
      (r) => {
        holds.push(new URL(r.request().url()).searchParams);
        return refuseHold ? r.fulfill({ status: 409, json: REFUSAL }) : r.continue();
      },
    );
    await page.route(
      (u) => u.pathname === '/api/share/export',
      (r) => (refusePreview ? r.fulfill({ status: 409, json: REFUSAL }) : r.continue()),
    );
    const previews: URLSearchParams[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/share/export') previews.push(u.searchParams);
    });
    await logIn(page, srv, '/search');
    const t0 = Date.now();
    await ingestLines(srv, Array.from({ length: N }, (_, i) => `<14>1 ${new Date(t0 - 120_000 + i * 1000).toISOString()} ws-0${i % 3} sshd 4 - - Failed password for alice from 10.9.8.${i + 1} ${MARK}`));
    const server = srv;
    await until(async () => (await apiGet<{ count: number }>(server, `/api/count?q=${MARK}&from=-15m`)).body.count === N, 'the lines searchable');
    await page.goto(`${srv.base}/search?q=${MARK}&from=-15m`);
    await until(async () => (await page.locator('#total-count').getAttribute('data-count')) === String(N), 'the total shown');

    await page.getByRole('button', { name: 'Share anonymized…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share an anonymized dataset' });
    const rows = dialog.getByRole('list', { name: 'Anonymized lines' }).locator('li');
    const download = dialog.getByRole('link', { name: 'Download' });
    await until(async () => (await rows.count()) === 20 && (await download.count()) === 1, 'the preview and Download');
    const asOf = previews[0]!.get('asOf')!;
    assert.equal(new URL((await download.getAttribute('href'))!, srv.base).searchParams.get('asOf'), asOf);

    // left open: the dialog holds the pin it would export under (every row is loaded: the page itself holds nothing)
    await page.clock.fastForward(HOLD_MS);
    await until(async () => holds.length >= 1, 'the pin held while the dialog is open');
    for (const k of ['from', 'to', 'asOf']) assert.equal(holds[0]!.get(k), previews[0]!.get(k), `the hold sends the preview's ${k}`);
    assert.equal(await rows.count(), 20, 'the preview stays');

    // the server can no longer answer for it: said at the next hold, before any click, and nothing to download
    refuseHold = true;
    await page.clock.fastForward(HOLD_MS);
    const lapsed = dialog.locator('[data-code="SEARCH_AS_OF_TOO_OLD"]');
    await until(async () => (await lapsed.count()) === 1, 'the lapsed pin said in the dialog');
    const said = (await lapsed.innerText()).replace(/\s+/g, ' ');
    assert.match(said, /This search can no longer be exported as it was shown\..*merged an hour of its range into one shard.*the lines stored until now/);
    assert.ok(!said.includes('409') && !said.includes('asOf'), `no raw error: ${said}`);
    assert.equal(await download.count(), 0, 'no Download link under a lapsed pin');
    assert.equal(await dialog.getByRole('button', { name: 'Download' }).isDisabled(), true);

    // one click: the same range and query, pinned at now, previewed anew
    refuseHold = false;
    const before = previews.length;
    await lapsed.getByRole('button', { name: 'Preview again with the lines stored until now' }).click();
    await until(async () => (await rows.count()) === 20 && (await download.count()) === 1, 'the preview again, and Download');
    const again = previews[before]!;
    assert.ok(Number(again.get('asOf')) > Number(asOf), `a new pin (${again.get('asOf')} after ${asOf})`);
    for (const k of ['from', 'to', 'q']) assert.equal(again.get(k), previews[0]!.get(k), `the same ${k}`);
    assert.equal(new URL((await download.getAttribute('href'))!, srv.base).searchParams.get('asOf'), again.get('asOf'), 'Download exports under the new pin');

    // the preview itself refused (the dialog opened on a page left open): the same words and the same way on
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    refusePreview = true;
    await page.getByRole('button', { name: 'Share anonymized…' }).click();
    await until(async () => (await lapsed.count()) === 1, 'the refused preview said in words');
    refusePreview = false;
    await lapsed.getByRole('button', { name: 'Preview again with the lines stored until now' }).click();
    await until(async () => (await rows.count()) === 20 && (await download.count()) === 1, 'the preview after the refusal');
    // the played 409s are the page's own requests refused, logged by the browser as failed loads
    assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  } finally {
    await closeUi(browser, srv);
  }
});

/**
 * "Share anonymized…" on the Search page: an admin opens the dialog for the search shown; without a key file
 * it says how to make one (SHARE_KEY_MISSING, not a generic failure); with one it previews the first lines,
 * anonymized (no address, user or host of the fixture in them), takes the site's own domain, and Download
 * saves the whole NDJSON export, its manifest last. An open start is the route's own 400, in its words. An
 * analyst has no such action. Screenshots: test-artifacts/web/share-dialog-{wide,narrow,no-key}.png.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, apiGet, closeUi, logIn, openUi, pageScrollsSideways, sendSyslog, shotOf, skipReason, until, watchProblems, type UiServer } from './browser.js';
import { tempDir } from '../helpers.js';

const skip = skipReason();
const problems: string[] = [];
const MARK = `nebula${process.pid}`;
const DOMAIN = `acme${process.pid}.com`;
const N = 30;
const keyDir = tempDir('nml-ui-share-key-');
const KEY = join(keyDir.dir, 'share.key');
after(() => keyDir.cleanup());

/** The fixture's originals: none may reach the recipient. */
const ORIGINALS = ['10.20.30.', '203.0.113.', 'alice', 'ws-fin-0', `intranet.${DOMAIN}`, 'bob.smith'];

function fixture(t0: number): string[] {
  const lines = Array.from(
    { length: N },
    (_, i) => `<38>1 ${new Date(t0 - (N + 1 - i) * 1000).toISOString()} ws-fin-0${i % 3} sshd 42 - - Failed password for alice from 10.20.30.${i + 1} port 22 ssh2 ${MARK} via 203.0.113.${i + 1}`,
  );
  // the newest: a URL on the site's own domain, in the preview's first lines
  lines.push(`<14>1 ${new Date(t0).toISOString()} ws-fin-01 squid 7 - - 10.20.30.99 GET http://intranet.${DOMAIN}/wiki?user=bob.smith ${MARK}`);
  return lines;
}

async function openDialog(page: Page) {
  await page.getByRole('button', { name: 'Share anonymized…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share an anonymized dataset' });
  await dialog.waitFor();
  return dialog;
}

test('an admin previews the anonymized dataset of the search shown and downloads it whole; no key says how to make one; an analyst has no such action', { skip }, async () => {
  let srv: UiServer | undefined;
  let browser: Browser | undefined;
  try {
    let page: Page;
    ({ srv, browser, page } = await openUi(problems, {}, { share: { keyFile: KEY } }));
    await logIn(page, srv, '/search');
    await page.getByLabel('Search query').waitFor();
    await sendSyslog(srv.tcpPort, fixture(Date.now()));
    const server = srv;
    await until(async () => (await apiGet<{ count: number }>(server, `/api/count?q=${MARK}`)).body.count === N + 1, 'the lines searchable');

    await page.goto(`${srv.base}/search?q=${MARK}&from=-15m`);
    await until(async () => (await page.locator('#total-count').getAttribute('data-count')) === String(N + 1), 'the total shown');
    await shotOf(page.locator('.hist-panel .panel-head'), 'share-action');

    // no key file yet: the dialog says how to make one, and nothing can be downloaded
    let dialog = await openDialog(page);
    const noKey = dialog.locator('[data-code="SHARE_KEY_MISSING"]');
    await noKey.waitFor();
    assert.match((await noKey.textContent())!, /no share key.*Share\.keyFile .*share\.key: there is no file; make one with: nml share key --out FILE/s);
    assert.equal(await dialog.getByRole('button', { name: 'Download' }).isDisabled(), true);
    await shotOf(dialog, 'share-dialog-no-key');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // the key made (as nml share key makes it): read at each request, no restart
    writeFileSync(KEY, `${'7c'.repeat(32)}\n`, { mode: 0o600 });
    dialog = await openDialog(page);
    const rows = dialog.getByRole('list', { name: 'Anonymized lines' }).locator('li');
    await until(async () => (await rows.count()) === 20, 'the 20 preview lines');
    const counts = (await dialog.locator('.share-counts').textContent())!;
    assert.match(counts, /the first 20 lines of more/);
    assert.match((await dialog.locator('.share-scope').textContent())!, new RegExp(`that match ${MARK}`));
    const shown = (await rows.allTextContents()).join('\n');
    assert.match(shown, /Failed password for user-[0-9a-f]{10} from \d+\.\d+\.\d+\.\d+ port 22/, 'the lines, anonymized');
    for (const o of ORIGINALS.filter((x) => x !== `intranet.${DOMAIN}`)) assert.ok(!shown.includes(o), `${o} in the preview`);
    // a public-looking domain stays in clear until it is named the site's own
    assert.ok(shown.includes(`intranet.${DOMAIN}`));
    const domain = dialog.getByLabel(/The site's own domains/);
    await domain.fill(DOMAIN);
    await domain.press('Enter');
    await dialog.getByRole('button', { name: `Remove ${DOMAIN}` }).waitFor();
    await until(async () => (await rows.count()) === 20 && !(await rows.allTextContents()).join('\n').includes(DOMAIN), 'the preview again, the domain a pseudonym');
    const again = (await rows.allTextContents()).join('\n');
    for (const o of ORIGINALS) assert.ok(!again.includes(o), `${o} in the preview`);
    assert.match(again, /GET http:\/\/host-[0-9a-f]{10}\/wiki\?user=q-[0-9a-f]{10}/);
    await dialog.screenshot({ path: join(ARTIFACTS, 'share-dialog-wide.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Download' }).click()]);
    assert.match(download.suggestedFilename(), /^nml-share-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.ndjson$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const records = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = records.at(-1)!['manifest'] as { files: Record<string, { records: number }>; partial?: unknown; anonymization: { internalDomains: string[] } } | undefined;
    assert.ok(last !== undefined, 'the last record is the manifest');
    assert.equal(last.partial, undefined, 'the whole export, not the preview');
    assert.equal(records.filter((r) => 'line' in r).length, N + 1);
    assert.equal(last.files['lines.ndjson']!.records, N + 1);
    assert.deepEqual(last.anonymization.internalDomains, [DOMAIN]);
    for (const o of ORIGINALS) assert.ok(!text.includes(o), `${o} in the download`);
    await dialog.getByText(/Download started/).waitFor();

    // narrow: the dialog fits the window
    await page.setViewportSize({ width: 420, height: 800 });
    // the page under the dialog takes its narrow layout on the resize event's render
    await until(async () => !(await pageScrollsSideways(page)), 'no sideways scroll at 420 px');
    const box = (await dialog.locator('.share-box').boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 420, `the dialog within 420 px (${box.x}+${box.width})`);
    await dialog.screenshot({ path: join(ARTIFACTS, 'share-dialog-narrow.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1280, height: 860 });

    // an open start: the route's own 400 says a dataset is one range
    await page.goto(`${srv.base}/search?q=${MARK}&from=all`);
    await until(async () => (await page.locator('#total-count').getAttribute('data-count')) === String(N + 1), 'the total over all time');
    dialog = await openDialog(page);
    const open = dialog.locator('[data-code="SHARE_RANGE_MISSING"]');
    await open.waitFor();
    assert.match((await open.textContent())!, /query parameter from is needed/);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // an analyst searches the same lines and is offered the exports, not the share
    const added = await page.request.fetch(`${srv.base}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, data: JSON.stringify({ name: 'ann', role: 'analyst', password: 'ann-analyses-77' }) });
    assert.equal(added.status(), 201, await added.text());
    const analyst = await (await browser.newContext()).newPage();
    watchProblems(analyst, problems);
    await analyst.goto(`${srv.base}/search?q=${MARK}&from=-15m`);
    await analyst.getByLabel('Username').fill('ann');
    await analyst.getByLabel('Password', { exact: true }).fill('ann-analyses-77');
    await analyst.getByRole('button', { name: 'Log in' }).click();
    await analyst.getByRole('link', { name: 'raw lines' }).waitFor();
    assert.equal(await analyst.getByRole('button', { name: 'Share anonymized…' }).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await closeUi(browser, srv);
  }
});

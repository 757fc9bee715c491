/**
 * The Watches page in a real browser against a real node: from a search, "Watch…" opens the form on its
 * query; "Count now" says what it would count; a saved watch is counted by the server at once and its
 * fired count links to its alert on the Alerts page; a bad query is the server's error in the form; pause,
 * change and remove work; at 420 px the page does not scroll sideways.
 * Screenshots: test-artifacts/web/watches.png, watches-narrow.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, apiGet, loggedInUi, pageScrollsSideways, sendSyslog, skipReason, until } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const MARKER = `watchneedle${process.pid}`;
const NAME = 'needle logins';
const ui = loggedInUi(skip, problems, '/watches', (page) => page.getByRole('heading', { name: 'Watches' }).waitFor());

const row = () => ui.page.locator(`tr[data-watch="${NAME}"]`);

test('a search becomes a watch: counted now, saved, counted by the server, its alert one click away', { skip }, async () => {
  const { page, srv } = ui;
  await page.getByText('No watch yet.').waitFor();
  const at = new Date().toISOString();
  await sendSyslog(srv.tcpPort, [1, 2, 3].map((i) => `<38>1 ${at} web-0${i} sshd ${100 + i} - - Failed password for root from 203.0.113.${i} ${MARKER}`));
  await until(async () => (await apiGet<{ count: number }>(srv, `/api/count?q=${MARKER}&from=-1h`)).body.count === 3, 'the three lines searchable');

  await page.goto(`${srv.base}/search?q=${MARKER}&from=-1h`);
  await page.locator('tr.hit').first().waitFor();
  await page.locator('.hist-panel .panel-head').screenshot({ path: join(ARTIFACTS, 'watches-search-link.png') });
  await page.getByRole('link', { name: 'Watch…' }).click();
  const form = page.getByRole('form', { name: 'New watch' });
  await form.waitFor();
  assert.equal(await form.getByLabel('Query').inputValue(), MARKER, 'the search\'s query');
  await form.getByLabel('Name').fill(NAME);
  await form.getByLabel('Fires at').fill('2');
  await form.getByLabel('Window').fill('15m');
  await form.getByRole('button', { name: 'Count now' }).click();
  await form.getByText('it would fire').waitFor();
  assert.equal(await form.locator('[data-count]').getAttribute('data-count'), '3');
  await form.screenshot({ path: join(ARTIFACTS, 'watches-form.png') });

  await form.getByRole('button', { name: 'Save watch' }).click();
  await page.getByText(`Watch "${NAME}" saved`).waitFor();
  assert.equal(new URL(page.url()).search, '', 'the form closed and the address is plain again');
  await row().getByText('≥ 2 lines in 15m, counted every 1m').waitFor();
  // the page asks again a moment after a save; Reload is what a person would press meanwhile
  await until(async () => {
    if ((await row().getByRole('link', { name: 'fired' }).count()) === 1) return true;
    await page.getByRole('button', { name: 'Reload the watches' }).click({ timeout: 1000 }).catch(() => undefined);
    return false;
  }, 'the server\'s first count, fired');
  assert.equal(await row().locator('[data-count]').getAttribute('data-count'), '3');
  await page.screenshot({ path: join(ARTIFACTS, 'watches.png'), fullPage: true });

  await row().getByRole('link', { name: 'fired' }).click();
  await until(async () => new URL(page.url()).pathname === '/alerts', 'the Alerts page');
  await page.locator('tr[data-finding]').first().waitFor();
  assert.equal(await page.locator('tr[data-finding]').count(), 1, 'one alert: this watch\'s');
  // the entity cell: the kind, then the watch's name
  await page.locator('tr[data-finding]').first().getByText(NAME, { exact: true }).first().waitFor();
  await page.locator('tr[data-finding]').first().getByText(/3 lines matched/).first().waitFor();
  await page.locator('tr[data-finding]').first().screenshot({ path: join(ARTIFACTS, 'watches-alert.png') });
});

test('a query the server refuses is said in the form; pause, change and remove the watch', { skip }, async () => {
  const { page, srv } = ui;
  await page.goto(`${srv.base}/watches`);
  await row().waitFor();
  await page.getByRole('button', { name: 'New watch' }).click();
  const form = page.getByRole('form', { name: 'New watch' });
  await form.getByLabel('Name').fill('broken');
  await form.getByLabel('Query').fill('(sshd');
  await form.getByRole('button', { name: 'Save watch' }).click();
  await form.getByRole('alert').getByText(/query: .* at column/).waitFor();
  await form.getByRole('button', { name: 'Cancel' }).click();

  await row().getByRole('button', { name: `Pause ${NAME}` }).click();
  await row().getByText('paused').waitFor();
  assert.equal((await apiGet<{ watches: { name: string; enabled: boolean }[] }>(srv, '/api/watches')).body.watches.find((w) => w.name === NAME)?.enabled, false);
  await row().getByRole('button', { name: `Resume ${NAME}` }).click();
  await until(async () => (await row().getByText('paused').count()) === 0, 'resumed');

  await row().getByRole('button', { name: `Change ${NAME}` }).click();
  const change = page.getByRole('form', { name: `Change watch ${NAME}` });
  assert.equal(await change.getByLabel('Fires at').inputValue(), '2');
  await change.getByLabel('Fires at').fill('50');
  await change.getByRole('button', { name: 'Save changes' }).click();
  await row().getByText('≥ 50 lines in 15m, counted every 1m').waitFor();

  await page.setViewportSize({ width: 420, height: 860 });
  await until(async () => !(await pageScrollsSideways(page)), 'no sideways scroll at 420 px');
  await page.screenshot({ path: join(ARTIFACTS, 'watches-narrow.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await row().getByRole('button', { name: `Remove ${NAME}` }).click();
  await row().getByRole('button', { name: 'Keep' }).click();
  await row().getByRole('button', { name: `Remove ${NAME}` }).click();
  await row().getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByText(`Watch "${NAME}" removed`).waitFor();
  assert.equal(await row().count(), 0);
  assert.deepEqual(problems, []);
});

/**
 * The Account page's audit log panel in a real browser against a real node: an admin sees their own
 * login, a failed one and the token's exports, newest first; filters by outcome, action and actor; pages
 * to older entries and back. Screenshot: test-artifacts/web/account-audit.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, USER, apiGet, loggedInUi, pageScrollsSideways, skipReason, until } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const ui = loggedInUi(skip, problems, '/account', (page) => page.getByRole('heading', { name: 'Audit log' }).waitFor());

const rows = () => ui.page.locator('table.audit-table tbody tr');
/** the data-* attribute `name` of every row shown */
const column = (name: string) => rows().evaluateAll((trs, n) => trs.map((tr) => (tr as unknown as { getAttribute(a: string): string | null }).getAttribute(n)), `data-${name}`);
const panel = () => ui.page.locator('section.audit');

async function reload(): Promise<void> {
  await panel().getByRole('button', { name: 'Reload the audit log' }).click();
}

test('the audit log shows logins and exports newest first, filters them, and pages older and back', { skip }, async () => {
  const { page, srv } = ui;
  // a failed login and 55 exports by the API token, beside the admin's own login
  const failed = await fetch(`${srv.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: 'not-the-password-1' }) });
  assert.equal(failed.status, 401);
  for (let i = 0; i < 55; i++) assert.equal((await apiGet(srv, `/api/search?q=audit${i}&format=lines`)).status, 200);

  await reload();
  await until(async () => (await rows().count()) === 50, 'a full first page of 50');
  assert.deepEqual(new Set(await column('action')), new Set(['search.export']), 'the newest 50 are the exports');
  await page.locator('table.audit-table tbody tr').first().getByText('q "audit54"').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'account-audit.png'), fullPage: true });

  // older: the rest of the exports, then the failed login and the admin's login
  await panel().getByRole('button', { name: 'Older' }).click({ timeout: 1000 });
  await until(async () => (await column('action')).includes('login'), 'the second page with the logins');
  const second = await column('action');
  assert.equal(second.filter((a) => a === 'search.export').length, 5);
  assert.deepEqual(await column('outcome').then((o) => o.slice(-2)), ['refused', 'ok'], 'the failed login, then the admin\'s own, oldest last');
  await panel().getByText('page 2').waitFor();
  await panel().getByRole('button', { name: 'Newer' }).click({ timeout: 1000 });
  await until(async () => (await rows().count()) === 50 && (await panel().getByText('page 1').count()) === 1, 'back to the first page');

  // outcome refused: the failed login alone, with its code
  await panel().getByLabel('Outcome').selectOption('refused');
  await until(async () => (await rows().count()) === 1, 'one refused entry');
  assert.deepEqual(await column('action'), ['login']);
  await rows().first().getByText('AUTH_LOGIN_FAILED').waitFor();
  await rows().first().getByText('nobody signed in').waitFor();

  // action login, actor the admin: their own login only
  await panel().getByLabel('Outcome').selectOption('');
  await panel().getByLabel('Action').selectOption('login');
  await panel().getByLabel('Actor').fill(USER);
  await panel().getByRole('button', { name: 'Apply' }).click({ timeout: 1000 });
  await until(async () => JSON.stringify(await column('outcome')) === '["ok"]', 'the admin\'s own login alone');
  await shotOf();

  // an actor nobody is: said so, and no page older
  await panel().getByLabel('Actor').fill('nobody-here');
  await panel().getByRole('button', { name: 'Apply' }).click({ timeout: 1000 });
  await panel().getByText('No entries match these filters.').waitFor();
  assert.equal(await panel().getByRole('button', { name: 'Older' }).isDisabled(), true);
});

async function shotOf(): Promise<void> {
  await panel().screenshot({ path: join(ARTIFACTS, 'account-audit-filtered.png') });
}

test('at 420 px the audit log wraps its details and the page does not scroll sideways', { skip }, async () => {
  const { page } = ui;
  await panel().getByLabel('Actor').fill('');
  await panel().getByLabel('Action').selectOption('');
  await panel().getByRole('button', { name: 'Apply' }).click({ timeout: 1000 });
  await until(async () => (await rows().count()) === 50, 'the first page again');
  await page.setViewportSize({ width: 420, height: 860 });
  await until(async () => !(await pageScrollsSideways(page)), 'no sideways scroll at 420 px');
  await panel().screenshot({ path: join(ARTIFACTS, 'account-audit-narrow.png') });
  await page.setViewportSize({ width: 1280, height: 860 });
});

test('no script errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * Logging out at a shared workstation: when the server does not end the session (an error, no answer),
 * the page says so and stays logged in rather than showing the login form over a live session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, USER, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

const isLogout = (u: URL) => u.pathname === '/api/auth/logout';

test('a failed logout says so and stays logged in; a successful one shows the login form', { skip }, async () => {
  await ui.page.route(isLogout, (r) => r.fulfill({ status: 503, json: { error: { code: 'UNAVAILABLE', kind: 'unavailable', message: 'try later' } } }));
  await ui.page.getByRole('button', { name: `User menu for ${USER}` }).click();
  await ui.page.locator('#user-menu').getByRole('button', { name: 'Log out' }).click();
  await ui.page.getByRole('alert').filter({ hasText: 'Logout failed — you are still logged in' }).waitFor();
  assert.equal(await ui.page.getByLabel('Password').count(), 0, 'no login form over a live session');
  assert.equal(await ui.page.getByRole('button', { name: `User menu for ${USER}` }).count(), 1);
  await ui.page.screenshot({ path: join(ARTIFACTS, 'logout-failed.png') });
  // the session is indeed still valid
  assert.equal((await ui.page.request.get(`${ui.srv.base}/api/auth/me`)).status(), 200);

  await ui.page.unroute(isLogout);
  await ui.page.locator('#user-menu').getByRole('button', { name: 'Log out' }).click();
  await ui.page.getByLabel('Password').waitFor();
  assert.equal((await ui.page.request.get(`${ui.srv.base}/api/auth/me`)).status(), 401);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

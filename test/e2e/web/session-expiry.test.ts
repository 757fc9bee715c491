/**
 * A session that ends under an open page: the login form comes as a modal dialog over the page, which
 * stays mounted (inert behind it), so what the operator was typing is still there after logging in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, PASSWORD, USER, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/search?q=sshd', (p) => p.getByLabel('Search query').waitFor());

test('a session that ends keeps the page and its draft under a modal login dialog; after login the page carries on', { skip }, async () => {
  const page = ui.page;
  const box = page.getByLabel('Search query');
  await box.fill('sshd AND host:draft-not-yet-run');
  // the session ends (expired, or ended elsewhere): the next call answers 401
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Last hour' }).click();

  const dialog = page.getByRole('dialog', { name: 'NML' });
  await dialog.waitFor();
  assert.equal(await page.evaluate<boolean>("document.querySelector('dialog.login-dialog')?.matches(':modal') === true"), true, 'a modal dialog');
  assert.equal(await page.locator('.shell[inert]').count(), 1, 'the page behind is inert');
  assert.equal(await page.locator('.shell[aria-hidden="true"]').count(), 1, 'and hidden from assistive technology');
  assert.equal(await page.locator('.login-screen').count(), 0, 'not the full-page login that unmounts the pages');
  assert.equal(await page.locator('.shell').getByLabel('Search query').inputValue(), 'sshd AND host:draft-not-yet-run', 'the draft is still there under the dialog');
  assert.match((await dialog.textContent()) ?? '', /session ended/i);
  await page.screenshot({ path: join(ARTIFACTS, 'session-expired-dialog.png') });

  // the focus is in the dialog and stays there
  assert.equal(await page.evaluate<boolean>("document.querySelector('dialog.login-dialog')?.contains(document.activeElement) === true"), true, 'focus in the dialog');
  assert.equal(await dialog.getByLabel('Username').inputValue(), USER, 'who it was is filled in');
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate<boolean>("document.querySelector('dialog.login-dialog')?.contains(document.activeElement) === true || document.activeElement === document.body");
    assert.ok(inside, `Tab ${i + 1} stays in the dialog`);
  }
  // Escape does not dismiss it (that would leave an inert page)
  await dialog.getByLabel('Password').focus();
  await page.keyboard.press('Escape');
  assert.equal(await dialog.isVisible(), true, 'Escape leaves the dialog open');

  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Log in' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.shell[inert]').count(), 0, 'the page is usable again');
  assert.equal(await box.inputValue(), 'sshd AND host:draft-not-yet-run', 'the draft survived the login');
  assert.equal(new URL(page.url()).searchParams.get('from'), '-1h', 'the range picked before the dialog is kept');
  // the search that failed with the ended session runs again: its error goes
  await page.locator('.notice.error', { hasText: /not logged in|auth/i }).waitFor({ state: 'detached' });
  assert.equal(await box.inputValue(), 'sshd AND host:draft-not-yet-run', 'and the draft is left as it was');
  // the page carries on: the draft runs as a search of the new session
  const searched = page.waitForResponse((r) => r.url().includes('/api/search') && r.url().includes('draft-not-yet-run'));
  await box.press('Enter');
  assert.equal((await searched).status(), 200);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

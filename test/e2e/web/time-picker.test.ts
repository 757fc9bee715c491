/**
 * The time picker reads a time without a zone as the server does, as UTC, whatever the browser's own
 * zone: the label must show the range that is searched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, logIn, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

test('a zone-less time in the URL is shown as the UTC time the server searches, in a browser at UTC+9', { skip }, async () => {
  const context = await ui.browser.newContext({ timezoneId: 'Asia/Tokyo' });
  try {
    const page = await context.newPage();
    await logIn(page, ui.srv, '/search?q=sshd&from=2026-11-28T10:00&to=2026-11-28T11:00');
    const label = page.locator('.tp-label');
    await label.waitFor();
    assert.equal(await label.textContent(), '2026-11-28 10:00:00 → 2026-11-28 11:00:00 UTC');
  } finally {
    await context.close();
  }
});

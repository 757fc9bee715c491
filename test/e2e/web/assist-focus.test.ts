/**
 * The assist page for keyboard and screen-reader users: Analyze keeps the focus while it works (it is
 * not disabled under it), the focus then goes to the results' heading, the outcome is announced
 * (politely; an error as an alert), and a file the server takes (up to its 8 MiB) is sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Request, Route } from 'playwright-core';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/assist', (p) => p.getByLabel('Report text').waitFor());

const REPORT = 'Ransomware encrypted the file server srv-file-01 at 02:00; users report .locked files. Source 10.0.3.178';

interface Focus {
  body: boolean;
  tag: string;
  text: string;
  inForm: boolean;
  inResult: boolean;
}
// a string: this project's test code has no DOM types
const focus = () =>
  ui.page.evaluate<Focus>(`(() => {
    const a = document.activeElement;
    const form = document.querySelector('section[aria-labelledby="assist-title"]');
    const page = document.querySelector('.assist-page');
    return {
      body: a === null || a === document.body,
      tag: a === null ? '' : a.tagName,
      text: a === null ? '' : (a.textContent || '').slice(0, 100),
      inForm: a !== null && form !== null && form.contains(a),
      inResult: a !== null && page !== null && page.contains(a) && !(form !== null && form.contains(a)),
    };
  })()`);

/** Focuses Analyze and presses Enter: what a keyboard user does. */
async function analyzeByKeyboard(): Promise<void> {
  await ui.page.getByRole('button', { name: 'Analyze' }).focus();
  await ui.page.keyboard.press('Enter');
}

test('after Analyze by keyboard the focus is on the results heading, never on <body>; the results are announced', { skip }, async () => {
  const page = ui.page;
  const held: Route[] = [];
  await page.route((u) => u.pathname === '/api/assist/normalize', (r) => void held.push(r));
  await page.getByLabel('Report text').fill(REPORT);
  await analyzeByKeyboard();
  await until(async () => held.length === 1, 'the analysis asked');
  const during = await focus();
  assert.equal(during.body, false, 'the focus stays on the page while it analyzes');
  assert.equal(during.inForm, true, `the focus stays in the form while it analyzes: ${JSON.stringify(during)}`);
  await held[0]!.continue();
  await page.locator('section[aria-label="Normalized record"]').waitFor();
  await until(async () => (await focus()).inResult, 'the focus moved to the results');
  const after = await focus();
  assert.equal(after.body, false);
  assert.equal(after.tag, 'H2', `the results' heading has the focus: ${JSON.stringify(after)}`);
  const polite = page.locator('[aria-live="polite"]', { hasText: /similar incident/ });
  await polite.first().waitFor({ state: 'attached' });
  await page.screenshot({ path: join(ARTIFACTS, 'assist-focus-results.png') });
  // a second analysis from the keyboard: the focus was on the heading, Enter on Analyze again
  await analyzeByKeyboard();
  await until(async () => held.length === 2, 'the second analysis asked');
  assert.equal((await focus()).body, false, 'not lost while the old result leaves');
  await held[1]!.continue();
  await until(async () => (await focus()).inResult, 'the focus moved to the new results');
  await page.unrouteAll();
});

test('an error is announced as an alert and the focus stays on Analyze', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/assist`);
  await page.route((u) => u.pathname === '/api/assist/normalize', (r) => r.fulfill({ status: 500, json: { error: { code: 'INTERNAL', kind: 'internal', message: 'the analysis failed' } } }));
  await page.getByLabel('Report text').fill(REPORT);
  await analyzeByKeyboard();
  await page.getByRole('alert').filter({ hasText: 'the analysis failed' }).waitFor();
  const f = await focus();
  assert.equal(f.body, false, 'the focus is not lost');
  assert.equal(f.inForm, true, `the focus stays in the form: ${JSON.stringify(f)}`);
  assert.match(f.text, /Analyze/);
  await page.unrouteAll();
});

test('a 7 MiB file, which the server takes, is accepted and sent', { skip }, async () => {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/assist`);
  const sent: Request[] = [];
  // stubbed: the page's part is what it sends, not the analysis of 7 MiB of one letter
  await page.route((u) => u.pathname === '/api/assist/normalize', (r) => {
    sent.push(r.request());
    return r.fulfill({ status: 400, json: { error: { code: 'STUB', kind: 'bad_request', message: 'stubbed answer' } } });
  });
  const size = 7 * 1024 * 1024;
  await page.getByLabel(/^Upload a report/).setInputFiles({ name: 'thread.eml', mimeType: 'message/rfc822', buffer: Buffer.alloc(size, 0x41) });
  for (let i = 0; i < 3; i++) await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  assert.equal(await page.locator('.notice.error').count(), 0, 'not refused when chosen');
  await analyzeByKeyboard();
  await page.getByRole('alert').filter({ hasText: 'stubbed answer' }).waitFor();
  assert.equal(sent.length, 1, 'sent');
  const body = sent[0]!.postDataJSON() as { text?: string; base64?: string; save: boolean };
  const bytes = body.text !== undefined ? Buffer.byteLength(body.text) : Buffer.from(body.base64 ?? '', 'base64').length;
  assert.equal(bytes, size, 'the whole file');
  await page.unrouteAll();
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

/**
 * The assist page across analyses: a new analysis clears the one before at once (a failed one leaves
 * nothing stale on screen), and the chat, with an answer still out, does not carry over to it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { ROOT, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/assist', (p) => p.getByLabel('Report text').waitFor());

test('a new analysis clears the old result and its chat; a late answer does not land under it', { skip }, async () => {
  const normalizes: Route[] = [];
  let chat: Route | null = null;
  await ui.page.route((u) => u.pathname === '/api/assist/normalize', (r) => void normalizes.push(r));
  await ui.page.route((u) => u.pathname === '/api/assist/chat', (r) => void (chat = r));
  const record = ui.page.locator('section[aria-label="Normalized record"]');
  const messages = ui.page.locator('.assist-messages > li');

  await ui.page.getByLabel('Report text').fill(readFileSync(join(ROOT, 'test', 'fixtures', 'assist', 'seed-verbatim.txt'), 'utf8'));
  await ui.page.getByRole('button', { name: 'Analyze' }).click();
  await until(async () => normalizes.length === 1, 'the first analysis asked');
  await normalizes[0]!.continue();
  await record.waitFor();

  await ui.page.getByLabel('Question').fill('what is this?');
  await ui.page.getByRole('button', { name: 'Ask', exact: true }).click();
  await until(async () => chat !== null, 'the question asked');
  assert.equal(await messages.count(), 1);

  // a second analysis: the first result leaves at once, and it fails
  await ui.page.getByRole('button', { name: 'Analyze' }).click();
  await until(async () => normalizes.length === 2, 'the second analysis asked');
  await record.waitFor({ state: 'detached' });
  await normalizes[1]!.fulfill({ status: 500, json: { error: { code: 'INTERNAL', kind: 'internal', message: 'the analysis failed' } } });
  await ui.page.locator('.notice.error', { hasText: 'the analysis failed' }).waitFor();
  assert.equal(await record.count(), 0, 'no stale result under the error');

  // a third one succeeds: a fresh chat, and the answer to the first incident's question is dropped
  await ui.page.getByRole('button', { name: 'Analyze' }).click();
  await until(async () => normalizes.length === 3, 'the third analysis asked');
  await normalizes[2]!.continue();
  await record.waitFor();
  assert.equal(await messages.count(), 0, 'the chat does not carry over');
  await (chat as Route | null)?.fulfill({ json: { answer: 'an answer about the first incident', citations: [] } }).catch(() => undefined);
  for (let i = 0; i < 3; i++) await ui.page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  assert.equal(await messages.count(), 0, 'the late answer does not land under the new incident');
  assert.equal(await ui.page.getByRole('button', { name: 'Ask', exact: true }).isDisabled(), true, 'empty question');
  assert.equal(await ui.page.getByRole('button', { name: 'what is this?' }).isDisabled(), false, 'not left busy');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

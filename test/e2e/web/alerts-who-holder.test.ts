/**
 * Who is behind a finding's address when the lease changed hands: the holder at the finding's time is
 * named first, and the earlier holder's names after "before:", never run together as one person
 * (review of session 31: "10.0.7.7 (olduser, newuser, ws-old)").
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { skipReason, until, type UiServer, openUi, logIn, closeUi } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const NOW = Date.now();

const finding = {
  id: 7, detector: 'syn', entity: 'ip:10.0.7.7', score: 0.99, threshold: 0.95, modelVersion: 't', firstSeen: NOW - 60_000, lastSeen: NOW, count: 1,
  explanation: { summary: 'a scan', detail: {} }, evidence: { query: 'ip:10.0.7.7', from: NOW - 60_000, to: NOW },
  triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null },
};
const identity = {
  macs: ['bb:00:00:00:00:02', 'aa:00:00:00:00:01'],
  users: ['newuser', 'olduser'],
  hosts: ['ws-new', 'ws-old'],
  since: NOW - 30 * 60_000,
  seen: [
    { kind: 'mac', name: 'bb:00:00:00:00:02', first: NOW - 30 * 60_000, last: NOW - 30 * 60_000 },
    { kind: 'mac', name: 'aa:00:00:00:00:01', first: NOW - 60 * 60_000, last: NOW - 40 * 60_000, earlier: true },
    { kind: 'user', name: 'newuser', first: NOW - 29 * 60_000, last: NOW - 29 * 60_000 },
    { kind: 'user', name: 'olduser', first: NOW - 55 * 60_000, last: NOW - 45 * 60_000, earlier: true },
    { kind: 'host', name: 'ws-new', first: NOW - 30 * 60_000, last: NOW - 30 * 60_000 },
    { kind: 'host', name: 'ws-old', first: NOW - 60 * 60_000, last: NOW - 60 * 60_000, earlier: true },
  ],
};

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page } = await openUi(problems));
  await page.route((u) => u.pathname === '/api/findings', (r) => r.fulfill({ json: { readAt: NOW, findings: [finding] } }));
  await page.route((u) => u.pathname === '/api/findings/clients', (r) => r.fulfill({ json: { who: { '7': { entity: 'ip:10.0.7.7', total: 0, clients: [], identity } } } }));
  await logIn(page, srv, '/alerts?status=all');
});

after(async () => {
  if (skip === false) await closeUi(browser, srv);
});

test("a finding's address names its holder at the time first, and the earlier holder after 'before:'", { skip }, async () => {
  const who = page.locator('table.alerts-table tr[data-finding="7"] .who');
  await until(async () => (await who.count()) === 1, 'the line saying who is behind the address');
  assert.equal((await who.textContent())?.replace(/\s+/g, ' ').trim(), 'behind it: newuser, ws-new; before: olduser, ws-old');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

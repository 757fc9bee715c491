/**
 * The Alerts list is in the order NML raised or saw its findings again (sort=sighted): a finding from an
 * old log loaded late says when it was raised under its "last seen", so that its place is explained.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { closeUi, logIn, openUi, skipReason, type UiServer } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const finding = (id: number, entity: string, lastSeen: number, sightedAt: number) => ({
  id,
  detector: 'url',
  entity,
  score: 0.99,
  threshold: 0.968,
  modelVersion: 'test',
  time: lastSeen,
  firstSeen: lastSeen,
  lastSeen,
  count: 1,
  sightedAt,
  explanation: { summary: `finding ${id}`, detail: null },
  evidence: { query: entity, from: lastSeen - 60_000, to: lastSeen + 60_000 },
  triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null },
});

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page } = await openUi(problems));
});

after(async () => {
  if (skip === false) await closeUi(browser, srv);
});

test('a finding raised long after its last event says when it was raised; a live one does not', { skip }, async () => {
  const now = Date.now();
  let asked = '';
  await page.route(
    (u) => u.pathname === '/api/findings',
    (r) => {
      asked = new URL(r.request().url()).searchParams.get('sort') ?? '';
      return r.fulfill({ json: { findings: [finding(901, 'url:old-log.example/a', now - 6 * 86_400_000, now - 120_000), finding(902, 'url:live.example/b', now - 300_000, now - 299_000)], readAt: now } });
    },
  );
  await logIn(page, srv, '/alerts');
  const old = page.locator('table.alerts-table tr[data-finding="901"]');
  await old.waitFor();
  assert.equal(asked, 'sighted', 'the list asks for the order NML raised them in');
  assert.match((await old.textContent()) ?? '', /6d ago\s*raised [23]m ago/, "raised two minutes before the page was read (three when the machine is slow to render)");
  const live = page.locator('table.alerts-table tr[data-finding="902"]');
  assert.doesNotMatch((await live.textContent()) ?? '', /raised/);
  await page.unroute((u) => u.pathname === '/api/findings');
});

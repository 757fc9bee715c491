/**
 * The live page with a server that stops answering: the poll gives up after three intervals and says
 * so, the figures are marked stale with their age (which moves on by itself), and the tail says that
 * nothing can arrive; a filter the server refuses is said in its words, not as its error code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { ARTIFACTS, skipReason, until, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/live', (p) => p.locator('.tile', { hasText: 'Stored lines' }).waitFor());

test('a hung server: the poll times out with an error, the tiles say how old they are, the tail says nothing can come', { skip }, async () => {
  const page = ui.page;
  await page.locator('.tail-head .conn', { hasText: 'streaming' }).waitFor();
  await until(async () => (await page.locator('.tile', { hasText: 'Stored lines' }).textContent())?.includes('—') === false, 'a first poll');
  assert.equal(await page.locator('.tiles.stale').count(), 0, 'fresh figures are not marked');
  // the server hangs: every poll from now on is left without an answer
  const hung: Route[] = [];
  const polls = (u: URL) => u.pathname === '/api/live' || u.pathname === '/api/stats';
  await page.route(polls, (r) => void hung.push(r));

  await page.locator('.tiles.stale').waitFor({ timeout: 15_000 });
  const stale = page.locator('.live-stale');
  assert.match((await stale.textContent()) ?? '', /last update \d+s ago/);
  await page.locator('.tail-head .conn', { hasText: 'the server is not answering' }).waitFor();
  await page.getByRole('alert').filter({ hasText: /no answer in 6 s/ }).waitFor({ timeout: 15_000 });
  // the age moves on by itself, with nothing new from the server
  const first = (await stale.textContent()) ?? '';
  await until(async () => ((await stale.textContent()) ?? '') !== first, 'the age moved on', 5000);
  await page.screenshot({ path: join(ARTIFACTS, 'live-hung.png') });

  // the server answers again: the marks go
  await page.unroute(polls);
  for (const r of hung) await r.continue().catch(() => undefined);
  await page.locator('.tiles.stale').waitFor({ state: 'detached', timeout: 15_000 });
  await page.getByRole('alert').filter({ hasText: /no answer/ }).waitFor({ state: 'detached' });
  await page.locator('.tail-head .conn', { hasText: 'streaming' }).waitFor();
});

test('the shards tile names the merged hours and what merging does now: running, then when it last ran and how many failed', { skip }, async () => {
  const page = ui.page;
  const compaction = { merges: 3, failures: 0, waiting: 0, lastMergeAt: null as number | null, running: true };
  const live = (u: URL) => u.pathname === '/api/live';
  await page.route(live, async (r) => {
    const body = (await (await r.fetch()).json()) as { store: Record<string, unknown> };
    await r.fulfill({ json: { ...body, store: { ...body.store, mergedShards: 5, compaction } } });
  });
  const tile = page.locator('.tile', { hasText: 'Shards' });
  try {
    await tile.locator('.tile-sub', { hasText: '5 merged hours · merging now' }).waitFor({ timeout: 10_000 });
    compaction.running = false;
    compaction.lastMergeAt = Date.now() - 180_000;
    compaction.failures = 1;
    await tile.locator('.tile-sub', { hasText: /^5 merged hours · last merge 3m ago · 1 merge failed$/ }).waitFor({ timeout: 10_000 });
    // an hour left for a search being read (store.compaction.pinIdleMs) is said, so it is not taken for a stuck merge
    Object.assign(compaction, { failures: 0, waiting: 1 });
    await tile.locator('.tile-sub', { hasText: /^5 merged hours · last merge 3m ago · 1 hour waits for a search being read$/ }).waitFor({ timeout: 10_000 });
    await page.locator('.tiles').screenshot({ path: join(ARTIFACTS, 'live-merges.png') });
  } finally {
    await page.unroute(live);
  }
});

test('a tail filter the server refuses stops the tail: the status says the filter is at fault, the box shows the server\'s message (once), Pause is off', { skip }, async () => {
  const page = ui.page;
  const filter = page.getByLabel('Live tail filter');
  await filter.fill('host:"unterminated');
  await filter.press('Enter');
  const conn = page.locator('.tail-head .conn');
  await conn.filter({ hasText: 'stopped:' }).waitFor();
  const text = (await conn.textContent()) ?? '';
  assert.doesNotMatch(text, /stopped: [A-Z_]+$/, `a message, not a code: ${text}`);
  assert.match(text, /^stopped: the filter has an error, marked under the box/);
  const marked = (await page.locator('#qb-error').textContent()) ?? '';
  assert.ok(marked.length > 'QUERY_SYNTAX'.length && !text.includes(marked), `the server's message under the box, not twice: ${marked}`);
  assert.equal(await page.getByRole('button', { name: 'Pause the live tail' }).isDisabled(), true, 'nothing to pause');
  await page.locator('.tail-head').screenshot({ path: join(ARTIFACTS, 'live-tail-bad-filter.png') });
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});

test('a source whose lines had bytes that are not UTF-8 is named in a notice that says what was done and what to do', { skip }, async () => {
  const page = ui.page;
  const live = (u: URL) => u.pathname === '/api/live';
  await page.route(live, async (r) => {
    const body = (await (await r.fetch()).json()) as { sources: Record<string, unknown>[] };
    const sources = [...body.sources, { name: 'udp:0.0.0.0:5514', received: 900, bytes: 90_000, drops: {}, notUtf8: 312 }, { name: 'tcp:0.0.0.0:5514', received: 5, bytes: 500, drops: {}, notUtf8: 0 }];
    await r.fulfill({ json: { ...body, sources } });
  });
  const notice = page.getByRole('region', { name: 'Lines not in UTF-8' });
  try {
    await notice.waitFor({ timeout: 10_000 });
    const items = await notice.locator('li').allTextContents();
    assert.deepEqual(items, ['udp:0.0.0.0:5514: 312 lines had bytes that are not UTF-8, stored with \ufffd in their place: set the device to send UTF-8']);
  } finally {
    await page.unroute(live);
  }
  await notice.waitFor({ state: 'detached', timeout: 10_000 });
});

/**
 * The Live page's "Last backup" tile and alert (`backup.dir`): a server that took a verified backup shows its
 * age, how many are kept and when the next runs; a failing streak (its answer altered in the browser: a real
 * one needs a file the backup folder cannot hold) is an alert with the code, the message, the streak and the
 * last good one's age, and the tile marked; no schedule is one quiet tile. Screenshots wide and at 420 px.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, closeUi, logIn, openUi, pageScrollsSideways, skipReason, type UiServer } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nml-ui-backups-'));
let srv: UiServer | undefined;
let browser: Browser | undefined;
let page: Page;

before(async () => {
  if (skip !== false) return;
  // the first backup at once, the next an hour later
  ({ srv, browser, page } = await openUi(problems, { backup: { everyMs: 3_600_000, firstDelayMs: 0 } }, { backup: { dir, keep: 3 } }));
  await logIn(page, srv, '/live');
});
after(async () => {
  if (skip === false) await closeUi(browser, srv);
  rmSync(dir, { recursive: true, force: true });
});

const tile = () => page.locator('.tile', { hasText: 'Last backup' });

async function shots(name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  await page.setViewportSize({ width: 420, height: 900 });
  assert.equal(await pageScrollsSideways(page), false, `${name}: nothing scrolls sideways at 420 px`);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-420.png`) });
  await page.setViewportSize({ width: 1280, height: 860 });
}

test('a verified backup: the tile says its age, how many are kept of backup.keep and when the next runs; no alert', { skip }, async () => {
  await tile().locator('.tile-value', { hasText: /^\d+s ago$/ }).waitFor({ timeout: 30_000 });
  await tile().locator('.tile-sub', { hasText: /^1 of 3 kept · next in (59m|1h)$/ }).waitFor({ timeout: 10_000 });
  assert.equal(await tile().evaluate((e) => e.className), 'tile', 'not marked');
  assert.equal(await page.getByRole('alert').count(), 0);
  await shots('live-backup-ok');
  assert.deepEqual(problems, []);
});

test('a failing streak: an alert with the code, message, streak and the last good one; the tile marked', { skip }, async () => {
  const live = (u: URL) => u.pathname === '/api/live';
  await page.route(live, async (r) => {
    const body = (await (await r.fetch()).json()) as { time: number; backup: Record<string, unknown> & { lastSuccess: { at: number } } };
    const t = body.time;
    const lastRun = { ok: false, startedAt: t - 62_000, finishedAt: t - 60_000, durationMs: 2000, folder: null, files: 0, bytes: 0, code: 'BACKUP_DIR_UNWRITABLE', error: 'backup: cannot use backup.dir (a path): EACCES: permission denied; make it a folder this user may write (the backups in it are kept)', pruned: [] };
    const lastSuccess = { ...body.backup.lastSuccess, at: t - 6 * 3_600_000 - 60_000 };
    await r.fulfill({ json: { ...body, backup: { ...body.backup, lastRun, lastSuccess, failures: 4, failedInARow: 3, nextAt: t + 40 * 60_000 } } });
  });
  try {
    const alert = page.getByRole('alert').filter({ hasText: 'The scheduled backup failed' });
    await alert.waitFor({ timeout: 10_000 });
    assert.equal(await alert.locator('strong').textContent(), 'The scheduled backup failed 3 times in a row (BACKUP_DIR_UNWRITABLE, 1m ago)');
    const items = await alert.locator('li').allTextContents();
    assert.equal(items[0], 'backup: cannot use backup.dir (a path): EACCES: permission denied; make it a folder this user may write (the backups in it are kept)');
    assert.match(items[1]!, /^Last verified backup: 6h ago \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d.*\); 1 kept\.$/);
    assert.match(items[2]!, /^Next try: in (39m|40m)\. 4 failed since the server started; the server log has each\.$/);
    await tile().locator('.tile-value', { hasText: '6h ago' }).waitFor();
    assert.match((await tile().locator('.tile-sub').textContent()) ?? '', /^3 runs in a row failed · 1 of 3 kept · next in (39m|40m)$/);
    assert.equal(await tile().evaluate((e) => e.className), 'tile bad');
    await shots('live-backup-failing');
  } finally {
    await page.unroute(live);
  }
  await page.getByRole('alert').filter({ hasText: 'The scheduled backup failed' }).waitFor({ state: 'detached', timeout: 10_000 });
  assert.deepEqual(problems, []);
});

test('no schedule: one quiet tile says backups are off and how to turn them on', { skip }, async () => {
  const live = (u: URL) => u.pathname === '/api/live';
  await page.route(live, async (r) => {
    const body = (await (await r.fetch()).json()) as Record<string, unknown>;
    await r.fulfill({ json: { ...body, backup: null } });
  });
  try {
    await tile().locator('.tile-value', { hasText: 'off' }).waitFor({ timeout: 10_000 });
    assert.equal(await tile().locator('.tile-sub').textContent(), 'not scheduled: set backup.dir');
    assert.equal(await page.getByRole('alert').count(), 0);
    await page.locator('.tiles').screenshot({ path: join(ARTIFACTS, 'live-backup-off.png') });
  } finally {
    await page.unroute(live);
  }
  assert.deepEqual(problems, []);
});

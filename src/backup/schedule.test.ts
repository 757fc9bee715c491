/**
 * The backup schedule without a server: one run at a time, `keep` pruning only after a newer backup
 * verified and only this data directory's backups, a run that fails keeping every good backup, the
 * partial folder of a killed server removed by the next run, and `close` cutting a run without leaving
 * a folder that looks like a backup.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config.js';
import { openStore } from '../open-store.js';
import { BackupSchedule, keptBackups, readManifest, type BackupRun } from './index.js';
import { tooDeepForBackup } from './testing.js';

const root = mkdtempSync(join(tmpdir(), 'nml-backup-schedule-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A data directory holding `n` lines of `word`. */
async function dataDir(name: string, word: string, n: number): Promise<string> {
  const dir = join(root, name);
  const store = openStore(resolveConfig({ dataDir: dir }));
  try {
    await store.writer.write(Array.from({ length: n }, (_, i) => ({ line: `${new Date(Date.now() - 60_000 + i).toISOString()} web-01 app[7]: ${word} n=${i}`, receivedAt: Date.now(), source: 'test' })));
  } finally {
    await store.close();
  }
  return dir;
}

/** a schedule whose timer never fires in a test: runs are asked for */
const schedule = (data: string, dir: string, keep = 2): BackupSchedule => new BackupSchedule({ dataDir: data, dir, everyMs: 3_600_000, keep, includeSecrets: false, nmlVersion: 'test', firstDelayMs: 3_600_000 });

const entries = (dir: string): string[] => readdirSync(dir).sort();

test('one run at a time; keep=2 removes the oldest only once a newer one verified, and never another data directory\'s backups', async () => {
  const data = await dataDir('one', 'alpha', 50);
  const other = await dataDir('other', 'beta', 5);
  const dir = join(root, 'bk-one');
  // another server's backup in the same folder
  const foreign = schedule(other, dir, 1);
  foreign.start();
  const theirs = (await foreign.run())!;
  await foreign.close();
  assert.ok(theirs.ok, theirs.error ?? '');

  const s = schedule(data, dir);
  s.start();
  const heard: BackupRun[] = [];
  s.subscribe((r) => heard.push(r));
  const a = s.run();
  const b = s.run();
  assert.equal(a, b, 'a run asked for while one runs is that run');
  assert.equal(s.status().running, true);
  const first = (await a)!;
  assert.ok(first.ok, first.error ?? '');
  assert.equal(heard.length, 1, 'one run, heard once');
  assert.equal(readManifest(first.folder!).source, data);
  const second = (await s.run())!;
  assert.deepEqual(second.pruned, [], 'two kept: nothing removed');
  const third = (await s.run())!;
  assert.ok(third.ok);
  assert.deepEqual(third.pruned, [first.folder], 'the oldest removed after the third verified');
  assert.deepEqual(keptBackups(dir, data).map((k) => k.path), [second.folder, third.folder]);
  assert.ok(existsSync(theirs.folder!), "the other data directory's backup is not counted nor removed");
  assert.deepEqual(s.status(), { ...s.status(), successes: 3, failures: 0, kept: 2, running: false, lastRun: third });
  assert.equal(s.status().lastSuccess?.folder, third.folder);
  await s.close();
});

test('a run that fails keeps every good backup and removes its unfinished folder; the next good one prunes', async () => {
  const data = await dataDir('fail', 'gamma', 20);
  const dir = join(root, `bk-fail-${'b'.repeat(120)}`);
  const s = schedule(data, dir, 1);
  s.start();
  const good = (await s.run())!;
  assert.ok(good.ok, good.error ?? '');
  // a file whose path fits the data directory but not the backup folder, whose path is longer: its copy fails
  const deep = tooDeepForBackup(data);
  const bad = (await s.run())!;
  assert.equal(bad.ok, false);
  assert.equal(bad.code, 'BACKUP_COPY_FAILED');
  assert.match(bad.error!, /^backup: cannot copy .*name too long.*the unfinished folder is removed, the backups taken before are kept$/);
  assert.deepEqual(entries(dir), [good.folder!.slice(dir.length + 1)], 'the good backup kept, no partial folder left');
  assert.deepEqual({ successes: s.status().successes, failures: s.status().failures, kept: s.status().kept }, { successes: 1, failures: 1, kept: 1 });
  assert.equal(s.status().lastSuccess?.folder, good.folder, 'the last success is still the good one');
  assert.equal((await s.run())!.ok, false);
  assert.equal(s.status().failedInARow, 2, 'the failing streak: two runs since the last good one');
  rmSync(deep, { recursive: true });
  const again = (await s.run())!;
  assert.ok(again.ok, again.error ?? '');
  assert.deepEqual([s.status().failedInARow, s.status().failures], [0, 2], 'a good run ends the streak; the total stays');
  assert.deepEqual(again.pruned, [good.folder]);
  await s.close();
});

test('a backup.dir that cannot be made fails the run with BACKUP_DIR_UNWRITABLE, and the schedule goes on', async () => {
  const data = await dataDir('nodir', 'delta', 3);
  writeFileSync(join(root, 'a-file'), 'x');
  const s = schedule(data, join(root, 'a-file', 'backups'));
  s.start();
  const r = (await s.run())!;
  assert.equal(r.ok, false);
  assert.equal(r.code, 'BACKUP_DIR_UNWRITABLE');
  assert.match(r.error!, /cannot use backup\.dir .*a-file\/backups: .*make it a folder this user may write/);
  assert.notEqual(s.status().nextAt, null, 'the next run is set');
  await s.close();
});

test("a killed server's partial folder is removed by the next run; close cuts a run and leaves no folder", async () => {
  const data = await dataDir('partial', 'epsilon', 200);
  const dir = join(root, 'bk-partial');
  const s = schedule(data, dir);
  s.start();
  const good = (await s.run())!;
  // what a server killed mid-run leaves: a folder without manifest under a partial name of a pid that runs no more
  const dead = join(dir, '.nml-backup-2026-01-01T00-00-00-000Z.partial-999999999');
  cpSync(good.folder!, dead, { recursive: true });
  rmSync(join(dead, 'MANIFEST.json'));
  const next = (await s.run())!;
  assert.ok(next.ok);
  assert.equal(existsSync(dead), false, 'the dead run\'s partial folder is removed');
  // close while a run is under way: the child is killed and its folder removed
  const cut = s.run();
  assert.equal(s.status().running, true);
  await s.close();
  assert.equal(await cut, null, 'a run cut by close is no outcome');
  assert.deepEqual(entries(dir), [good.folder, next.folder].map((f) => f!.slice(dir.length + 1)).sort(), 'only finished backups are left');
  assert.equal(s.status().nextAt, null);
  assert.equal(await s.run(), null, 'a closed schedule runs no more');
});

/**
 * The scheduled backups' state in `/api/stats` and `/api/live`: a viewer's session reads the counts, times and
 * codes but no path (`backup.dir`, a backup's folder, the paths in a failed run's message, the pruned ones);
 * an analyst and the API token read them whole; the store's problems reach a viewer with their paths said
 * "(a path)"; without a schedule `/api/live` says null.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiBackupStats } from '../api.js';
import { AUTH, storeStatsOf } from '../testing.js';
import { login, webApp } from '../web-testing.js';
import { withoutPaths } from '../viewer-paths.js';

const VIC = { username: 'vic', password: 'vic-password-1' };
const DIR = '/srv/secret-backups/nml';
const T = 1_800_000_000_000;

const failing: ApiBackupStats = {
  dir: DIR,
  everyMs: 3_600_000,
  keep: 3,
  running: false,
  nextAt: T + 3_600_000,
  lastSuccess: { at: T - 7 * 3_600_000, folder: `${DIR}/nml-backup-20270115T010000Z`, files: 12, bytes: 4096, durationMs: 900 },
  lastRun: {
    ok: false,
    startedAt: T - 1000,
    finishedAt: T,
    durationMs: 1000,
    folder: null,
    files: 0,
    bytes: 0,
    code: 'BACKUP_DIR_UNWRITABLE',
    error: `backup: cannot use backup.dir ${DIR}: EACCES: permission denied, mkdir '${DIR}/.partial-x' (the data in /var/lib/nml); make it a folder this user may write`,
    pruned: [`${DIR}/nml-backup-old`],
  },
  successes: 4,
  failures: 2,
  failedInARow: 2,
  kept: 3,
};

const PROBLEM = 'store: shard hour-12.db cannot be read (SQLITE_CORRUPT: /var/lib/nml/shards/hour-12.db is malformed); it is skipped';
const RETENTION = 'cannot remove /var/lib/nml/shards/hour-1.db: EBUSY';

test('a viewer reads the backups state and the store problems of /api/stats and /api/live without a path; an analyst and the token read them whole', async () => {
  const storeStats = () => ({ ...storeStatsOf(0), problems: [PROBLEM], retentionError: RETENTION });
  const { app, users, close } = await webApp({ backupStats: () => failing, storeStats });
  try {
    await users.add(VIC.username, VIC.password, 'viewer');
    const vic = await login(app, VIC);
    for (const url of ['/api/stats', '/api/live']) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: vic } });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json().backup as ApiBackupStats;
      assert.doesNotMatch(JSON.stringify(b), /secret-backups|\/var\/lib|nml-backup-/, `${url}: no path reaches a viewer: ${JSON.stringify(b)}`);
      assert.equal(b.dir, null);
      assert.equal(b.lastSuccess!.folder, null);
      assert.deepEqual(b.lastRun!.pruned, []);
      // what an operator on shift needs stays: the age, the streak, the code, the message's words
      assert.deepEqual([b.lastSuccess!.at, b.failedInARow, b.failures, b.kept, b.keep, b.nextAt, b.lastRun!.code], [T - 7 * 3_600_000, 2, 2, 3, 3, T + 3_600_000, 'BACKUP_DIR_UNWRITABLE']);
      assert.equal(b.lastRun!.error, "backup: cannot use backup.dir (a path): EACCES: permission denied, mkdir '(a path)' (the data in (a path)); make it a folder this user may write");
      assert.deepEqual(res.json().store.problems, ['store: shard hour-12.db cannot be read (SQLITE_CORRUPT: (a path) is malformed); it is skipped']);
    }
    const viewerStats = (await app.inject({ method: 'GET', url: '/api/stats', headers: { cookie: vic } })).json();
    assert.equal(viewerStats.store.retentionError, 'cannot remove (a path): EBUSY');
    const alice = await login(app);
    for (const headers of [{ cookie: alice }, AUTH]) {
      for (const url of ['/api/stats', '/api/live']) {
        const body = (await app.inject({ method: 'GET', url, headers })).json();
        assert.deepEqual(body.backup, failing, `${url} whole to an analyst and the token`);
        assert.deepEqual(body.store.problems, [PROBLEM]);
      }
    }
  } finally {
    await close();
  }
});

test('/api/live says backup null without a schedule; /api/stats leaves it out', async () => {
  const { app, close } = await webApp();
  try {
    const live = (await app.inject({ method: 'GET', url: '/api/live', headers: AUTH })).json();
    assert.equal(live.backup, null);
    assert.equal('backup' in (await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH })).json(), false);
  } finally {
    await close();
  }
});

test('withoutPaths: each absolute path goes, the words around it stay', () => {
  assert.equal(withoutPaths('/a/b failed'), '(a path) failed');
  assert.equal(withoutPaths('exit code 1: Error: open "/x/y.db"; 3 lines/s'), 'exit code 1: Error: open "(a path)"; 3 lines/s');
  assert.equal(withoutPaths('in [/x/y], dir=/z ok'), 'in [(a path)], dir=(a path) ok');
  assert.equal(withoutPaths('no path here'), 'no path here');
  assert.equal(withoutPaths('dir /a:b/c: gone'), 'dir (a path): gone', "a ':' inside a path is the path's");
});

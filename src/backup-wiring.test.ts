/**
 * `nml serve` with `backup.dir`: the schedule takes backups by itself (a short interval), each verified,
 * the newest `keep` kept; one that restores holds every line. A failing backup is an error in
 * `/api/stats` and `/metrics`, one webhook message per failure streak (and one when backups work again),
 * keeps the good backups and the server serving; a stop during a run leaves no unfinished folder.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { resolveConfig } from './config.js';
import { openStore } from './open-store.js';
import { startNode } from './node.js';
import { UserStore } from './serve/index.js';
import { FAST_SCRYPT } from './serve/users/testing.js';
import { restoreBackup, verifyBackup, type BackupRun } from './backup/index.js';
import { tooDeepForBackup } from './backup/testing.js';
import { backupAlertBody } from './backup-wiring.js';
import { webhookReceiver } from './detect/findings/testing.js';
import { runCliSync } from './cli/testing.js';
import type { StatsResponse } from './serve/api.js';

const root = mkdtempSync(join(tmpdir(), 'nml-backup-serve-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function until(what: string, ok: () => boolean, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('serve backs itself up on schedule, keeps 2, reports a failure in stats, metrics and one webhook message, and a stop mid-run leaves no half folder', async () => {
  const data = join(root, 'data');
  const store = openStore(resolveConfig({ dataDir: data }));
  await store.writer.write(Array.from({ length: 300 }, (_, i) => ({ line: `${new Date(Date.now() - 120_000 + i).toISOString()} web-01 app[7]: scheduled n=${i}`, receivedAt: Date.now(), source: 'test' })));
  await store.close();
  const users = new UserStore(join(data, 'users.db'), { scrypt: FAST_SCRYPT });
  await users.add('admin', 'a password of the test', 'admin');
  users.close();
  const rx = await webhookReceiver();
  // the backup folder's path is longer than the data directory's, for the failure below
  const dir = join(root, `backups-${'b'.repeat(120)}`);
  const config = resolveConfig({
    dataDir: data,
    http: { host: '127.0.0.1', port: 0 },
    syslog: { udp: { enabled: false }, tcp: { enabled: false } },
    url: { live: false },
    search: { threads: 1 },
    store: { lanes: 1 },
    findings: { notify: [{ url: rx.url }, { url: `${rx.base}/url-only/SECRET`, detectors: ['url'] }] },
    backup: { dir, every: '1h', keep: 2 },
  });
  const node = await startNode(config, pino({ level: 'silent' }), { backup: { everyMs: 200, firstDelayMs: 0 } });
  let stopped = false;
  try {
    const runs: BackupRun[] = [];
    node.backup!.subscribe((r) => runs.push(r));
    const token = readFileSync(join(data, 'api-token'), 'utf8').trim();
    const get = async (path: string): Promise<string> => {
      const res = await fetch(`${node.httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, path);
      return res.text();
    };
    const stats = async (): Promise<NonNullable<StatsResponse['backup']>> => (JSON.parse(await get('/api/stats')) as StatsResponse).backup!;
    const metric = (text: string, name: string): number | undefined => {
      const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
      return m === null ? undefined : Number(m[1]);
    };

    // nobody asks: the schedule takes them
    await until('three good backups', () => runs.filter((r) => r.ok).length >= 3);
    const good = runs.filter((r) => r.ok);
    assert.deepEqual(good[2]!.pruned, [good[0]!.folder], 'the third good backup removes the first, after it verified');
    assert.deepEqual(good[1]!.pruned, [], 'two kept: the second removes none');
    const s1 = await stats();
    assert.equal(s1.dir, dir);
    assert.equal(s1.keep, 2);
    assert.ok(s1.lastSuccess !== null && s1.lastSuccess.files > 0 && s1.lastSuccess.bytes > 0);
    assert.ok(s1.kept <= 2 && s1.failures === 0);
    const m1 = await get('/metrics');
    assert.ok(metric(m1, 'nml_backup_last_success_timestamp_seconds')! * 1000 >= good[0]!.finishedAt);
    assert.equal(metric(m1, 'nml_backup_failures_total'), 0);
    assert.ok(metric(m1, 'nml_backup_last_duration_seconds')! >= 0);

    // a failing backup: a file the backup folder cannot hold
    const lastGood = runs.filter((r) => r.ok).at(-1)!;
    const deep = tooDeepForBackup(data);
    await until('two failed runs', () => runs.filter((r) => !r.ok).length >= 2);
    const failed = runs.find((r) => !r.ok)!;
    assert.equal(failed.code, 'BACKUP_COPY_FAILED');
    const s2 = await stats();
    assert.ok(s2.failures >= 2);
    assert.equal(s2.lastRun?.ok === false || s2.running, true);
    assert.ok(s2.lastSuccess!.at >= lastGood.finishedAt, 'the last success is the last good one');
    const m2 = await get('/metrics');
    assert.ok(metric(m2, 'nml_backup_failures_total')! >= 2);
    const finished = readdirSync(dir).filter((n) => n.startsWith('nml-backup-'));
    assert.equal(finished.length, 2, `the two good backups are kept: ${finished.join(', ')}`);
    for (const f of finished) assert.deepEqual(verifyBackup(join(dir, f)).problems, []);
    // one message for the streak, to the webhook without a detectors filter only
    await rx.waitFor(1);
    const alert = rx.received[0]!;
    assert.match(alert.path, /^\/hooks\//);
    assert.equal(alert.body['kind'], 'backup-failed');
    assert.equal(alert.body['code'], 'BACKUP_COPY_FAILED');
    assert.match(String(alert.body['message']), /cannot copy .*the backups taken before are kept/);

    // backups work again: told once, and the older ones pruned again
    rmSync(deep, { recursive: true });
    const before = runs.length;
    await until('a good backup after the failures', () => runs.slice(before).some((r) => r.ok));
    await rx.waitFor(2);
    assert.equal(rx.received.length, 2, 'one message for the failures, one for the recovery');
    assert.equal(rx.received[1]!.body['kind'], 'backup-recovered');
    assert.ok(rx.received.every((r) => r.path.startsWith('/hooks/')));

    // each run is in the audit trail: the good ones with their folders, the failed ones refused with their code
    const audit = JSON.parse(await get('/api/audit?action=backup.taken&limit=100')) as { entries: { actor: string | null; target: string | null; outcome: string; reason: string | null; details: Record<string, unknown> }[] };
    const okEntries = audit.entries.filter((e) => e.outcome === 'ok');
    assert.ok(okEntries.some((e) => e.target === good[0]!.folder && e.actor === null && e.details['sensitiveFiles'] === false && Number(e.details['bytes']) > 0), 'the first good backup is recorded');
    assert.ok(audit.entries.some((e) => e.outcome === 'refused' && e.reason === 'BACKUP_COPY_FAILED' && e.target === null), 'a failed run is recorded, refused with its code');

    // a stop while a run is under way: killed, its unfinished folder removed
    await until('a run under way', () => node.backup!.status().running);
    const last = node.backup!.status().lastSuccess!.folder;
    stopped = true;
    await node.stop();
    const left = readdirSync(dir);
    assert.deepEqual(left.filter((n) => !n.startsWith('nml-backup-')), [], `no partial folder left: ${left.join(', ')}`);
    for (const f of left) assert.deepEqual(verifyBackup(join(dir, f)).problems, [], f);

    // the last good backup restores with every line
    const restored = join(root, 'restored');
    restoreBackup(last, restored);
    assert.equal(runCliSync(['count', 'scheduled', '--data', restored]).out.trim(), '300');
  } finally {
    if (!stopped) await node.stop();
    await rx.close();
  }
});

test('the webhook message: slack as {"text"} with its markup escaped, json with the code, message and last good backup', () => {
  const run: BackupRun = { ok: false, startedAt: 1_700_000_000_000, finishedAt: 1_700_000_001_000, durationMs: 1000, folder: null, files: 0, bytes: 0, code: 'BACKUP_DIR_UNWRITABLE', error: 'backup: cannot use backup.dir /b<x>&: permission denied', pruned: [] };
  const slack = JSON.parse(backupAlertBody({ format: 'slack' }, run, 1_699_999_000_000, 'h1')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(slack), ['text']);
  assert.equal(slack['text'], 'NML on h1: the scheduled backup failed (BACKUP_DIR_UNWRITABLE): backup: cannot use backup.dir /b&lt;x&gt;&amp;: permission denied; last verified backup: 2023-11-14T21:56:40.000Z.');
  const json = JSON.parse(backupAlertBody({ format: 'json' }, run, null, 'h1')) as Record<string, unknown>;
  assert.equal(json['kind'], 'backup-failed');
  assert.equal(json['code'], 'BACKUP_DIR_UNWRITABLE');
  assert.equal(json['lastSuccessAt'], null);
  assert.match(String(json['text']), /; last verified backup: none\.$/);
  const ok = JSON.parse(backupAlertBody({ format: 'json' }, { ...run, ok: true, code: null, error: null, folder: '/b/nml-backup-x', files: 3, bytes: 2e6 }, 1_700_000_001_000, 'h1')) as Record<string, unknown>;
  assert.equal(ok['kind'], 'backup-recovered');
  assert.equal(ok['message'], null);
  assert.match(String(ok['text']), /work again: \/b\/nml-backup-x verified \(3 files, 2\.0 MB\)/);
});

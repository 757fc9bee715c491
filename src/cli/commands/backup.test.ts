/**
 * nml backup / verify / restore: a backup taken while a writer keeps ingesting restores to a data directory
 * that holds every line acknowledged before it began, the findings and the users; a flipped byte fails
 * verify by name; bad inputs are refused with what to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../config.js';
import { openStore } from '../../open-store.js';
import { FindingsStore } from '../../detect/index.js';
import { runCli, runCliSync } from '../testing.js';
import type { Manifest } from '../../backup/index.js';
import { takeBackup } from '../../backup/index.js';
import { DataDirLock } from '../../store/index.js';

function withTmp(fn: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-backup-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const lines = (word: string, from: number, n: number, at: number) =>
  Array.from({ length: n }, (_, i) => ({ line: `${new Date(at + (from + i) * 10).toISOString()} web-0${i % 4} app[7]: ${word} request n=${from + i} from 10.1.${i % 200}.${i % 250}`, receivedAt: Date.now(), source: 'test' }));

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8')) as Manifest;

test('a backup taken while a writer ingests restores every line acknowledged before it, the findings and the users, and verifies', withTmp(async (tmp) => {
  const data = join(tmp, 'data');
  const at = Date.now() - 120_000;
  const store = openStore(resolveConfig({ dataDir: data }));
  let stop = false;
  let during: Promise<number> = Promise.resolve(0);
  try {
    for (let i = 0; i < 4; i++) await store.writer.write(lines('prebackup', i * 500, 500, at));
    assert.equal(runCliSync(['user', 'add', 'carol', '--role', 'admin', '--data', data, '--password-stdin'], { input: 'carol-password-1\n' }).code, 0);
    const findings = new FindingsStore(join(data, 'findings.db'));
    findings.record([{ detector: 'syn', entity: 'ip:10.9.9.9', score: 0.99, threshold: 0.98, modelVersion: 't', time: Date.now(), explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: 1 } }]);
    findings.close();
    writeFileSync(join(data, 'api-token'), 'a'.repeat(43), { mode: 0o600 });
    // the writer goes on while the backup (another process) copies
    during = (async () => {
      let n = 0;
      while (!stop) {
        await store.writer.write(lines('duringbackup', n, 200, at + 30_000));
        n += 200;
      }
      return n;
    })();
    const backup = await runCli(['backup', '--out', join(tmp, 'bk'), '--data', data]);
    assert.equal(backup.code, 0, backup.err);
    assert.match(backup.out, /by SQLite's online backup.*process \d+ was writing the data directory/);
  } finally {
    stop = true;
    await during;
    await store.close();
  }
  const bk = join(tmp, 'bk');
  const m = manifestOf(bk);
  assert.equal(m.writerPid, process.pid);
  assert.equal(m.secrets.included, false);
  assert.ok(!existsSync(join(bk, 'api-token')), 'the API token is left out without --include-secrets');
  assert.ok(m.skipped.some((s) => s.path === 'api-token'));
  assert.equal(statSync(bk).mode & 0o777, 0o700);
  for (const f of m.files) assert.equal(statSync(join(bk, f.path)).mode & 0o777, 0o600, f.path);
  assert.ok(m.files.some((f) => f.path.startsWith('shards/')) && m.files.some((f) => f.path === 'catalog.db'));

  const verify = runCliSync(['backup', 'verify', bk]);
  assert.equal(verify.code, 0, verify.err);
  assert.match(verify.out, /is sound: \d+ files .* match the manifest, \d+ databases pass quick_check/);

  const restored = join(tmp, 'restored');
  const restore = runCliSync(['restore', bk, '--data', restored]);
  assert.equal(restore.code, 0, restore.err);
  assert.match(restore.out, /restored \d+ files[\s\S]*next: nml serve --data[\s\S]*api-token/);
  assert.equal(runCliSync(['count', 'prebackup', '--data', restored]).out.trim(), '2000');
  const users = runCliSync(['user', 'list', '--data', restored]);
  assert.match(users.out, /^carol +admin/m);
  assert.match(runCliSync(['findings', 'list', '--data', restored]).out, /ip:10\.9\.9\.9/);
  // the restored directory opens as a writer too: nml ingest seals and measures what the backup's catalog did not name
  writeFileSync(join(tmp, 'more.log'), lines('afterrestore', 0, 3, Date.now() - 60_000).map((l) => l.line).join('\n') + '\n');
  const ingest = runCliSync(['ingest', join(tmp, 'more.log'), '--data', restored, '--no-detect']);
  assert.equal(ingest.code, 0, ingest.err);
  assert.equal(runCliSync(['count', 'prebackup', '--data', restored]).out.trim(), '2000');
  assert.equal(runCliSync(['count', 'afterrestore', '--data', restored]).out.trim(), '3');

  const withSecrets = join(tmp, 'bk2');
  assert.equal(runCliSync(['backup', '--out', withSecrets, '--data', data, '--include-secrets']).code, 0);
  assert.equal(readFileSync(join(withSecrets, 'api-token'), 'utf8'), 'a'.repeat(43));
  assert.equal(manifestOf(withSecrets).secrets.included, true);
}));

test('verify fails naming a backed-up file with one byte flipped, and restore refuses that backup', withTmp((tmp) => {
  const data = join(tmp, 'data');
  writeFileSync(join(tmp, 'in.log'), lines('flip', 0, 300, Date.now() - 3_600_000).map((l) => l.line).join('\n') + '\n');
  assert.equal(runCliSync(['ingest', join(tmp, 'in.log'), '--data', data, '--no-detect']).code, 0);
  const bk = join(tmp, 'bk');
  const b = runCliSync(['backup', '--out', bk, '--data', data]);
  assert.equal(b.code, 0, b.err);
  const shard = manifestOf(bk).files.find((f) => f.path.startsWith('shards/'))!;
  const fd = openSync(join(bk, shard.path), 'r+');
  const one = Buffer.alloc(1);
  readSync(fd, one, 0, 1, 5000);
  one[0] = one[0]! ^ 0xff;
  writeSync(fd, one, 0, 1, 5000);
  closeSync(fd);
  const verify = runCliSync(['backup', 'verify', bk]);
  assert.equal(verify.code, 1);
  assert.ok(verify.err.includes(`${shard.path}: its SHA-256 differs from the manifest's`), verify.err);
  assert.match(verify.err, /nml: backup verify: .* has 1 problem/);
  const restore = runCliSync(['restore', bk, '--data', join(tmp, 'r')]);
  assert.equal(restore.code, 1);
  assert.match(restore.err, /does not verify .*nothing was restored/);
  assert.ok(!existsSync(join(tmp, 'r')));
  // a file added to the backup is named too
  writeFileSync(join(bk, 'extra.txt'), 'x');
  assert.match(runCliSync(['backup', 'verify', bk]).err, /extra\.txt: not named in the manifest/);
}));

test('bad inputs: a missing folder, a non-empty --out, a folder that is no backup, a cut manifest, a non-empty restore target', withTmp((tmp) => {
  const data = join(tmp, 'data');
  writeFileSync(join(tmp, 'in.log'), lines('bad', 0, 5, Date.now() - 3_600_000).map((l) => l.line).join('\n') + '\n');
  assert.equal(runCliSync(['ingest', join(tmp, 'in.log'), '--data', data, '--no-detect']).code, 0);
  const refused = (args: string[], re: RegExp, code = 2): void => {
    const r = runCliSync(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.doesNotMatch(r.err, /internal error|\n\s+at /);
  };
  refused(['backup', 'verify', join(tmp, 'nope')], /backup: no folder at .*nope; give the folder nml backup --out wrote/);
  refused(['restore', join(tmp, 'nope'), '--data', join(tmp, 'r')], /no folder at/);
  // below a file, a name too long: the same words, not the system's error (found by cli-fuzz)
  refused(['backup', 'verify', join(tmp, 'in.log', 'below')], /backup: no folder at .*below/);
  refused(['backup', 'verify', join(tmp, 'x'.repeat(5000))], /backup: no folder at/);
  refused(['restore', join(tmp, 'in.log', 'below'), '--data', join(tmp, 'r')], /backup: no folder at/);
  mkdirSync(join(tmp, 'full'));
  writeFileSync(join(tmp, 'full', 'x'), 'x');
  refused(['backup', '--out', join(tmp, 'full'), '--data', data], /--out .*full is not empty; give a new or empty folder/);
  refused(['backup', '--data', data], /--out DIR is needed/);
  refused(['backup', '--out', join(data, 'inside'), '--data', data], /lie one inside the other/);
  refused(['backup', '--out', join(tmp, 'o'), '--data', join(tmp, 'full')], /holds no nml data/);
  refused(['backup', 'verify', join(tmp, 'full')], /MANIFEST\.json is missing: this is not a finished nml backup/);
  const bk = join(tmp, 'bk');
  assert.equal(runCliSync(['backup', '--out', bk, '--data', data]).code, 0);
  refused(['restore', bk, '--data', join(tmp, 'full')], /restore: .*full holds 1 entry \(x\); restore into a new or empty folder/);
  refused(['restore', bk, '--data', data], /restore: .*data holds \d+ entries/);
  const text = readFileSync(join(bk, 'MANIFEST.json'), 'utf8');
  writeFileSync(join(bk, 'MANIFEST.json'), text.slice(0, text.length / 2));
  refused(['backup', 'verify', bk], /MANIFEST\.json is not valid JSON .*cut short or edited/);
  writeFileSync(join(bk, 'MANIFEST.json'), text.replace(/"path": "[^"]+"/, '"path": "../../etc/passwd"'));
  refused(['backup', 'verify', bk], /has a bad entry at files\[0\]/);
}));

test('a shard deleted by the server after the catalog was copied leaves the catalog copy; one already missing stays the lost shard it is', withTmp(async (tmp) => {
  const data = join(tmp, 'data');
  writeFileSync(join(tmp, 'in.log'), [...lines('early', 0, 50, Date.UTC(2026, 0, 5, 10)), ...lines('middle', 0, 50, Date.UTC(2026, 0, 5, 12)), ...lines('late', 0, 50, Date.UTC(2026, 0, 5, 14))].map((l) => l.line).join('\n') + '\n');
  assert.equal(runCliSync(['ingest', join(tmp, 'in.log'), '--data', data, '--no-detect']).code, 0);
  const shardsOf = (hour: string) => readdirSync(join(data, 'shards', '2026', '01', '05', hour)).map((n) => `2026/01/05/${hour}/${n}`);
  const [lost] = shardsOf('10');
  const [deleted] = shardsOf('12');
  rmSync(join(data, 'shards', lost!));
  const m = await takeBackup({ dataDir: data, out: join(tmp, 'bk'), includeSecrets: false, nmlVersion: 'test', afterCatalog: () => rmSync(join(data, 'shards', deleted!)) });
  assert.deepEqual(m.catalogRowsDropped, [deleted]);
  assert.ok(m.skipped.some((s) => s.path === `shards/${deleted}` && /deleted by nml while the backup ran/.test(s.why)));
  const restored = join(tmp, 'r');
  assert.equal(runCliSync(['restore', join(tmp, 'bk'), '--data', restored]).code, 0);
  const stats = runCliSync(['stats', '--data', restored]);
  // the shard lost before the backup is named as the source would name it; the deleted one is not
  assert.ok(stats.err.includes(lost!) || stats.out.includes(lost!), stats.out + stats.err);
  assert.ok(!(stats.err + stats.out).includes(deleted!));
  assert.equal(runCliSync(['count', 'late', '--data', restored]).out.trim(), '50');
}));

test('restore refuses a data directory a running writer holds (STORE_LOCKED), and leaves it as it was', withTmp(async (tmp) => {
  const data = join(tmp, 'data');
  writeFileSync(join(tmp, 'in.log'), lines('locked', 0, 5, Date.now() - 3_600_000).map((l) => l.line).join('\n') + '\n');
  assert.equal(runCliSync(['ingest', join(tmp, 'in.log'), '--data', data, '--no-detect']).code, 0);
  assert.equal(runCliSync(['backup', '--out', join(tmp, 'bk'), '--data', data]).code, 0);
  const target = join(tmp, 'target');
  const lock = new DataDirLock((mkdirSync(target), target));
  lock.acquire();
  try {
    const r = await runCli(['restore', join(tmp, 'bk'), '--data', target]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, new RegExp(`data directory ${target} is in use by process ${process.pid}`));
    assert.deepEqual(readdirSync(target), ['nml.lock']);
  } finally {
    lock.release();
  }
}));

/** Read commands open an existing NML store and nothing else: a file, an empty folder or a missing path is a clear error, and nothing is created. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { refusing } from '../core/testing/refused-fs.js';
import { Catalog } from '../store/index.js';
import { resolveConfig } from '../config.js';
import { openReader, requireDataDir } from './open.js';
import { openStore } from '../open-store.js';
import { pseudoFilesystem } from '../disk-path.js';
import { runCliSync } from './testing.js';

const reader = (dataDir: string) => openReader(resolveConfig({ dataDir, search: { threads: 1 } }));

function withTmp(fn: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-open-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('a data directory that is a file is an error saying so', withTmp((dir) => {
  const file = join(dir, 'passwd');
  writeFileSync(file, 'root:x:0:0::/root:/bin/sh\n');
  assert.throws(() => reader(file), (e: unknown) => isAppError(e) && e.code === 'STORE_NOT_FOUND' && e.kind === 'bad_request' && e.message.includes(`${file} is a file, not a data directory`));
  assert.throws(() => reader(join(file, 'below')), (e: unknown) => isAppError(e) && e.code === 'STORE_NOT_FOUND' && e.kind === 'bad_request' && e.message.includes('no data directory at'));
}));

test('a directory without an NML store is an error that says how to make one, and is left as it was', withTmp((dir) => {
  const other = join(dir, 'photos');
  mkdirSync(other);
  writeFileSync(join(other, 'a.jpg'), 'x');
  assert.throws(() => reader(other), (e: unknown) => isAppError(e) && e.code === 'STORE_NOT_FOUND' && e.kind === 'bad_request' && /holds no NML data.*nml ingest.*nml serve/.test(e.message));
  assert.deepEqual(readdirSync(other), ['a.jpg']);
}));

test('a fresh store (a catalog made by the writer, no lines yet) is read: 0 lines', withTmp(async (dir) => {
  new Catalog(dir, 60_000).close(); // what the writer makes when it opens a data directory
  const r = reader(dir);
  try {
    assert.equal((await r.searcher.count('', { from: null, to: null })).count, 0);
  } finally {
    await r.close();
  }
}));

test('nml count / stats / search: a file, a folder without a store or a missing path as --data is a clear error, exit 2 (the command line names the wrong path)', withTmp((dir) => {
  const file = join(dir, 'f.txt');
  writeFileSync(file, 'x\n');
  const a = runCliSync(['count', '--data', file]);
  assert.equal(a.code, 2, a.err);
  assert.match(a.err, /^nml: store: .* is a file, not a data directory/);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  for (const cmd of ['stats', 'search']) {
    const b = runCliSync([cmd, '--data', empty]);
    assert.equal(b.code, 2, b.err);
    assert.match(b.err, /^nml: store: .* holds no NML data/);
  }
  const missing = runCliSync(['search', '--data', join(dir, 'typo'), 'x']);
  assert.equal(missing.code, 2, missing.err);
  assert.match(missing.err, /^nml: store: no data directory at .*typo; ingest something first or pass --data DIR\n$/);
  assert.deepEqual(readdirSync(empty), []);
}));

test('a data directory on /proc or /sys (--data, NML_DATA, dataDir in --config) is refused at once, exit 2, by every command that uses one; before, serve and ingest hung in Node 20\'s recursive mkdir', withTmp((dir) => {
  if (process.platform !== 'linux') return; // the pseudo-filesystems are Linux's
  const log = join(dir, 'a.log');
  writeFileSync(log, 'Jan  1 00:00:00 host sshd[1]: hello\n');
  const said = /^nml: data directory \/proc\/nope\/x \(--data\) is on the kernel's proc pseudo-filesystem \(\/proc\), not a disk: nothing written there is kept; give a data directory on a disk/;
  for (const args of [
    ['serve', '--syslog-port', '0', '--http-port', '0'],
    ['ingest', log],
    ['search', 'x'],
    ['count'],
    ['findings', 'list'],
    ['user', 'list'],
    ['token', 'rotate'],
    ['assist', 'import'],
    ['trends', 'predict'],
  ]) {
    const r = runCliSync([...args, '--data', '/proc/nope/x'], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, said, args.join(' '));
  }
  const sys = runCliSync(['ingest', log, '--data', '/sys/kernel/nope'], { timeoutMs: 20_000 });
  assert.equal(sys.code, 2, sys.err);
  assert.match(sys.err, /^nml: data directory \/sys\/kernel\/nope \(--data\) is on the kernel's sysfs pseudo-filesystem \(\/sys\/kernel\)/);
  const config = join(dir, 'nml.json');
  writeFileSync(config, JSON.stringify({ dataDir: '/proc/self/nope' }));
  const fromConfig = runCliSync(['ingest', log, '--config', config], { timeoutMs: 20_000 });
  assert.equal(fromConfig.code, 2, fromConfig.err);
  assert.match(fromConfig.err, /^nml: data directory \/proc\/self\/nope \(dataDir of .*nml\.json, or the default\) is on the kernel's proc pseudo-filesystem/);
  const before = process.env['NML_DATA'];
  process.env['NML_DATA'] = '/proc/nope';
  try {
    const fromEnv = runCliSync(['serve', '--syslog-port', '0', '--http-port', '0'], { timeoutMs: 20_000 });
    assert.equal(fromEnv.code, 2, fromEnv.err);
    assert.match(fromEnv.err, /^nml: data directory \/proc\/nope \(NML_DATA\) is on the kernel's proc pseudo-filesystem/);
    // a command that reads only settings from the configuration is not stopped by it
    const score = runCliSync(['score', 'url', 'http://example.com/'], { timeoutMs: 60_000 });
    assert.equal(score.code, 0, score.err);
  } finally {
    if (before === undefined) delete process.env['NML_DATA'];
    else process.env['NML_DATA'] = before;
  }
}));

test('openStore (nml serve and ingest, any other caller) refuses a data directory on /proc before the store makes its folder', () => {
  if (process.platform !== 'linux') return;
  assert.throws(() => openStore(resolveConfig({ dataDir: '/proc/nope/x' })), (e: unknown) => isAppError(e) && e.code === 'STORE_DATA_DIR' && e.kind === 'bad_request' && /\/proc\/nope\/x \(dataDir\) is on the kernel's proc pseudo-filesystem/.test(e.message));
});

test('a data directory below /dev (but /dev/shm), or on a devpts or mqueue mount, is STORE_DATA_DIR; one in /dev/shm opens', () => {
  if (process.platform !== 'linux') return;
  const refused = (dir: string, fs: string): void =>
    assert.throws(() => openStore(resolveConfig({ dataDir: dir })), (e: unknown) => isAppError(e) && e.code === 'STORE_DATA_DIR' && e.kind === 'bad_request' && e.message.includes(`${dir} (dataDir) is on the kernel's ${fs} pseudo-filesystem`));
  refused('/dev/nml-data', 'devtmpfs');
  refused('/dev/null', 'devtmpfs');
  if (existsSync('/dev/pts')) refused('/dev/pts/nml', 'devpts');
  if (existsSync('/dev/mqueue')) refused('/dev/mqueue/nml', 'mqueue');
  assert.equal(pseudoFilesystem('/dev/shm'), null, '/dev/shm is for files');
});

test('a data directory the system will not let nml look at says why in words and what to do, not node\'s "EACCES: permission denied, stat …"', withTmp((dir) => {
  const said = (code: string): string => {
    try {
      refusing('statSync', dir, code, () => requireDataDir(dir, 'store', 'STORE_NOT_FOUND', 'ingest something', 'STORE_DATA_DIR'));
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'STORE_DATA_DIR' && e.kind === 'unavailable', String(e));
      return e.message;
    }
    assert.fail(`${dir} was looked at`);
  };
  assert.equal(said('EACCES'), `store: cannot read data directory ${dir}: permission denied; run nml as the user that owns it (the one nml serve runs as), or give this user the access to it and the folders above it (chown, chmod)`);
  assert.equal(said('EIO'), `store: cannot read data directory ${dir}: input/output error; check the path and the disk it is on`);
}));

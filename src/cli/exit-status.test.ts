/**
 * The exit status of `nml`, one command of each class run through main(): 2 when the command line is
 * wrong (a usage error, a bad value, a path named there, by a default or by NML_DATA that is not there
 * or not what it should be), 1 when the command was right and something else failed (an unknown record,
 * the data directory in use, a file the system will not read). docs/errors.md states the rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsStore } from '../detect/index.js';
import { Catalog } from '../store/index.js';
import { UserStore } from '../serve/users/index.js';
import { runInProcess } from './testing.js';
import { EIO_FILE } from '../core/testing/refused-fs.js';

function withTmp(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-exit-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('exit 2: a path named on the command line that is not there, whichever command names it', withTmp(async (dir) => {
  const gone = join(dir, 'missing');
  const cases: Array<{ args: string[]; err: RegExp }> = [
    { args: ['ingest', '--data', join(dir, 'd'), '--no-progress', `${gone}.log`], err: /^nml: cannot open .*missing\.log: no such file \(ENOENT\); check the path \(a relative one is read from the folder nml runs in\)\n$/ },
    { args: ['search', '--data', gone, 'sshd'], err: /^nml: store: no data directory at .*missing; ingest something first or pass --data DIR\n$/ },
    { args: ['score', 'url', '--model', gone, 'http://example.com/'], err: /^nml: url model: .*missing does not exist; a url model directory holds model\.json and weights\.bin/ },
    { args: ['score', 'syn', `${gone}.pcap`], err: /^nml: cannot open capture .*missing\.pcap: there is no such file; check the path\n$/ },
    { args: ['findings', 'list', '--data', gone], err: /^nml: store: no data directory at .*missing/ },
    { args: ['assist', 'ask', '--data', gone, 'what is this?'], err: /^nml: assist: no data directory at .*missing; ingest logs .* or import incidents .* first or pass --data DIR\n$/ },
  ];
  for (const c of cases) {
    const r = await runInProcess(c.args);
    assert.equal(r.code, 2, `nml ${c.args.join(' ')}: ${r.err}`);
    assert.match(r.err, c.err, c.args.join(' '));
  }
}));

test('exit 2: a data directory from NML_DATA that is not there, as from --data', withTmp(async (dir) => {
  const before = process.env['NML_DATA'];
  process.env['NML_DATA'] = join(dir, 'typo');
  try {
    const r = await runInProcess(['count', 'sshd']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^nml: store: no data directory at .*typo/);
  } finally {
    if (before === undefined) delete process.env['NML_DATA'];
    else process.env['NML_DATA'] = before;
  }
}));

test('exit 2: a usage error and a bad value', async () => {
  const unknown = await runInProcess(['search', '--no-such-flag']);
  assert.equal(unknown.code, 2, unknown.err);
  assert.match(unknown.err, /unknown option '--no-such-flag'/);
  const status = await runInProcess(['findings', 'list', '--status', 'closed']);
  assert.equal(status.code, 2, status.err);
});

test('exit 1: a finding id that names no finding, in a data directory that is right', withTmp(async (dir) => {
  new Catalog(dir, 60_000).close();
  new FindingsStore(join(dir, 'findings.db')).close();
  const r = await runInProcess(['findings', 'set', '999', 'resolved', '--data', dir]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^nml: findings: no finding with id 999; 'nml findings list' shows them\n$/);
}));

test('exit 1: a user name that names no user, in a data directory that is right', withTmp(async (dir) => {
  const users = new UserStore(join(dir, 'users.db'));
  await users.add('carol', 'carol-password-1', 'admin');
  users.close();
  const r = await runInProcess(['user', 'del', 'nobody', '--data', dir]);
  assert.equal(r.code, 1, r.err);
  assert.equal(r.err, "nml: user: there is no user 'nobody'; the users are listed by 'nml user list' and under Account › Users\n");
}));

test('exit 1: a data directory another live process is writing (STORE_LOCKED)', withTmp(async (dir) => {
  const data = join(dir, 'd');
  mkdirSync(data);
  // the test runner that started this process is alive and is not this process: it holds the lock
  writeFileSync(join(data, 'nml.lock'), String(process.ppid));
  const log = join(dir, 'a.log');
  writeFileSync(log, 'one line\n');
  const r = await runInProcess(['ingest', '--data', data, '--no-progress', log]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, new RegExp(`^nml: store: data directory .* is in use by process ${process.ppid} `));
}));

const refused = EIO_FILE;

test('exit 1: a file named on the command line that is there but cannot be read (the system, not the path)', { skip: refused === null && 'no file here refuses a read' }, async () => {
  const cases: Array<{ args: string[]; err: RegExp }> = [
    { args: ['search', '--config', refused!, 'sshd'], err: /^nml: config: cannot read \/proc\/self\/mem: input\/output error; check the file and the disk it is on\n$/ },
    { args: ['assist', 'normalize', refused!], err: /^nml: assist: cannot read \/proc\/self\/mem: input\/output error; check the file and the disk it is on\n$/ },
  ];
  for (const { args, err } of cases) {
    const r = await runInProcess(args);
    assert.equal(r.code, 1, `nml ${args.join(' ')}: ${r.err}`);
    assert.match(r.err, err, args.join(' '));
  }
  const missing = await runInProcess(['search', '--config', '/nonexistent/nml.json', 'sshd']);
  assert.equal(missing.code, 2, missing.err);
});

test('an exit status set before a command runs in process (a failed test sets 1) is neither its status nor lost', async () => {
  // before, every runInProcess after a failed test read 1: a second, false failure per CLI test
  process.exitCode = 1;
  try {
    const r = await runInProcess(['pivot', '--help']);
    assert.equal(r.code, 0, r.err);
    assert.equal(process.exitCode, 1, "the runner's own status is kept");
  } finally {
    process.exitCode = undefined;
  }
});

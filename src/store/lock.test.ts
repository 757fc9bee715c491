import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { DataDirLock } from './lock.js';

/** A pid that is not running: far above any pid_max. */
const DEAD = 4_000_000;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-lock-'));

test('the lock names its owner, refuses a live one, takes over from a dead one, and release leaves another owner\'s lock alone', () => {
  const dir = tmp();
  try {
    const lock = new DataDirLock(dir);
    lock.acquire();
    assert.match(readFileSync(join(dir, 'nml.lock'), 'utf8'), new RegExp(`^${process.pid}( \\d+)?$`));
    lock.release();
    assert.equal(existsSync(join(dir, 'nml.lock')), false);

    writeFileSync(join(dir, 'nml.lock'), String(process.ppid)); // the test runner: alive
    assert.throws(() => new DataDirLock(dir).acquire(), (e) => isAppError(e) && e.code === 'STORE_LOCKED' && e.message.includes(`process ${process.ppid}`));

    writeFileSync(join(dir, 'nml.lock'), String(DEAD));
    const taken = new DataDirLock(dir);
    taken.acquire();
    assert.match(readFileSync(join(dir, 'nml.lock'), 'utf8'), new RegExp(`^${process.pid}( \\d+)?$`));
    // another process took the directory over meanwhile (this one was thought dead): its lock stays
    writeFileSync(join(dir, 'nml.lock'), String(process.ppid));
    taken.release();
    assert.equal(readFileSync(join(dir, 'nml.lock'), 'utf8'), String(process.ppid));
    assert.deepEqual(readdirSync(dir), ['nml.lock'], 'no temporary file or takeover directory left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a writer killed but not yet reaped (a zombie) does not hold the lock', { skip: !existsSync('/proc/self/stat') && 'no /proc here' }, () => {
  const dir = tmp();
  const child = spawn('sleep', ['30']);
  try {
    const pid = child.pid!;
    const stat = (): string => readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = stat().slice(stat().lastIndexOf(')') + 2).split(' ')[19];
    writeFileSync(join(dir, 'nml.lock'), `${pid} ${start}`);
    assert.throws(() => new DataDirLock(dir).acquire(), (e) => isAppError(e) && e.code === 'STORE_LOCKED', 'alive, it holds the lock');
    process.kill(pid, 'SIGKILL');
    // nothing here yields to the event loop, so Node cannot reap the child: it stays a zombie meanwhile
    const until = Date.now() + 5000;
    while (stat().slice(stat().lastIndexOf(')') + 2)[0] !== 'Z' && Date.now() < until);
    assert.equal(stat().slice(stat().lastIndexOf(')') + 2)[0], 'Z', 'the child is a zombie');
    const lock = new DataDirLock(dir);
    lock.acquire();
    assert.match(readFileSync(join(dir, 'nml.lock'), 'utf8'), new RegExp(`^${process.pid}( \\d+)?$`));
    lock.release();
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Starts a process that spins until `at`, then takes the lock and holds it until its stdin ends (a
 * contender slow to start, tsx from source, must not find the other already gone); resolves to whether
 * it got it, and ends its stdin through `release`.
 */
function contender(dir: string, at: number): { got: Promise<boolean>; release: () => void } {
  const lockUrl = new URL('./lock.js', import.meta.url).href;
  const script = `
    const { DataDirLock } = await import(${JSON.stringify(lockUrl)});
    const lock = new DataDirLock(${JSON.stringify(dir)});
    while (Date.now() < ${at}) {}
    try { lock.acquire(); process.stdout.write('got'); } catch { process.stdout.write('refused'); }
    await new Promise((r) => process.stdin.on('end', r).resume());`;
  const child = spawn(process.execPath, [...process.execArgv, '--input-type=module', '-e', script]);
  let out = '';
  const got = new Promise<boolean>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      if (out === 'got' || out === 'refused') resolve(out === 'got');
    });
    child.on('close', () => resolve(out === 'got'));
  });
  return { got, release: () => child.stdin.end() };
}

test('two processes started at the same instant never both hold the lock, on a fresh directory or over a dead owner', async () => {
  for (let round = 0; round < 6; round++) {
    const dir = tmp();
    try {
      if (round % 2 === 1) writeFileSync(join(dir, 'nml.lock'), String(DEAD));
      const at = Date.now() + 700;
      const both = [contender(dir, at), contender(dir, at)];
      const got = await Promise.all(both.map((c) => c.got));
      for (const c of both) c.release();
      assert.equal(got.filter(Boolean).length, 1, `round ${round}: ${got.join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a stale lock whose pid now belongs to another program is taken over (the start time differs); a live owner is still refused', { skip: !existsSync('/proc/self/stat') && 'no /proc here' }, async () => {
  const dir = tmp();
  // an unrelated program that got the dead nml's pid after a reboot
  const other = spawn('sleep', ['30']);
  try {
    await new Promise((resolve) => other.once('spawn', resolve));
    const startOf = (pid: number): string => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
    };
    writeFileSync(join(dir, 'nml.lock'), `${other.pid} ${Number(startOf(other.pid!)) - 1000}`);
    const lock = new DataDirLock(dir);
    lock.acquire();
    assert.equal(readFileSync(join(dir, 'nml.lock'), 'utf8'), `${process.pid} ${startOf(process.pid)}`, 'the lock records this process and its start time');
    lock.release();
    // the program itself, with its own start time, or a lock written before start times were recorded: alive, refused
    for (const content of [`${other.pid} ${startOf(other.pid!)}`, String(other.pid)]) {
      writeFileSync(join(dir, 'nml.lock'), content);
      assert.throws(() => new DataDirLock(dir).acquire(), (e) => isAppError(e) && e.code === 'STORE_LOCKED', content);
    }
  } finally {
    other.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data directory where the lock file cannot be written is STORE_DATA_DIR naming it, not an internal error', () => {
  const dir = join(tmp(), 'gone');
  try {
    assert.throws(
      () => new DataDirLock(dir).acquire(),
      (e) => isAppError(e) && e.code === 'STORE_DATA_DIR' && e.kind === 'unavailable' && e.message.includes(dir) && /read-only/.test(e.message) && /may write/.test(e.message) && /\(ENOENT: no such file/.test(e.message) && !/ENOENT: ENOENT/.test(e.message),
      'the cause once, with its code (Node writes it into its message: it was there twice)',
    );
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('a full disk at start is STORE_DISK_FULL saying to free space, not to check the mount and permissions', () => {
  const dir = tmp();
  const real = fs.writeFileSync;
  fs.writeFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (String(path).includes('nml.lock')) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${String(path)}'`), { code: 'ENOSPC', errno: -28 });
    return (real as (...a: unknown[]) => void)(path, ...rest);
  }) as typeof fs.writeFileSync;
  syncBuiltinESMExports();
  try {
    assert.throws(
      () => new DataDirLock(dir).acquire(),
      (e) => {
        assert.ok(isAppError(e), String(e));
        assert.equal(e.code, 'STORE_DISK_FULL');
        assert.equal(e.kind, 'unavailable');
        assert.match(e.message, /cannot write the lock file .*nml\.lock .*\(ENOSPC: no space left on device.*\): its disk is full; free space on that disk/);
        assert.doesNotMatch(e.message, /read-only|may write/);
        assert.equal(e.details?.['cause'], 'ENOSPC');
        return true;
      },
    );
  } finally {
    fs.writeFileSync = real;
    syncBuiltinESMExports();
    rmSync(dir, { recursive: true, force: true });
  }
});

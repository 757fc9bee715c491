import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    assert.equal(readFileSync(join(dir, 'nml.lock'), 'utf8'), String(process.pid));
    lock.release();
    assert.equal(existsSync(join(dir, 'nml.lock')), false);

    writeFileSync(join(dir, 'nml.lock'), String(process.ppid)); // the test runner: alive
    assert.throws(() => new DataDirLock(dir).acquire(), (e) => isAppError(e) && e.code === 'STORE_LOCKED' && e.message.includes(`process ${process.ppid}`));

    writeFileSync(join(dir, 'nml.lock'), String(DEAD));
    const taken = new DataDirLock(dir);
    taken.acquire();
    assert.equal(readFileSync(join(dir, 'nml.lock'), 'utf8'), String(process.pid));
    // another process took the directory over meanwhile (this one was thought dead): its lock stays
    writeFileSync(join(dir, 'nml.lock'), String(process.ppid));
    taken.release();
    assert.equal(readFileSync(join(dir, 'nml.lock'), 'utf8'), String(process.ppid));
    assert.deepEqual(readdirSync(dir), ['nml.lock'], 'no temporary file or takeover directory left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts a process that spins until `at`, then takes the lock and holds it a moment; resolves to whether it got it. */
function contender(dir: string, at: number): Promise<boolean> {
  const lockUrl = new URL('./lock.js', import.meta.url).href;
  const script = `
    const { DataDirLock } = await import(${JSON.stringify(lockUrl)});
    const lock = new DataDirLock(${JSON.stringify(dir)});
    while (Date.now() < ${at}) {}
    try { lock.acquire(); process.stdout.write('got'); } catch { process.stdout.write('refused'); }
    await new Promise((r) => setTimeout(r, 300));`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, '--input-type=module', '-e', script]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.on('close', () => resolve(out === 'got'));
  });
}

test('two processes started at the same instant never both hold the lock, on a fresh directory or over a dead owner', async () => {
  for (let round = 0; round < 6; round++) {
    const dir = tmp();
    try {
      if (round % 2 === 1) writeFileSync(join(dir, 'nml.lock'), String(DEAD));
      const at = Date.now() + 700;
      const got = await Promise.all([contender(dir, at), contender(dir, at)]);
      assert.equal(got.filter(Boolean).length, 1, `round ${round}: ${got.join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

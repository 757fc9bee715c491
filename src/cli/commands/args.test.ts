/** Option parsers: output paths are checked when the command line is read, not after minutes of work. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoRate, outputDir, outputFile, reportFile } from './args.js';
import { runCliSync } from '../testing.js';
import { makeFolders } from '../../detect/index.js';
import { FIXTURE_DATA_DIR } from '../../detect/url/testing.js';

test('outputFile and outputDir: a folder for a file, a file for a folder, a path below a file, an empty path are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-args-'));
  try {
    const file = join(dir, 'a.md');
    writeFileSync(file, 'x');
    assert.equal(outputFile(file), file, 'an existing file is overwritten');
    assert.equal(outputFile(join(dir, 'new', 'deeper', 'r.md')), join(dir, 'new', 'deeper', 'r.md'), 'missing folders are made later');
    assert.throws(() => outputFile(dir), /is a folder; give a file path/);
    assert.throws(() => outputFile(join(file, 'r.md')), /a\.md is a file, so .* cannot be written below it/);
    assert.throws(() => outputFile(''), /an empty path/);
    assert.equal(outputDir(dir), dir);
    assert.equal(outputDir(join(dir, 'models', 'x')), join(dir, 'models', 'x'));
    assert.throws(() => outputDir(file), /a\.md is a file; give a folder/);
    if (process.getuid?.() !== 0) {
      // root may write anywhere, so this case is only checked as another user
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      assert.throws(() => outputFile(join(ro, 'r.md')), /cannot write in/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval syn --out below a file is a usage error before any work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-args-'));
  try {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    const r = runCliSync(['eval', 'syn', '--out', join(file, 'report.md')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /option '--out <file>' argument .* is invalid\. .*plain is a file, so .* cannot be written below it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an output path on /proc or /sys, or one naming a device, is refused when parsed (root passes the access check there)', () => {
  if (process.platform !== 'linux') return;
  assert.throws(() => outputFile('/proc/nope/r.md'), /\/proc is on the kernel's proc pseudo-filesystem, not a disk: nothing written there is kept; give a path on a disk/);
  assert.throws(() => outputDir('/proc/nope'), /\/proc is on the kernel's proc pseudo-filesystem/);
  assert.throws(() => outputFile('/sys/kernel/nope.json'), /on the kernel's sysfs pseudo-filesystem/);
  assert.throws(() => outputFile('/dev/null'), /\/dev is on the kernel's devtmpfs pseudo-filesystem, not a disk/);
});

test('an output path below /dev (devpts, mqueue too) is refused, /dev/shm is not; --out naming stdout says what to do instead', () => {
  if (process.platform !== 'linux') return;
  assert.throws(() => outputFile('/dev/nope/r.md'), /\/dev is on the kernel's devtmpfs pseudo-filesystem, not a disk: nothing written there is kept/);
  assert.throws(() => outputDir('/dev/nope'), /\/dev is on the kernel's devtmpfs pseudo-filesystem/);
  if (existsSync('/dev/pts')) assert.throws(() => outputFile('/dev/pts/nope.md'), /\/dev\/pts is on the kernel's devpts pseudo-filesystem/);
  if (existsSync('/dev/mqueue')) assert.throws(() => outputFile('/dev/mqueue/nope.md'), /\/dev\/mqueue is on the kernel's mqueue pseudo-filesystem/);
  if (existsSync('/dev/shm') && isWritable('/dev/shm')) assert.equal(outputFile('/dev/shm/nml-report.md'), '/dev/shm/nml-report.md');
  for (const v of ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1', '/dev/stderr']) {
    assert.throws(() => outputFile(v), new RegExp(`^InvalidArgumentError: ${v} is this command's output stream, not a file.*give a file path on a disk$`));
    assert.throws(() => reportFile(v), /is this command's output stream, not a file; omit --out to write the report to stdout \(this command's default\)/);
  }
});

test('eval syn --out /dev/stdout is a usage error telling to omit --out; eval url --report /dev/stdout one without that advice (it writes a file)', () => {
  if (process.platform !== 'linux') return;
  const syn = runCliSync(['eval', 'syn', '--out', '/dev/stdout'], { timeoutMs: 60_000 });
  assert.equal(syn.code, 2, syn.err);
  assert.match(syn.err, /argument '\/dev\/stdout' is invalid\. \/dev\/stdout is this command's output stream, not a file; omit --out to write the report to stdout/);
  const url = runCliSync(['eval', 'url', '--datasets', FIXTURE_DATA_DIR, '--report', '/dev/stdout'], { timeoutMs: 60_000 });
  assert.equal(url.code, 2, url.err);
  assert.match(url.err, /\/dev\/stdout is this command's output stream, not a file, and the result is written whole to a file/);
  assert.doesNotMatch(url.err, /random-by-host/, 'refused before any work');
});

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

test('train url, train syn, eval syn and eval url with an output below /proc stop at once with a usage error (Node 20 looped forever making the folder)', () => {
  if (process.platform !== 'linux') return;
  for (const args of [
    ['train', 'url', '--datasets', FIXTURE_DATA_DIR, '--epochs', '1', '--no-progress', '--out', '/proc/nope'],
    ['train', 'syn', '--epochs', '1', '--out', '/proc/nope/x.json'],
    ['eval', 'syn', '--out', '/proc/nope/r.md'],
    ['eval', 'url', '--datasets', FIXTURE_DATA_DIR, '--report', '/proc/nope/r.md'],
  ]) {
    const r = runCliSync(args, { timeoutMs: 60_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /argument '\/proc\/nope.*' is invalid\. \/proc is on the kernel's proc pseudo-filesystem/);
    assert.doesNotMatch(r.err, /epoch|loaded/, 'refused before any work');
  }
});

test('makeFolders makes the missing folders one level at a time and fails at once where one cannot be made', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-args-'));
  try {
    makeFolders(join(dir, 'a', 'b', 'c'));
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['c']);
    makeFolders(join(dir, 'a', 'b', 'c'));
    if (process.platform === 'linux') assert.throws(() => makeFolders('/proc/nope/deeper'), /ENOENT|EACCES|EPERM/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demoRate takes what demo.rate takes: above 0, at most 1,000,000, fractions allowed', () => {
  assert.equal(demoRate('0.5'), 0.5);
  assert.equal(demoRate('200'), 200);
  for (const bad of ['0', '-1', '', 'fast', '2000000']) assert.throws(() => demoRate(bad), /above 0 and at most 1000000/, bad);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wholeFileTempOf } from '../core/index.js';
import { Store, STORE_DEFAULTS, type StoreHooks } from './store.js';
import { sweepWholeFileTemps, type TempSweepReport } from './temp-sweep.js';
import { PLAIN_LANE } from './testing/lanes.js';
import { readOnlyDir } from './testing/read-only-dir.js';

const CONFIG = { ...STORE_DEFAULTS, relations: { ...STORE_DEFAULTS.relations, rollupCheckMs: 0 }, compaction: { ...STORE_DEFAULTS.compaction, checkMs: 0 } };
const HEX = '0123456789ab';

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'nml-temp-sweep-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const temps = (dir: string): string[] => readdirSync(dir).filter((n) => wholeFileTempOf(n) !== null).sort();

/** Opens and closes the store on `dir`; what it reported removed and the problems it met. */
async function openOnce(dir: string): Promise<{ removed: TempSweepReport[]; problems: string[] }> {
  const removed: TempSweepReport[] = [];
  const problems: string[] = [];
  const hooks: StoreHooks = { onTempFilesRemoved: (r) => removed.push(r), onProblem: (m) => problems.push(m) };
  const store = new Store(dir, CONFIG, PLAIN_LANE, {}, hooks);
  await store.close();
  return { removed, problems };
}

/** The pid of a process that ran and has ended (and was reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/**
 * A child that replaces `file` whole (core's writer, sync or not) and is killed with SIGKILL at the
 * rename, its temporary file written and synced: what the OOM killer or `kill -9` leaves.
 */
function killedWrite(dir: string, file: string, kind: 'sync' | 'async'): void {
  const script = join(dir, `killed-${kind}.mjs`);
  const module = new URL('../core/whole-file.js', import.meta.url).href;
  writeFileSync(
    script,
    `import fs from 'node:fs';\nimport fsp from 'node:fs/promises';\nimport { syncBuiltinESMExports } from 'node:module';\n` +
      `const die = () => process.kill(process.pid, 'SIGKILL');\nfs.renameSync = die;\nfsp.rename = die;\nsyncBuiltinESMExports();\n` +
      `const w = await import(${JSON.stringify(module)});\n` +
      `await w.${kind === 'sync' ? 'writeWholeFileSync' : 'writeWholeFile'}(process.argv[2], 'the new contents\\n', { mode: 0o600 });\n`,
  );
  const r = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  rmSync(script);
}

test('a write killed before its rename leaves its temporary file; the next open of the data directory removes it and reports the count and the folder', async (t) => {
  const dir = scratch(t);
  mkdirSync(join(dir, 'collect'));
  const outbox = join(dir, 'findings-notify-outbox.json');
  const positions = join(dir, 'collect', 'file-positions.json');
  writeFileSync(outbox, 'the old outbox\n');
  killedWrite(dir, outbox, 'async');
  killedWrite(dir, join(dir, 'api-token'), 'sync');
  killedWrite(dir, positions, 'sync');
  assert.equal(temps(dir).length, 2, 'the killed writes left their temporary files');
  assert.equal(temps(join(dir, 'collect')).length, 1);
  assert.equal(readFileSync(join(dir, temps(dir).find((n) => n.startsWith('.findings'))!), 'utf8'), 'the new contents\n', 'killed after the write, before the rename');
  assert.equal(readFileSync(outbox, 'utf8'), 'the old outbox\n');

  const first = await openOnce(dir);
  assert.deepEqual(first.problems, []);
  assert.deepEqual(
    first.removed.map((r) => [r.folder, r.removed, r.message]),
    [
      [dir, 2, `store: removed 2 temporary files of whole-file writes that a stopped process did not finish, in ${dir}`],
      [join(dir, 'collect'), 1, `store: removed 1 temporary file of whole-file writes that a stopped process did not finish, in ${join(dir, 'collect')}`],
    ],
  );
  assert.deepEqual(temps(dir), []);
  assert.deepEqual(temps(join(dir, 'collect')), []);
  assert.equal(readFileSync(outbox, 'utf8'), 'the old outbox\n', 'the file itself untouched');
  assert.equal(existsSync(join(dir, 'api-token')), false);
  assert.deepEqual((await openOnce(dir)).removed, [], 'nothing left to remove, nothing said');
});

test('the temporary file of a process that runs is kept; once it has ended, the next open removes it', async (t) => {
  const dir = scratch(t);
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await once(child, 'spawn');
  const live = `.api-token.${child.pid}-${HEX}.tmp`;
  writeFileSync(join(dir, live), 'a rotate under way');
  assert.deepEqual((await openOnce(dir)).removed, []);
  assert.deepEqual(temps(dir), [live]);
  child.kill('SIGKILL');
  await once(child, 'exit');
  const after = await openOnce(dir);
  assert.deepEqual(after.removed.map((r) => r.removed), [1]);
  assert.deepEqual(temps(dir), []);
});

test('a pid given again: a temporary file written before the process now under its pid started is removed, this process\'s own write under way is kept', async (t) => {
  const dir = scratch(t);
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await once(child, 'spawn');
  const hourAgo = new Date(Date.now() - 3_600_000);
  // this test process started less than an hour ago, and so did the child
  assert.ok(performance.timeOrigin > hourAgo.getTime());
  const oldMine = `.admin-password.${process.pid}-${HEX}.tmp`;
  const oldChilds = `.api-token.${child.pid}-${HEX}.tmp`;
  const mineNow = `.api-token.${process.pid}-ba9876543210.tmp`;
  for (const name of [oldMine, oldChilds]) {
    writeFileSync(join(dir, name), 'left by a process before a reboot');
    utimesSync(join(dir, name), hourAgo, hourAgo);
  }
  writeFileSync(join(dir, mineNow), 'this process is writing it');
  const r = await openOnce(dir);
  assert.deepEqual(r.removed.map((x) => x.removed), [2]);
  assert.deepEqual(temps(dir), [mineNow]);
});

test('only a plain file named exactly as the writer names its temporary files is removed: look-alikes, a link (its target untouched) and a folder are kept', async (t) => {
  const dir = scratch(t);
  const dead = deadPid();
  const outside = scratch(t);
  writeFileSync(join(outside, 'target'), 'not ours');
  const lookAlikes = [
    `.api-token.${dead}-0123456789a.tmp`,
    `.api-token.${dead}-0123456789AB.tmp`,
    `api-token.${dead}-${HEX}.tmp`,
    `.api-token.${dead}-${HEX}.tmp.bak`,
    `.api-token.0${dead}-${HEX}.tmp`,
    `.api-token.x-${HEX}.tmp`,
    `..${dead}-${HEX}.tmp`,
    `nml.lock.${dead}.tmp`,
  ];
  for (const name of lookAlikes) writeFileSync(join(dir, name), 'x');
  const link = `.api-token.${dead}-aaaaaaaaaaaa.tmp`;
  symlinkSync(join(outside, 'target'), join(dir, link));
  const folder = `.api-token.${dead}-bbbbbbbbbbbb.tmp`;
  mkdirSync(join(dir, folder));
  const stale = `.api-token.${dead}-${HEX}.tmp`;
  writeFileSync(join(dir, stale), 'left by a killed rotate');
  const r = await openOnce(dir);
  assert.deepEqual(r.removed.map((x) => x.removed), [1], 'the one stale temporary file');
  const left = readdirSync(dir);
  for (const name of [...lookAlikes, link, folder]) assert.ok(left.includes(name), `${name} kept`);
  assert.equal(left.includes(stale), false);
  assert.ok(lstatSync(join(dir, link)).isSymbolicLink());
  assert.equal(readFileSync(join(outside, 'target'), 'utf8'), 'not ours');
});

const probe = readOnlyDir();
probe?.close();
const skip = probe === null && 'no folder can be made read-only here (root without a tmpfs mount)';

test('a temporary file that cannot be removed is a warning naming it, not a failure', { skip }, (t) => {
  const ro = readOnlyDir()!;
  t.after(() => ro.close());
  const name = `.api-token.${deadPid()}-${HEX}.tmp`;
  writeFileSync(join(ro.dir, name), 'x');
  ro.freeze();
  const problems: string[] = [];
  assert.equal(sweepWholeFileTemps(ro.dir, (m) => problems.push(m)), null);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, new RegExp(`^store: cannot remove ${join(ro.dir, name).replace(/[.]/g, '\\.')}, the temporary file of a write that process \\d+ did not finish: .+; remove it by hand$`));
  assert.ok(existsSync(join(ro.dir, name)));
});

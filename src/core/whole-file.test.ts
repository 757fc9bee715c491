import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareWholeFileSync, WholeFileError, wholeFileTempName, wholeFileTempOf, writeWholeFile, writeWholeFileSync } from './whole-file.js';
import { describeCause } from './errors.js';

const WRITERS = {
  sync: async (path: string, data: string | Uint8Array, mode?: number) => writeWholeFileSync(path, data, mode === undefined ? {} : { mode }),
  async: (path: string, data: string | Uint8Array, mode?: number) => writeWholeFile(path, data, mode === undefined ? {} : { mode }),
};

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'nml-whole-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function thrown(fn: () => Promise<unknown>): Promise<WholeFileError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof WholeFileError, `a WholeFileError, not ${String(e)}`);
    return e;
  }
  assert.fail('no error');
}

for (const [kind, write] of Object.entries(WRITERS)) {
  test(`${kind}: writes a new file, replaces an old one, and leaves nothing else in the folder`, async (t) => {
    const dir = scratch(t);
    const file = join(dir, 'out.json');
    await write(file, 'first\n');
    assert.equal(readFileSync(file, 'utf8'), 'first\n');
    const inode = statSync(file).ino;
    await write(file, Buffer.from([1, 2, 3]));
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
    assert.notEqual(statSync(file).ino, inode, 'a new file renamed over the old one, not the old one rewritten');
    assert.deepEqual(readdirSync(dir), ['out.json']);
  });

  test(`${kind}: the mode given is the file's whatever the umask and whatever the old file's; none given: 0666 less the umask`, async (t) => {
    const dir = scratch(t);
    const file = join(dir, 'secret');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    const umask = process.umask(0o077);
    try {
      await write(file, 'token\n', 0o640);
      assert.equal(statSync(file).mode & 0o777, 0o640, 'not narrowed by the umask 077');
      await write(file, 'token\n', 0o600);
      assert.equal(statSync(file).mode & 0o777, 0o600, 'the old file was 0644');
      process.umask(0o022);
      await write(file, 'report\n');
      assert.equal(statSync(file).mode & 0o777, 0o644);
    } finally {
      process.umask(umask);
    }
  });

  test(`${kind}: a rename that fails leaves what was there, removes the temporary file, and names the path and the step`, async (t) => {
    const dir = scratch(t);
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'kept');
    const e = await thrown(() => write(target, 'new'));
    assert.equal(e.step, 'replace');
    assert.equal(e.path, target);
    assert.ok(e.code === 'EISDIR' || e.code === 'ENOTEMPTY', `the system's errno: ${e.code}`);
    assert.match(e.message, new RegExp(`^cannot replace ${target}: `));
    assert.equal(describeCause(e), describeCause(e.cause), 'read by errno as the system error it wraps');
    assert.equal(readFileSync(join(target, 'inside'), 'utf8'), 'kept');
    assert.deepEqual(readdirSync(dir).sort(), ['taken']);
  });

  test(`${kind}: a folder that is not there: the error names the file, nothing is made`, async (t) => {
    const dir = scratch(t);
    const file = join(dir, 'missing', 'out');
    const e = await thrown(() => write(file, 'x'));
    assert.equal(e.code, 'ENOENT');
    assert.equal(e.message, `cannot create a temporary file beside ${file}: no such file`);
    assert.deepEqual(readdirSync(dir), []);
  });

  test(`${kind}: a failure in the middle of the write (the file size limit) leaves the old file whole and no temporary file`, (t) => {
    const dir = scratch(t);
    const file = join(dir, 'model.json');
    writeFileSync(file, 'the old model\n');
    const script = join(dir, 'child.mjs');
    const module = new URL('./whole-file.js', import.meta.url).href;
    writeFileSync(
      script,
      `import { writeWholeFile, writeWholeFileSync } from ${JSON.stringify(module)};\n` +
        `try { await (${kind === 'sync' ? 'writeWholeFileSync' : 'writeWholeFile'})(process.argv[2], 'x'.repeat(1 << 20), { mode: 0o600 }); console.log(JSON.stringify({ ok: true })); }\n` +
        `catch (e) { console.log(JSON.stringify({ name: e.name, step: e.step, code: e.code, message: e.message })); }\n`,
    );
    // 16 blocks of 512 bytes: the 1 MiB write stops with EFBIG after 8 KiB (Node ignores SIGXFSZ)
    const r = spawnSync('sh', ['-c', 'ulimit -f 16 && exec "$0" "$@"', process.execPath, script, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(out, { name: 'WholeFileError', step: 'write', code: 'EFBIG', message: `cannot write ${file}: file too large for the size limit` });
    assert.equal(readFileSync(file, 'utf8'), 'the old model\n');
    assert.deepEqual(readdirSync(dir).sort(), ['child.mjs', 'model.json']);
  });
}

test('two writes of one file at once each use their own temporary file: both succeed, one of them is the file, nothing is left', async (t) => {
  const dir = scratch(t);
  const file = join(dir, 'outbox.json');
  const big = (c: string) => c.repeat(1 << 20);
  await Promise.all([writeWholeFile(file, big('a')), writeWholeFile(file, big('b'))]);
  const text = readFileSync(file, 'utf8');
  assert.ok(text === big('a') || text === big('b'), 'one write whole, not a mix');
  assert.deepEqual(readdirSync(dir), ['outbox.json']);
  assert.notEqual(wholeFileTempName(file), wholeFileTempName(file));
  assert.match(wholeFileTempName(file), new RegExp(`^${dir}/\\.outbox\\.json\\.${process.pid}-[0-9a-f]{12}\\.tmp$`));
});

test('wholeFileTempOf reads back exactly the names wholeFileTempName gives, and no other', () => {
  const name = wholeFileTempName('/data/api-token').slice('/data/'.length);
  assert.deepEqual(wholeFileTempOf(name), { file: 'api-token', pid: process.pid });
  assert.deepEqual(wholeFileTempOf('.a.b.json.42-0123456789ab.tmp'), { file: 'a.b.json', pid: 42 });
  for (const other of ['.x.42-0123456789a.tmp', '.x.42-0123456789AB.tmp', 'x.42-0123456789ab.tmp', '.x.42-0123456789ab.tmp~', '.x.042-0123456789ab.tmp', '.x.0-0123456789ab.tmp', '..42-0123456789ab.tmp', '.x.42-0123456789ab.tmp/y', 'nml.lock.42.tmp', '.x.tmp-42']) {
    assert.equal(wholeFileTempOf(other), null, other);
  }
});

for (const [kind, write] of Object.entries({ sync: writeWholeFileSync, async: writeWholeFile })) {
  test(`${kind}: noReplace makes a file that is not there, whole, and refuses one that is (EEXIST, step create), keeping it and leaving no temporary file`, async (t) => {
    const dir = scratch(t);
    const file = join(dir, 'api-token');
    await write(file, 'first\n', { mode: 0o600, noReplace: true });
    assert.equal(readFileSync(file, 'utf8'), 'first\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(file).nlink, 1, 'the temporary name is gone');
    const e = await thrown(async () => write(file, 'second\n', { mode: 0o600, noReplace: true }));
    assert.equal(e.code, 'EEXIST');
    assert.equal(e.step, 'create');
    assert.match(e.message, new RegExp(`^cannot create ${file}: `));
    assert.equal(readFileSync(file, 'utf8'), 'first\n');
    assert.deepEqual(readdirSync(dir), ['api-token']);
  });
}

test('prepareWholeFileSync writes the temporary file only: commit puts it in place, abort removes it', (t) => {
  const dir = scratch(t);
  const a = join(dir, 'weights.bin');
  writeFileSync(a, 'old');
  const p = prepareWholeFileSync(a, 'new');
  const q = prepareWholeFileSync(join(dir, 'model.json'), '{}');
  assert.equal(readFileSync(a, 'utf8'), 'old');
  assert.equal(readdirSync(dir).filter((n) => wholeFileTempOf(n) !== null).length, 2);
  p.commit();
  q.abort();
  assert.equal(readFileSync(a, 'utf8'), 'new');
  assert.deepEqual(readdirSync(dir), ['weights.bin']);
});

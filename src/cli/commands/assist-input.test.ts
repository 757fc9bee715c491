/** A report file `nml assist` cannot read says why in words and what to do, not node's "ENOENT: no such file or directory, open …". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../core/index.js';
import { readFileCapped } from './assist-input.js';
import { EIO_FILE } from '../../core/testing/refused-fs.js';

async function said(file: string): Promise<{ kind: string; message: string }> {
  try {
    await readFileCapped(file);
  } catch (e) {
    assert.ok(isAppError(e) && e.code === 'ASSIST_INPUT_UNREADABLE', String(e));
    assert.doesNotMatch(e.message, /ENOENT|EISDIR|EACCES|EIO|open '/, 'no errno and no node words');
    return { kind: e.kind, message: e.message };
  }
  assert.fail(`${file} was read`);
}

const refused = EIO_FILE;

test('a report that will not read: no such file, a folder, permission denied, an I/O error, each with what to do', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-input-'));
  try {
    const missing = join(dir, 'missing.txt');
    assert.deepEqual(await said(missing), { kind: 'bad_request', message: `assist: cannot read ${missing}: there is no such file; check the path (a relative one is read from the folder nml runs in)` });
    assert.deepEqual(await said(dir), { kind: 'bad_request', message: `assist: cannot read ${dir}: it is a folder, and a report is one file; name one of its files (nml assist import takes several)` });
    // a link loop: a wrong path like any other; collect's advice for it ("point the link at the log file") is for followed logs
    const loop = join(dir, 'loop.txt');
    symlinkSync(loop, loop);
    assert.deepEqual(await said(loop), { kind: 'bad_request', message: `assist: cannot read ${loop}: a loop of symbolic links; check the path (a relative one is read from the folder nml runs in)` });
    if (refused !== null) {
      assert.deepEqual(await said(refused), { kind: 'unavailable', message: `assist: cannot read ${refused}: input/output error; check the file and the disk it is on` });
    } else {
      t.diagnostic('no file here refuses a read with EIO: that case not checked');
    }
    const locked = join(dir, 'locked.txt');
    writeFileSync(locked, 'report');
    chmodSync(locked, 0o000);
    if (process.getuid?.() === 0) {
      t.diagnostic('running as root, whom chmod 000 does not stop: the permission case not checked here');
    } else {
      assert.deepEqual(await said(locked), { kind: 'unavailable', message: `assist: cannot read ${locked}: permission denied; make it readable by the user nml runs as` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `nml stats`: the data directory's path and the store's problems reach a terminal with their control characters shown as \xNN. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync, runInProcess } from '../testing.js';

const ESC = '\x1b';
// set the window title, clear the screen, and a C1 CSI
const hostile = `${ESC}]0;PWNED\x07${ESC}[2J\u009b2J`;
const shown = '\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J';

test('nml stats: control characters of a path shown as \\xNN with --escape always; exact into a pipe; --json left JSON-escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-stats-esc-'));
  try {
    // a folder name is text from outside (an archive unpacked, a share mounted under its own name)
    const data = join(dir, `d${hostile}`);
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: '<38>1 2026-11-30T10:00:01Z host1 sshd 1 - - Failed password for root from 203.0.113.5\n' });
    assert.equal(ingest.code, 0, ingest.err);

    // a child whose stdout is a pipe: the default (auto)
    const piped = runCliSync(['stats', '--data', data]);
    assert.equal(piped.code, 0, piped.err);
    assert.ok(piped.out.startsWith(`data dir     ${data}\nshards       1 (1 sealed)\nlines        1\n`), JSON.stringify(piped.out));
    // in this process: --escape always does not depend on what stdout is
    const always = await runInProcess(['stats', '--escape', 'always', '--data', data]);
    assert.equal(always.code, 0, always.err);
    assert.ok(always.out.startsWith(`data dir     ${join(dir, 'd')}${shown}\nshards       1 (1 sealed)\nlines        1\n`) && !always.out.includes(ESC), JSON.stringify(always.out));
    const json = await runInProcess(['stats', '--json', '--escape', 'always', '--data', data]);
    assert.equal((JSON.parse(json.out) as { dataDir: string }).dataDir, data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

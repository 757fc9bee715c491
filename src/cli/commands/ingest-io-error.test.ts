/**
 * A write the file system refuses for another reason than space (here a file size limit, `ulimit -f`) is
 * named as such, with what to do, and the command fails; until session 33 it reached a sender as an
 * internal error with no reason (found by a durability review).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv, REPO_ROOT } from '../testing.js';

test('nml ingest past a file size limit says STORE_IO_ERROR in words (the shard, the limit, what to do) and exits non-zero', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ioerr-'));
  try {
    // one minute's lines: one shard grows past the limit (1 MiB) while the file read stays under it
    const lines = Array.from({ length: 60_000 }, (_, i) => `Dec  2 10:00:00 host sshd[${i}]: Failed password for user${i} from 10.0.${i % 250}.${i % 200} port ${i % 60000} ssh2 ${i.toString(36).repeat(6)}`);
    const input = join(dir, 'in.log');
    writeFileSync(input, lines.join('\n') + '\n');
    // the arguments reach node as "$@": nothing is pasted into the shell's command line
    const run = await new Promise<{ code: number; err: string }>((resolve) => {
      execFile('bash', ['-c', 'ulimit -f 1024 && exec "$0" "$@"', process.execPath, ...argv(['ingest', input, '--data', join(dir, 'data')])], { cwd: REPO_ROOT }, (e, _out, err) => {
        resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, err });
      });
    });
    assert.notEqual(run.code, 0, run.err);
    assert.match(run.err, /not stored: store: writing \S+\.db failed \(sqlite_ioerr/i, run.err);
    assert.match(run.err, /ulimit -f/);
    assert.doesNotMatch(run.err, /internal error|at .*\.js:\d+/, 'no stack, no internal error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

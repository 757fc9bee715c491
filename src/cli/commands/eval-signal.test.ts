/**
 * `nml eval syn|url|assist` run in a worker thread (job-thread.ts), so that a stop signal is heard
 * during the evaluation: Ctrl-C exits 130 and SIGTERM 143, each with one line saying nothing was
 * written; and an evaluation that is not stopped still writes its report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv, REPO_ROOT, runCli } from '../testing.js';
import { ownSynCaptures } from '../../detect/syn/testing.js';

/** Runs `eval syn` long (many epochs per fold), sends `signal` once its first fold trains; the exit status and stderr. */
async function stopEvalSyn(dir: string, signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; err: string }> {
  const own = ownSynCaptures(dir);
  const args = ['eval', 'syn', '--datasets', own, '--epochs', '1000', '--train-seeds', '5', '--synthetic', '20', '--variants', '--out', join(dir, 'r.md')];
  const child = spawn(process.execPath, argv(args), { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let sent = false;
  const code = await new Promise<number | null>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (!sent && /training seed 1\n/.test(err)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('close', (c) => resolve(c));
  });
  return { code, err };
}

test('Ctrl-C during eval syn says the evaluation stopped and nothing was written, and exits 130', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-eval-int-'));
  try {
    const { code, err } = await stopEvalSyn(dir, 'SIGINT');
    assert.equal(code, 130, err);
    assert.match(err, /\nnml: eval syn: interrupted \(Ctrl-C\): evaluation stopped, nothing written\n$/);
    assert.deepEqual(readdirSync(dir), ['own']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM during eval syn says so and exits 143, writing no report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-eval-term-'));
  try {
    const { code, err } = await stopEvalSyn(dir, 'SIGTERM');
    assert.equal(code, 143, err);
    assert.match(err, /\nnml: eval syn: interrupted \(SIGTERM\): evaluation stopped, nothing written\n$/);
    assert.deepEqual(readdirSync(dir), ['own']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval syn on a small fixture runs to its end in the worker: its log on stderr, the report on stdout or in --out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-eval-syn-'));
  try {
    const own = ownSynCaptures(dir);
    const small = ['eval', 'syn', '--datasets', own, '--epochs', '1', '--train-seeds', '1', '--synthetic', '1'];
    const toStdout = await runCli(small);
    assert.equal(toStdout.code, 0, toStdout.err);
    assert.match(toStdout.err, /^loaded 2 real hosts/m);
    assert.match(toStdout.err, /^fold 1\/1 syn-more:mine\.pcap: 2 hosts/m);
    assert.match(toStdout.out, /^# SYN detector evaluation\n/);
    assert.match(toStdout.out, /## Real captures, leave-one-capture-out \(headline\)/);
    const out = join(dir, 'r.md');
    const toFile = await runCli([...small, '--out', out]);
    assert.equal(toFile.code, 0, toFile.err);
    assert.equal(toFile.out, '');
    const report = readFileSync(out, 'utf8');
    assert.match(report, /^# SYN detector evaluation\n/);
    // the same evaluation, seeded the same, says the same (but for the path of the data, the same here, and
    // the run time: 1 s in one run, 2 s in the other on a loaded machine)
    const timeless = (s: string): string => s.replace(/^Run time \d+ s\.$/m, 'Run time');
    assert.match(report, /^Run time \d+ s\.$/m);
    assert.equal(timeless(report), timeless(toStdout.out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

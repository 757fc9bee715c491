/**
 * `nml eval syn|url|assist` run in a worker thread (job-thread.ts), so that a stop signal is heard
 * during the evaluation: Ctrl-C exits 130 and SIGTERM 143, each with one line saying nothing was
 * written; and an evaluation that is not stopped still writes its report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli, type CliRun } from '../testing.js';
import { ownSynCaptures } from '../../detect/syn/testing.js';

/** Runs `eval syn` long (many epochs per fold), sends `signal` once its first fold trains; the exit status and stderr. */
async function stopEvalSyn(dir: string, signal: 'SIGINT' | 'SIGTERM'): Promise<CliRun> {
  const own = ownSynCaptures(dir);
  const cli = startCli(['eval', 'syn', '--datasets', own, '--epochs', '1000', '--train-seeds', '5', '--synthetic', '20', '--variants', '--out', join(dir, 'r.md')]);
  await cli.stderrMatch(/training seed 1\n/);
  cli.kill(signal);
  return cli.done;
}

for (const [signal, status, named] of [['SIGINT', 130, 'Ctrl-C'], ['SIGTERM', 143, 'SIGTERM']] as const) {
  test(`${named} during eval syn says the evaluation stopped and nothing was written, and exits ${status}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-eval-stop-'));
    try {
      const { code, err } = await stopEvalSyn(dir, signal);
      assert.equal(code, status, err);
      assert.match(err, new RegExp(`\\nnml: eval syn: interrupted \\(${named}\\): evaluation stopped, nothing written\\n$`));
      assert.deepEqual(readdirSync(dir), ['own']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

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

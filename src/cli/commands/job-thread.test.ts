/** runJob: the stop-signal handlers of a train or eval job go away when it ends, also when writing its result fails. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownSynCaptures } from '../../detect/syn/testing.js';
import { evalWords, runJob, type Job } from './job-thread.js';

const listeners = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

/** The smallest eval syn: one fold, one epoch, one synthetic host per weight. */
const smallEvalSyn = (datasets: string): Job => ({
  kind: 'eval-syn',
  options: { datasets, seed: 1, epochs: 1, variant: 'fields+stats+bag', trainSeeds: 1, synthPerWeight: 1, variants: false, syntheticPorts: 'real', syntheticStacks: 'shared', portPrior: true },
});

test('a result written: runJob returns what the write returned, and its signal handlers are gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-job-ok-'));
  try {
    const before = listeners();
    let during: number[] = [];
    const out = await runJob(smallEvalSyn(ownSynCaptures(dir)), 'eval syn', evalWords('eval syn'), {}, (md: string) => {
      during = listeners();
      return md.split('\n')[0];
    });
    assert.equal(out, '# SYN detector evaluation');
    assert.deepEqual(during, before.map((n) => n + 1), 'the handlers listen while the result is written');
    assert.deepEqual(listeners(), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writing the result fails: the error comes through, and the signal handlers are gone with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-job-fail-'));
  try {
    const before = listeners();
    const write = (): never => {
      throw new Error('disk full');
    };
    await assert.rejects(runJob(smallEvalSyn(ownSynCaptures(dir)), 'eval syn', evalWords('eval syn'), {}, write), /disk full/);
    assert.deepEqual(listeners(), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

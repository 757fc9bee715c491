/** `nml ingest` stopped by Ctrl-C or SIGTERM: what it read is committed, the store closed, and how many lines were stored is said. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { runCli, startCli } from '../testing.js';
import { STOP_SIGNALS } from '../signals.js';

/** Resolves once `dir` holds a shard (a batch was committed, so the signal handlers are in place), or rejects when `signal` aborts. */
async function firstShard(dir: string, signal: AbortSignal): Promise<void> {
  const shards = join(dir, 'shards');
  while (!existsSync(shards) || readdirSync(shards).length === 0) {
    signal.throwIfAborted();
    await pause(50);
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} while ingesting stdin: the lines read are committed, the count said, the store closed, exit ${STOP_SIGNALS[sig]}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-signal-'));
    const data = join(dir, 'd');
    // more than a batch (2,000 lines), and stdin left open: the load is running when the signal comes
    const input = Array.from({ length: 5_000 }, (_, i) => `host${i % 7} sshd[${i}]: accepted password for user${i % 13}`).join('\n') + '\n';
    const cli = startCli(['ingest', '--data', data, '--no-progress'], { input });
    try {
      await firstShard(data, AbortSignal.timeout(60_000));
      cli.kill(sig);
      // a command that does not stop fails the test (and is killed below) rather than hanging it
      const gone = pause(60_000, null, { ref: false }).then(() => Promise.reject(new Error(`nml ingest still running 60 s after ${sig}`)));
      const { code, err } = await Promise.race([cli.done, gone]);
      assert.equal(code, STOP_SIGNALS[sig], err);
      assert.match(err, new RegExp(`ingest: ${sig}: stopping`));
      const m = /nml: ingest stopped after (\d+) lines were stored; they stay in the store, and ingesting the same input again stores them twice\n/.exec(err);
      assert.ok(m !== null, err);
      assert.ok(Number(m[1]) >= 2_000, err);
      assert.equal(existsSync(join(data, 'nml.lock')), false, 'the store was closed: no lock left');
      const count = await runCli(['count', '--data', data, '']);
      assert.equal(count.code, 0, count.err);
      assert.equal(Number(count.out.trim()), Number(m[1]), 'the count said is what the store holds');
    } finally {
      cli.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

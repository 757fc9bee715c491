/**
 * kill -9 during ingest: every batch the server acknowledged is searchable after the restart, and
 * every shard opens (the writable catalog replays and seals what the killed writer left open).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NML_BIN, tempDir, tokenOf } from './helpers.js';

const BATCH = 2000;

function nml(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [NML_BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('acknowledged lines survive kill -9 and every shard opens afterwards', async () => {
  const tmp = tempDir('nml-crash-');
  try {
    const server = spawn(process.execPath, [NML_BIN, 'serve', '--data', tmp.dir, '--no-udp', '--no-tcp', '--http-port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: server.stdout! });
      rl.on('line', (l) => {
        const m = JSON.parse(l) as { msg?: string; url?: string };
        if (m.msg === 'http listening' && m.url !== undefined) resolve(m.url);
      });
      server.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    });
    const token = tokenOf(tmp.dir);
    const acked: number[] = [];
    let next = 0;
    let killed = false;
    const sender = async (): Promise<void> => {
      while (!killed) {
        const b = next++;
        const body = Array.from({ length: BATCH }, (_, i) => `<13>Nov 28 12:00:00 crash-host app[1]: crashbatch_${b} line ${i}`).join('\n');
        try {
          const r = await fetch(`${url}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body });
          if (r.status === 200) acked.push(b);
        } catch {
          return; // the server is gone
        }
      }
    };
    const senders = [sender(), sender(), sender()];
    await new Promise((r) => setTimeout(r, 1500));
    killed = true;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGKILL');
    await Promise.all(senders);
    await exited;
    assert.ok(acked.length > 0, 'some batches were acknowledged before the kill');

    // a reader beside no writer sees what was committed
    const total = Number(nml(['count', '--data', tmp.dir, '']).stdout.trim());
    assert.ok(total >= acked.length * BATCH, `count ${total} >= acknowledged ${acked.length * BATCH}`);

    // restart as a writer: recovery seals what the killed lanes left open
    writeFileSync(join(tmp.dir, 'one.log'), 'after restart marker_restart\n');
    const ingest = nml(['ingest', '--data', tmp.dir, '--no-progress', join(tmp.dir, 'one.log')]);
    assert.equal(ingest.status, 0, ingest.stderr);
    const stats = JSON.parse(nml(['stats', '--data', tmp.dir, '--json']).stdout) as { problems: string[]; shards: number; sealedShards: number };
    assert.deepEqual(stats.problems, []);
    // the killed writer's shards are sealed now; only the new ingest's current-slot shards may be open
    assert.ok(stats.sealedShards >= stats.shards - 2, `sealed ${stats.sealedShards} of ${stats.shards}`);
    for (const b of acked) assert.equal(nml(['count', '--data', tmp.dir, `crashbatch_${b}`]).stdout.trim(), String(BATCH), `batch ${b}`);
    assert.equal(nml(['count', '--data', tmp.dir, 'marker_restart']).stdout.trim(), '1');
  } finally {
    tmp.cleanup();
  }
});

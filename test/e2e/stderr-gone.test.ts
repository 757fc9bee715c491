/**
 * A server outlives whoever read its stderr (`nml serve 2>&1 | head`, a closed terminal): it keeps
 * answering, and SIGTERM still stops it cleanly. Before, the first write to the closed stderr was an
 * uncaught EPIPE: the server exited with nothing said, or hung on its way out, holding its ports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { NML_BIN, tempDir } from './helpers.js';

test('serve keeps running after its stderr reader went away, and stops on SIGTERM, its log ending with stopped', async () => {
  const tmp = tempDir('nml-stderr-');
  try {
    const server = spawn(process.execPath, [NML_BIN, 'serve', '--data', tmp.dir, '--no-udp', '--no-tcp', '--http-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // the reader of stderr goes away at once: every write there meets EPIPE
    server.stderr!.destroy();
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve((exitCode = code))));
    const said: string[] = [];
    const lines = createInterface({ input: server.stdout! });
    const read = new Promise((resolve) => lines.once('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      lines.on('line', (l) => {
        const m = JSON.parse(l) as { msg?: string; url?: string };
        said.push(m.msg ?? '');
        if (m.msg === 'http listening' && m.url !== undefined) resolve(m.url);
      });
      void exited.then((code) => reject(new Error(`server exited early with ${code}`)));
    });
    // past its start, where it writes the web UI's address to stderr
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(exitCode, undefined, 'still running');
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    server.kill('SIGTERM');
    assert.equal(await exited, 0, 'SIGTERM stops it cleanly');
    await read;
    // the log ends saying the stop finished, after saying it began
    assert.equal(said.at(-1), 'stopped', JSON.stringify(said.slice(-4)));
    assert.ok(said.includes('stopping'));
  } finally {
    tmp.cleanup();
  }
});

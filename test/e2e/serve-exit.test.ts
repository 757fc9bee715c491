/**
 * `nml serve` ends by itself after SIGTERM, promptly and with status 0, with clients connected, a
 * webhook configured and the demo's sources (its SYN replay among them) running: systemd and an
 * operator restarting it wait on that. Its open WebSockets are closed as "going away" (1001, `server
 * stopping`), which a page tells from a lost network. Right after its last log line ('stopped') nothing but its stdout
 * and stderr is open: no timer, socket, worker or file handle is left to hold the process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { webhookReceiver } from '../../src/detect/findings/testing.js';
import { NML_BIN, ROOT, tempDir, tokenOf } from './helpers.js';

/** What is open in the server when it logs 'stopped': written to stderr as one line (a preload, so the server itself stays as shipped). */
const PRELOAD = `
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const r = write(chunk, ...rest);
  if (String(chunk).includes('"msg":"stopped"')) process.stderr.write('open at stopped: ' + JSON.stringify(process.getActiveResourcesInfo()) + '\\n');
  return r;
};
`;
/** stdout and stderr (pipes here, a TTY in a terminal) */
const STDIO = new Set(['PipeWrap', 'TTYWrap']);

test('serve exits by itself soon after SIGTERM, status 0, nothing left open after its last log line', async () => {
  const tmp = tempDir('nml-serve-exit-');
  const receiver = await webhookReceiver();
  try {
    const config = join(tmp.dir, 'config.json');
    writeFileSync(config, JSON.stringify({ findings: { notify: [{ url: receiver.url }] } }));
    const preload = join(tmp.dir, 'open-at-stopped.cjs');
    writeFileSync(preload, PRELOAD);
    const args = ['--require', preload, NML_BIN, 'serve', '--data', join(tmp.dir, 'data'), '--config', config, '--http-port', '0', '--syslog-port', '0', '--demo'];
    const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let exitedAt = 0;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      server.once('exit', (code, signal) => {
        exitedAt = performance.now();
        resolve({ code, signal });
      }),
    );
    let stoppedAt = 0;
    const said: string[] = [];
    const lines = createInterface({ input: server.stdout! });
    const url = await new Promise<string>((resolve, reject) => {
      lines.on('line', (l) => {
        const m = JSON.parse(l) as { msg?: string; url?: string };
        said.push(m.msg ?? '');
        if (m.msg === 'stopped') stoppedAt = performance.now();
        if (m.msg === 'http listening' && m.url !== undefined) resolve(m.url);
      });
      void exited.then(({ code }) => reject(new Error(`server exited early with ${code}: ${stderr}`)));
    });
    // clients connected at the stop: a keep-alive HTTP connection, the live tail's and the SYN board's WebSockets
    const token = tokenOf(join(tmp.dir, 'data'));
    const health = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(health.status, 200);
    await health.text();
    const WebSocket = createRequire(join(ROOT, 'package.json'))('ws') as typeof import('ws').WebSocket;
    const feeds = await Promise.all(
      ['/api/tail', '/api/detect/syn/live'].map(async (path) => {
        const ws = new WebSocket(`${url.replace('http', 'ws')}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const closed = new Promise<string>((resolve) => ws.once('close', (closeCode, reason) => resolve(`${path} ${closeCode} ${String(reason)}`)));
        await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
        return { closed };
      }),
    );
    // the demo's sources and its SYN replay running for a while
    await new Promise((r) => setTimeout(r, 1500));

    const sentAt = performance.now();
    server.kill('SIGTERM');
    const killer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    const { code, signal } = await exited;
    clearTimeout(killer);
    const total = exitedAt - sentAt;
    const afterStopped = stoppedAt === 0 ? NaN : exitedAt - stoppedAt;
    console.log(`serve: SIGTERM to 'stopped' ${(stoppedAt - sentAt).toFixed(0)} ms, 'stopped' to exit ${afterStopped.toFixed(0)} ms, SIGTERM to exit ${total.toFixed(0)} ms`);
    assert.equal(signal, null, `the server did not exit by itself within 10 s (killed); stderr:\n${stderr}`);
    assert.equal(code, 0, stderr);
    assert.equal(said.at(-1), 'stopped', JSON.stringify(said.slice(-4)));
    // 1001 "going away" with a reason, which a page tells from a lost network; the plugin's own close sent none (1005)
    assert.deepEqual(await Promise.all(feeds.map((f) => f.closed)), ['/api/tail 1001 server stopping', '/api/detect/syn/live 1001 server stopping']);

    const open = /open at stopped: (.*)/.exec(stderr);
    assert.ok(open !== null, `the preload said what was open at 'stopped'; stderr:\n${stderr}`);
    const left = (JSON.parse(open[1]!) as string[]).filter((r) => !STDIO.has(r));
    assert.deepEqual(left, [], `left open after 'stopped' (what keeps the process alive): ${left.join(', ')}`);
  } finally {
    await receiver.close();
    tmp.cleanup();
  }
});

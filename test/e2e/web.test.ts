/**
 * The web UI's server side on a real node: the first admin's password printed once to the log, a
 * login with it, the histogram and facets over stored lines, and a syslog line over TCP reaching a
 * WebSocket live tail opened with the session cookie.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import WebSocket from 'ws';
import { startNode, type RunningNode } from '../../src/node.js';
import { eventually, tempDir, testConfig } from './helpers.js';

const tmp = tempDir('nml-e2e-web-');
let node: RunningNode;
let base: string;
let log = '';
let tcpPort: number;

before(async () => {
  const sink = new Writable({ write(chunk, _e, done) { log += String(chunk); done(); } });
  node = await startNode(testConfig(tmp.dir), pino({ level: 'info' }, sink));
  base = node.httpUrl!;
  tcpPort = (node.sources.find((s) => s.name.startsWith('tcp')) as unknown as { address(): { port: number } }).address().port;
});
after(async () => {
  if (process.env.NML_DEBUG) process.stderr.write(log);
  await node.stop();
  tmp.cleanup();
});

async function loginCookie(username: string, password: string): Promise<{ status: number; cookie: string }> {
  const r = await fetch(base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: r.status, cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]! };
}

/** The first admin's password, from the file the log names. */
function firstPassword(): string {
  const m = /created user 'admin'; its password is in (\S+) /.exec(log);
  assert.ok(m !== null, 'the log names the password file');
  return readFileSync(m[1]!, 'utf8').trim();
}

test('first start: admin with a random password in a file the log names, never in the log; it logs in, a wrong one does not', async () => {
  assert.match(log, /nml user passwd admin/);
  const password = firstPassword();
  assert.ok(password.length >= 16);
  assert.equal(log.includes(password), false, 'the password is not logged');
  assert.equal((await loginCookie('admin', 'wrong-password')).status, 401);
  const { status, cookie } = await loginCookie('admin', password);
  assert.equal(status, 200);
  const me = await fetch(base + '/api/auth/me', { headers: { cookie } });
  assert.deepEqual(await me.json(), { user: { name: 'admin', role: 'admin' } });
  assert.equal((await fetch(base + '/api/health')).status, 200);
  assert.equal((await fetch(base + '/api/live')).status, 401);
  const live = await fetch(base + '/api/live', { headers: { cookie } });
  assert.equal(live.status, 200);
  assert.ok('drops' in ((await live.json()) as object));
});

test('a syslog line over TCP reaches the live tail; then histogram and facets count it', async () => {
  const password = firstPassword();
  const { cookie } = await loginCookie('admin', password);
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/api/tail?q=' + encodeURIComponent('app:sshd'), { headers: { cookie } });
  const lines: string[] = [];
  let ready = false;
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { type: string; events?: { line: string }[] };
    if (m.type === 'ready') ready = true;
    for (const e of m.events ?? []) lines.push(e.line);
  });
  await once(ws, 'open');
  await eventually(async () => ready, 5000, 'tail ready');

  const now = new Date();
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const wanted = `<38>1 ${stamp} web-7 sshd 99 - - Failed password for root from 203.0.113.9 port 22 ssh2`;
  const sock = connect({ host: '127.0.0.1', port: tcpPort });
  await once(sock, 'connect');
  sock.write(`<13>1 ${stamp} web-7 cron 1 - - noise line\n${wanted}\n`);
  sock.end();
  await eventually(async () => lines.length > 0, 10_000, 'line in the tail');
  assert.deepEqual(lines, [wanted]);
  ws.close();

  await eventually(async () => {
    const r = await fetch(base + '/api/histogram?q=app:sshd&from=-1h&to=now', { headers: { cookie } });
    return ((await r.json()) as { total: number }).total === 1;
  }, 10_000, 'histogram total');
  const h = (await (await fetch(base + '/api/histogram?from=-1h&to=now&buckets=60', { headers: { cookie } })).json()) as { interval: number; buckets: { t: number; count: number }[]; total: number };
  assert.equal(h.interval, 60_000);
  assert.equal(h.total, 2);
  const bucket = h.buckets.find((b) => b.count > 0)!;
  assert.ok(bucket.t <= Date.parse(stamp) && Date.parse(stamp) < bucket.t + h.interval);
  const f = (await (await fetch(base + '/api/facets?field=app&from=-1h', { headers: { cookie } })).json()) as { values: { value: string; count: number }[]; sampled: { rows: number; total: number } };
  assert.deepEqual(f.values.map((v) => v.value).sort(), ['cron', 'sshd']);
  assert.deepEqual(f.sampled, { rows: 2, total: 2 });
});

/**
 * The live tail's heartbeat: a client that stops answering pings (gone without closing TCP: a laptop
 * lid shut, a NAT mapping dropped) is closed and its tail client removed. Before session 25 nothing
 * pinged, and such a socket kept its subscription and its share of every tick until the OS gave up
 * on the connection, hours later.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { CLOSE_NO_PONG, HEARTBEAT_DEFAULTS, NO_PONG_REASON, TailHub, tailParser } from '../tail/index.js';
import { AUTH } from '../testing.js';
import { webApp } from '../web-testing.js';

const PING_MS = 20;

async function listen(app: FastifyInstance): Promise<string> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return url.replace(/^http/, 'ws') + '/api/tail';
}

/** Opens a tail and waits for its `ready`. */
async function open(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers: AUTH, ...options });
  await once(ws, 'message');
  return ws;
}

/** Resolves when `cond` holds, polling; rejects naming `what` after `ms` (the bug: never). */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('tail: a client that stops answering pings is closed (1001 WS_PONG_TIMEOUT) and removed; one that answers stays', async () => {
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { log += String(chunk); done(); } }));
  const hub = new TailHub({ parse: tailParser(), intervalMs: 20, pingIntervalMs: PING_MS, maxMissedPongs: 2 });
  const { app, close } = await webApp({ tail: hub, logger });
  try {
    const url = await listen(app);
    const live = await open(url);
    let pings = 0;
    live.on('ping', () => pings++);
    const mute = await open(url, { autoPong: false });
    let muteClosed: { code: number; reason: string } | null = null;
    mute.on('close', (code, reason) => (muteClosed = { code, reason: String(reason) }));
    assert.equal(hub.clientCount, 2);

    await until(() => muteClosed !== null, 2000, 'the client that does not pong is closed');
    assert.deepEqual(muteClosed, { code: CLOSE_NO_PONG, reason: NO_PONG_REASON });
    await until(() => hub.clientCount === 1, 2000, 'its tail client is removed');
    assert.match(log, /websocket closed: no pong to 2 pings 20 ms apart \(WS_PONG_TIMEOUT\)/);

    // the answering client outlives many intervals
    await until(() => pings >= 8, 2000, 'the live client is pinged');
    assert.equal(live.readyState, WebSocket.OPEN);
    assert.equal(hub.clientCount, 1);
    live.close();
    await until(() => hub.clientCount === 0, 2000, 'a closed client is removed');
  } finally {
    await close();
  }
});

test('tail: a client whose connection went silent (socket paused: TCP alive, nothing read) is dropped by the server', async () => {
  const hub = new TailHub({ parse: tailParser(), intervalMs: 20, pingIntervalMs: PING_MS, maxMissedPongs: 2 });
  const { app, close } = await webApp({ tail: hub });
  try {
    const ws = await open(await listen(app));
    // what a shut laptop looks like from the server: the kernel still acknowledges, nobody answers
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    assert.equal(hub.clientCount, 1);
    await until(() => hub.clientCount === 0, 2000, 'the silent client is removed');
    ws.terminate();
  } finally {
    await close();
  }
});

test('tail heartbeat: the defaults, 30 s pings and 2 missed, drop a vanished client within 90 s', () => {
  assert.deepEqual({ ...HEARTBEAT_DEFAULTS }, { intervalMs: 30_000, maxMissed: 2 });
  assert.deepEqual(new TailHub({ parse: tailParser() }).heartbeat, { intervalMs: 30_000, maxMissed: 2 });
});

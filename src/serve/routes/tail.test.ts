import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { SyslogTcpSource } from '../../collect/index.js';
import type { RawRecord } from '../../core/index.js';
import type { TailServerMessage } from '../api.js';
import { TailHub, TailSink, tailParser, type TailSocket } from '../tail/index.js';
import { AUTH } from '../testing.js';
import { login, webApp } from '../web-testing.js';
import { TAIL_BEAT_MS, TAIL_MAX_PER_USER } from './tail.js';

type Events = Extract<TailServerMessage, { type: 'events' }>;

/** A WebSocket client that collects messages and can wait for one that satisfies a predicate. */
class Client {
  readonly messages: TailServerMessage[] = [];
  private waiters: { pred: (m: TailServerMessage) => boolean; resolve: (m: TailServerMessage) => void }[] = [];
  closed: { code: number; reason: string } | null = null;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as TailServerMessage;
      this.messages.push(m);
      for (const w of this.waiters.splice(0)) {
        if (w.pred(m)) w.resolve(m);
        else this.waiters.push(w);
      }
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: String(reason) }));
  }
  static async open(url: string, headers: Record<string, string>): Promise<Client> {
    const ws = new WebSocket(url, { headers });
    const c = new Client(ws);
    await once(ws, 'open');
    await c.next((m) => m.type === 'ready');
    return c;
  }
  next(pred: (m: TailServerMessage) => boolean): Promise<TailServerMessage> {
    const found = this.messages.find(pred);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
  lines(): string[] {
    return this.messages.flatMap((m) => (m.type === 'events' ? m.events.map((e) => e.line) : []));
  }
  close(): void {
    this.ws.close();
  }
}

async function listen(app: FastifyInstance): Promise<string> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return url.replace(/^http/, 'ws') + '/api/tail';
}

function tailSetup(opts: ConstructorParameters<typeof TailHub>[0] = { parse: tailParser() }) {
  const hub = new TailHub({ intervalMs: 20, ...opts });
  return hub;
}

test('tail: a line sent over syslog TCP reaches a WebSocket client; a filtered client does not see other lines', async () => {
  const hub = tailSetup();
  const { app, deps, close } = await webApp({ tail: hub });
  const source = new SyslogTcpSource({ host: '127.0.0.1', port: 0, batch: { maxRecords: 100, lingerMs: 5 } });
  try {
    const url = await listen(app);
    await source.start(new TailSink(deps.ingest, hub));
    const port = (source as unknown as { address(): { port: number } }).address().port;
    const cookie = await login(app);
    const all = await Client.open(url, { cookie });
    const sshd = await Client.open(`${url}?q=${encodeURIComponent('app:sshd 203.0.113.0/24')}`, AUTH);

    const sock = connect({ host: '127.0.0.1', port });
    await once(sock, 'connect');
    const wanted = '<38>Nov 28 10:00:01 gw-01 sshd[42]: Failed password for root from 203.0.113.77 port 4242 ssh2';
    sock.write('<13>Nov 28 10:00:00 gw-01 cron[1]: job ran from 203.0.113.77\n');
    sock.write(wanted + '\n');
    sock.write('<38>Nov 28 10:00:02 gw-02 sshd[43]: Accepted password for bob from 198.51.100.1 port 22 ssh2\n');
    sock.end();

    await all.next(() => all.lines().length >= 3);
    assert.deepEqual(all.lines().length, 3);
    // every round sends each client its counts, so once all three lines were received the filter has seen them
    const received = (c: Client): number => c.messages.reduce((a, m) => a + (m.type === 'events' ? m.received : 0), 0);
    await sshd.next(() => received(sshd) >= 3);
    assert.deepEqual(sshd.lines(), [wanted]);
    const ev = sshd.messages.find((m): m is Events => m.type === 'events')!;
    assert.equal(ev.events[0]!.time, new Date(`${new Date().getUTCFullYear()}-11-28T10:00:01Z`).getTime(), 'event time from the header');
    assert.match(ev.events[0]!.source, /^tcp:127\.0\.0\.1:/);
    const sums = sshd.messages.filter((m): m is Events => m.type === 'events').reduce((a, m) => ({ seen: a.seen + m.seen, received: a.received + m.received }), { seen: 0, received: 0 });
    assert.deepEqual(sums, { seen: 1, received: 3 });
    all.close();
    sshd.close();
  } finally {
    await source.stop();
    await close();
  }
});

test('tail: the query can be changed; a bad query is an error message and a close', async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub });
  try {
    const url = await listen(app);
    const c = await Client.open(url, AUTH);
    c.ws.send(JSON.stringify({ type: 'query', q: 'beta' }));
    await c.next((m) => m.type === 'ready' && m.q === 'beta');
    hub.offer([rec('alpha one'), rec('beta two')]);
    await c.next(() => c.lines().length > 0);
    assert.deepEqual(c.lines(), ['beta two']);
    c.ws.send(JSON.stringify({ type: 'query', q: '(unbalanced' }));
    const err = await c.next((m) => m.type === 'error');
    assert.equal(err.type === 'error' && err.error.code, 'QUERY_SYNTAX');
    await once(c.ws, 'close');
    assert.equal(c.closed?.code, 1008);

    const bad = new Client(new WebSocket(`${url}?q=${encodeURIComponent('host:')}`, { headers: AUTH }));
    const e2 = await bad.next((m) => m.type === 'error');
    assert.equal(e2.type === 'error' && e2.error.code.startsWith('QUERY_'), true);
    const junk = await Client.open(url, AUTH);
    junk.ws.send('not json');
    assert.equal(((await junk.next((m) => m.type === 'error')) as { error: { code: string } }).error.code, 'WS_BAD_MESSAGE');
  } finally {
    await close();
  }
});

test('tail: a client connected when the server stops is closed as going away (1001, server stopping), not with no status (1005)', async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub });
  let closed = false;
  try {
    const url = await listen(app);
    const c = await Client.open(url, AUTH);
    const gone = once(c.ws, 'close');
    await close();
    closed = true;
    await gone;
    assert.deepEqual(c.closed, { code: 1001, reason: 'server stopping' });
    assert.equal(hub.clientCount, 0);
  } finally {
    if (!closed) await close();
  }
});

test('tail: needs a session or a token', async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub });
  try {
    const url = await listen(app);
    const ws = new WebSocket(url);
    const [err] = (await once(ws, 'error')) as [Error];
    assert.match(err.message, /401/);
    assert.equal(hub.clientCount, 0);
  } finally {
    await close();
  }
});

test("tail: a session's handshake from a page of another origin (another port of the same host) is refused; its own origin and Bearer clients are not", async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub });
  try {
    const url = await listen(app);
    const cookie = await login(app);
    const own = new URL(url.replace(/^ws/, 'http')).origin;
    const other = new WebSocket(url, { headers: { cookie }, origin: 'http://127.0.0.1:1' });
    const [err] = (await once(other, 'error')) as [Error];
    assert.match(err.message, /400/);
    assert.equal(hub.clientCount, 0);
    const mine = new Client(new WebSocket(url, { headers: { cookie }, origin: own }));
    await once(mine.ws, 'open');
    await mine.next((m) => m.type === 'ready');
    const bearer = new Client(new WebSocket(url, { headers: AUTH, origin: 'http://127.0.0.1:1' }));
    await once(bearer.ws, 'open');
    mine.close();
    bearer.close();
    const sandboxed = new WebSocket(url, { headers: { cookie }, origin: 'null' });
    assert.match(((await once(sandboxed, 'error')) as [Error])[0].message, /400/, 'a sandboxed page or a file sends Origin: null');
    const forged = new WebSocket(url, { headers: { cookie, 'x-forwarded-host': 'nml.example.org' }, origin: 'https://nml.example.org' });
    assert.match(((await once(forged, 'error')) as [Error])[0].message, /400/, 'X-Forwarded-Host counts only from a proxy named in http.trustProxy');
    assert.equal(hub.clientCount, 0);
  } finally {
    await close();
  }
});

test("tail: behind a reverse proxy named in http.trustProxy, the page at the proxy's X-Forwarded-Host is the UI's own origin", async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub, web: { webRoot: null, trustProxy: ['127.0.0.1', '::1'] } });
  try {
    const url = await listen(app);
    const cookie = await login(app);
    const proxied = new Client(new WebSocket(url, { headers: { cookie, 'x-forwarded-host': 'nml.example.org' }, origin: 'https://nml.example.org' }));
    await once(proxied.ws, 'open');
    proxied.close();
    const elsewhere = new WebSocket(url, { headers: { cookie, 'x-forwarded-host': 'nml.example.org' }, origin: 'https://evil.example.net' });
    assert.match(((await once(elsewhere, 'error')) as [Error])[0].message, /400/);
  } finally {
    await close();
  }
});

test("tail: with http.publicUrl behind a proxy that rewrites Host (no X-Forwarded-Host), the page at publicUrl's origin is the UI's own; another scheme or host is not", async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub, web: { webRoot: null, publicUrl: 'https://nml.example.org/' } });
  try {
    const url = await listen(app);
    const cookie = await login(app);
    const proxied = new Client(new WebSocket(url, { headers: { cookie }, origin: 'https://nml.example.org' }));
    await once(proxied.ws, 'open');
    await proxied.next((m) => m.type === 'ready');
    proxied.close();
    for (const origin of ['http://nml.example.org', 'https://nml.example.org:8443', 'https://evil.example.net']) {
      const other = new WebSocket(url, { headers: { cookie }, origin });
      assert.match(((await once(other, 'error')) as [Error])[0].message, /400/, origin);
    }
  } finally {
    await close();
  }
});

test("tail: a client's message over the 64 KiB limit closes its socket (1009) and is logged as the client's doing, not a server error", async () => {
  let out = '';
  const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } }));
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub, logger });
  try {
    const c = await Client.open(await listen(app), AUTH);
    c.ws.send('x'.repeat(70 * 1024));
    const [code] = (await once(c.ws, 'close')) as [number];
    assert.equal(code, 1009, 'message too big');
    for (let i = 0; i < 100 && !out.includes('websocket closed'); i++) await new Promise((r) => setTimeout(r, 5));
    assert.match(out, /"code":"WS_ERR_UNSUPPORTED_MESSAGE_LENGTH".*"websocket closed: client error"/);
    assert.doesNotMatch(out, /"level":50/);
  } finally {
    await close();
  }
});

function rec(line: string, i = 0): RawRecord {
  return { line, receivedAt: 1_700_000_000_000 + i, source: 'test' };
}

test('tail hub: batches of at most 500, newest last, seen/sent/received/examined explicit under a flood', () => {
  const sent: string[] = [];
  const hub = new TailHub({ parse: tailParser(), examinePerTick: 1000, maxPendingLines: 5000 });
  const socket = { bufferedAmount: 0, send: (d: string) => void sent.push(d), close: () => undefined };
  const everything = hub.add(socket, '');
  const filtered = hub.add({ ...socket }, 'even');
  for (let b = 0; b < 10; b++) hub.offer(Array.from({ length: 1000 }, (_, i) => rec(`line ${b * 1000 + i} ${(b * 1000 + i) % 2 === 0 ? 'even' : 'odd'}`, b * 1000 + i)));
  hub.tick();
  const msgs = sent.map((s) => JSON.parse(s) as TailServerMessage).filter((m): m is Events => m.type === 'events');
  assert.equal(msgs.length, 2);
  const [all, even] = msgs as [Events, Events];
  // 10,000 offered, 5,000 kept waiting (the oldest batches dropped), all counted as received
  assert.equal(all.received, 10_000);
  assert.equal(all.seen, 10_000, 'the empty query matches every line without examining any');
  assert.equal(all.sent, 500);
  assert.equal(all.events.length, 500);
  assert.equal(all.events[499]!.line, 'line 9999 odd', 'newest last');
  assert.equal(all.events[0]!.line, 'line 9500 even');
  assert.equal(even.received, 10_000);
  assert.equal(even.examined, 1000, 'only the newest 1,000 were checked');
  assert.equal(even.seen, 500);
  assert.equal(even.sent, 500);
  assert.ok(even.events.every((e) => e.line.endsWith(' even')));
  assert.equal(hub.counters.droppedPending, 5000);
  hub.remove(everything);
  hub.remove(filtered);
  assert.equal(hub.active, false);
  hub.offer([rec('nobody watching')]);
  assert.equal(hub.counters.offered, 10_000, 'nothing is taken while no client is connected');
});

test('tail: a client that does not read is skipped, ingest is never held up, and memory stays bounded', async () => {
  const hub = tailSetup({ parse: tailParser(), maxBufferedBytes: 64 * 1024, maxPendingLines: 20_000 });
  const { app, deps, close } = await webApp({ tail: hub });
  try {
    const url = await listen(app);
    const slow = await Client.open(url, AUTH);
    // stop reading: the server's socket buffer fills
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const sink = new TailSink(deps.ingest, hub);
    const long = 'x'.repeat(400);
    let committed = 0;
    for (let round = 0; round < 40; round++) {
      const batch = Array.from({ length: 5000 }, (_, i) => rec(`<13>host app: round ${round} line ${i} ${long}`, round * 5000 + i));
      await sink.write(batch);
      committed += batch.length;
      await new Promise((r) => setTimeout(r, 25)); // let the hub tick
    }
    assert.equal(committed, 200_000);
    assert.equal(deps.ingest.records.length, 200_000, 'every write resolved: the tail never waits on a client');
    assert.ok(hub.counters.skippedSends > 0, 'sends to the stalled client were skipped');
    const client = [...(hub as unknown as { clients: Set<{ socket: { bufferedAmount: number } }> }).clients][0]!;
    assert.ok(client.socket.bufferedAmount < 64 * 1024 + 2 * 500 * 600, `buffered ${client.socket.bufferedAmount} bytes: at most one message past the limit`);
    slow.ws.terminate();
  } finally {
    await close();
  }
});

test('tail hub: a round over its time budget examines fewer lines next time', () => {
  const slowParse = (r: RawRecord): { time: number; host: string | null; terms: string } => {
    const until = performance.now() + 0.2;
    while (performance.now() < until);
    return { time: r.receivedAt, host: null, terms: '' };
  };
  const hub = new TailHub({ parse: slowParse, examinePerTick: 1000, tickBudgetMs: 5 });
  hub.add({ bufferedAmount: 0, send: () => undefined, close: () => undefined }, 'host:web');
  assert.equal(hub.examinePerTick, 1000);
  hub.offer(Array.from({ length: 1000 }, (_, i) => rec(`line ${i}`, i)));
  hub.tick(); // 1,000 lines × 0.2 ms: far over 5 ms
  assert.ok(hub.examinePerTick < 1000 && hub.examinePerTick >= 100, `now ${hub.examinePerTick}`);
  hub.close();
});

/** The status and JSON body of a refused handshake. */
async function refusedHandshake(url: string, headers: Record<string, string>): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const ws = new WebSocket(url, { headers });
  ws.on('error', () => {}); // the handshake's failure is what this reads
  const upgraded = once(ws, 'open').then(() => {
    ws.terminate();
    throw new Error(`${url} was upgraded`);
  });
  const [, res] = (await Promise.race([once(ws, 'unexpected-response'), upgraded])) as [unknown, import('node:http').IncomingMessage];
  let text = '';
  for await (const chunk of res) text += String(chunk);
  ws.terminate();
  return { status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: { code: string; message: string } } };
}

test('tail: a handshake to a route that takes no WebSocket is a 400 naming the feeds (it was upgraded and closed at once); an unknown path stays a 404', async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub });
  try {
    const url = await listen(app);
    const base = url.replace(/\/api\/tail$/, '');
    const stats = await refusedHandshake(`${base}/api/stats`, AUTH);
    assert.equal(stats.status, 400);
    assert.equal(stats.body.error?.code, 'WS_NOT_ACCEPTED');
    assert.match(stats.body.error!.message, /\/api\/stats takes no WebSocket.*\/api\/tail/);
    const open = await refusedHandshake(`${base}/health`, {});
    assert.equal(open.body.error?.code, 'WS_NOT_ACCEPTED', 'an open route too');
    assert.doesNotMatch(open.body.error!.message, /\/api\//, 'without credentials the feeds are not named');
    // a plain GET to a feed is told what it is, and the feeds are in the API description
    const plain = await app.inject({ method: 'GET', url: '/api/tail', headers: AUTH });
    assert.equal(plain.statusCode, 400);
    assert.equal(plain.json().error.code, 'WS_UPGRADE_REQUIRED');
    assert.equal((await app.inject({ method: 'GET', url: '/api/tail' })).statusCode, 401);
    const docs = (await app.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json() as { paths: Record<string, unknown> };
    assert.ok('/api/tail' in docs.paths, Object.keys(docs.paths).join(' '));
    assert.equal((await refusedHandshake(`${base}/api/no-such-feed`, AUTH)).status, 404);
    assert.equal((await refusedHandshake(`${base}/api/no-such-feed`, {})).status, 401, 'probing unknown /api/ paths still needs credentials');
    assert.equal((await refusedHandshake(`${base}/api/stats`, {})).status, 401, 'and so does learning which /api/ routes take none');
    const ok = await Client.open(url, AUTH);
    ok.close();
  } finally {
    await close();
  }
});

test('tail: an open feed closes (1008 AUTH_REQUIRED) once its session ends or its token is revoked; it outlived both', async () => {
  const hub = tailSetup();
  let tokenOk = true;
  const tokens = { verify: (t: string) => tokenOk && t === AUTH.authorization.slice('Bearer '.length) };
  const { app, users, close } = await webApp({ tail: hub, tokens, wsRecheckMs: 30 });
  try {
    const url = await listen(app);
    const cookie = await login(app);
    const bySession = await Client.open(url, { cookie });
    const byToken = await Client.open(url, AUTH);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(bySession.closed, null, 'nothing closes while the credentials hold');
    assert.equal(byToken.closed, null);
    users.remove('alice');
    await once(bySession.ws, 'close');
    assert.deepEqual(bySession.closed, { code: 1008, reason: 'AUTH_REQUIRED' });
    assert.equal(byToken.closed, null, 'the token feed is not touched by a user change');
    tokenOk = false;
    await once(byToken.ws, 'close');
    assert.deepEqual(byToken.closed, { code: 1008, reason: 'AUTH_REQUIRED' });
    for (let i = 0; i < 100 && hub.clientCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(hub.clientCount, 0, 'the hub let both go');
  } finally {
    await close();
  }
});

test('tail: more than 10 query changes a second is an error (WS_TOO_MANY_QUERIES) and a close (1008); what follows is not read', async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub });
  try {
    const url = await listen(app);
    const c = await Client.open(url, AUTH);
    for (let i = 0; i < 50; i++) c.ws.send(JSON.stringify({ type: 'query', q: `q${i}` }));
    const err = await c.next((m) => m.type === 'error');
    assert.equal(err.type === 'error' && err.error.code, 'WS_TOO_MANY_QUERIES');
    await once(c.ws, 'close');
    assert.deepEqual(c.closed, { code: 1008, reason: 'WS_TOO_MANY_QUERIES' });
    assert.equal(c.messages.filter((m) => m.type === 'ready').length, 1 + 10, 'the first ready and ten changes');
    assert.equal(c.messages.filter((m) => m.type === 'error').length, 1);
    assert.equal(hub.clientCount, 0);
  } finally {
    await close();
  }
});

test('tail: a client that sends filter changes and never reads is closed (1013 WS_CLIENT_TOO_SLOW) once its unread bytes pass the limit', async () => {
  const hub = tailSetup({ parse: tailParser(), maxBufferedBytes: 64 * 1024 });
  // the server socket's unread bytes as the kernel would report them for a client that stopped reading
  // (reaching them for real takes tens of MB through loopback buffers; /tmp/review-tail/ready-flood.mts does that)
  let unread: number | null = null;
  const add = hub.add.bind(hub);
  hub.add = (socket: TailSocket, q: string) =>
    add(
      {
        send: (d: string) => socket.send(d),
        close: (code?: number, reason?: string) => socket.close(code, reason),
        get bufferedAmount() {
          return unread ?? socket.bufferedAmount;
        },
      },
      q,
    );
  const { app, close } = await webApp({ tail: hub });
  try {
    const url = await listen(app);
    const c = await Client.open(url, AUTH);
    c.ws.send(JSON.stringify({ type: 'query', q: 'one' }));
    await c.next((m) => m.type === 'ready' && m.q === 'one');
    unread = 64 * 1024 + 1;
    c.ws.send(JSON.stringify({ type: 'query', q: 'two' }));
    const err = await c.next((m) => m.type === 'error');
    assert.equal(err.type === 'error' && err.error.code, 'WS_CLIENT_TOO_SLOW');
    await once(c.ws, 'close');
    assert.deepEqual(c.closed, { code: 1013, reason: 'WS_CLIENT_TOO_SLOW' });
    assert.equal(c.messages.some((m) => m.type === 'ready' && m.q === 'two'), false);
    assert.equal(hub.clientCount, 0);
    assert.equal(hub.counters.closedTooSlow, 1);
  } finally {
    await close();
  }
});

test(`tail: one user holds at most ${TAIL_MAX_PER_USER} live tails (WS_TOO_MANY_CLIENTS, 1013); another still gets one, and a closed one frees its place`, async () => {
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub });
  const mine: Client[] = [];
  try {
    const url = await listen(app);
    for (let i = 0; i < TAIL_MAX_PER_USER; i++) mine.push(await Client.open(url, AUTH));
    const extra = new Client(new WebSocket(url, { headers: AUTH }));
    const err = await extra.next((m) => m.type === 'error');
    assert.deepEqual(err, { type: 'error', error: { code: 'WS_TOO_MANY_CLIENTS', message: `tail: api-token has ${TAIL_MAX_PER_USER} live tails open already; close one and retry` } });
    await once(extra.ws, 'close');
    assert.deepEqual(extra.closed, { code: 1013, reason: 'WS_TOO_MANY_CLIENTS' });
    // a session of another user is not held to the token's share
    const cookie = await login(app);
    const other = await Client.open(url, { cookie, origin: url.replace(/^ws/, 'http').replace(/\/api\/tail$/, '') });
    other.close();
    mine.pop()!.close();
    await new Promise((r) => setTimeout(r, 100));
    mine.push(await Client.open(url, AUTH));
    assert.equal(hub.clientCount, TAIL_MAX_PER_USER);
  } finally {
    for (const c of mine) c.close();
    await close();
  }
});

test('tail: a heartbeat every interval while no line comes (10 s by default), so a page can tell a quiet filter from a dead connection', async () => {
  assert.equal(TAIL_BEAT_MS, 10_000);
  const hub = tailSetup();
  const { app, close } = await webApp({ tail: hub, tailBeatMs: 40 });
  try {
    const url = await listen(app);
    const c = await Client.open(url, AUTH);
    const opened = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    const beats = c.messages.filter((m) => m.type === 'heartbeat');
    assert.ok(beats.length >= 3, `a heartbeat every 40 ms for 300 ms: ${beats.length}`);
    for (const b of beats) {
      assert.deepEqual(Object.keys(b).sort(), ['at', 'intervalMs', 'type']);
      assert.ok(b.type === 'heartbeat' && b.intervalMs === 40 && b.at >= opened - 1000 && b.at <= Date.now());
    }
    c.close();
  } finally {
    await close();
  }
});

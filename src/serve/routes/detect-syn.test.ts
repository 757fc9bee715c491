/** SYN board routes: the host list, one host with its image, 404 for an unknown host, auth, and the live WebSocket. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { SynLiveBoard, generateSyntheticSyns } from '../../detect/index.js';
import { tinyModel } from '../../detect/syn/testing.js';
import type { SynHostResponse, SynHostsResponse, SynLiveMessage } from '../api.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';
import { SlowClientGate, SYN_LIVE_BEAT_MS, SYN_LIVE_MAX_BUFFERED, SYN_LIVE_MAX_CLIENTS } from './detect-syn.js';

type HostsMessage = Extract<SynLiveMessage, { type: 'hosts' }>;

const hosts = generateSyntheticSyns(3, 1).filter((h) => ['zmap', 'benign-browsing', 'nmap-sT'].includes(h.tool));

/** The live feed of a listening app (its ws:// URL): its `hosts` messages as they come, and `until(n)` to wait for the nth. */
async function liveHosts(app: Awaited<ReturnType<typeof buildApp>>): Promise<{ url: string; ws: WebSocket; msgs: HostsMessage[]; until: (n: number) => Promise<void> }> {
  const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws') + '/api/detect/syn/live';
  const ws = new WebSocket(url, { headers: AUTH });
  const msgs: HostsMessage[] = [];
  let wake: () => void = () => {};
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as SynLiveMessage;
    if (m.type === 'hosts') msgs.push(m);
    wake();
  });
  await once(ws, 'open');
  const until = async (n: number): Promise<void> => {
    while (msgs.length < n) await new Promise<void>((r) => (wake = r));
  };
  return { url, ws, msgs, until };
}

/** A capture time, a host's first n SYNs sent from another address from time t on, and a ZMap host: for the idle-finding tests. */
function idleFixture() {
  const as = (h: (typeof hosts)[number], ip: string, n: number, t: number) => h.syns.slice(0, n).map((s, i) => ({ ...s, src: ip, t: t + i * 1000 }));
  return { t0: 1_700_000_000e6, as, zmap: hosts.find((h) => h.tool === 'zmap')! };
}

async function setup(overrides: Parameters<typeof fakeDeps>[0] = {}) {
  const board = new SynLiveBoard({ model: tinyModel(), intervalMs: 20, idleMs: 1e12 });
  for (const h of hosts) board.add(h.syns.slice(0, 40));
  board.flush();
  const app = await buildApp(fakeDeps({ synBoard: board, ...overrides }));
  return { app, board };
}

test('GET /api/detect/syn/hosts lists hosts sorted; /hosts/:ip has the image; unknown is 404; auth needed', async () => {
  const { app } = await setup();
  try {
    const r = await app.inject({ url: '/api/detect/syn/hosts?sort=packets&order=desc&limit=2', headers: AUTH });
    assert.equal(r.statusCode, 200);
    const body = r.json<SynHostsResponse>();
    assert.equal(body.hosts.length, 2);
    assert.deepEqual(body.stats, { threshold: tinyModel().file.threshold, packets: hosts.reduce((n, h) => n + Math.min(40, h.syns.length), 0), tracked: hosts.length, maxHosts: 20_000, evicted: 0, evictedUnscored: 0, backlog: 0, ignoredPackets: 0, aheadPackets: 0, source: null, kept: 0, maxKept: 2000, keepMs: 86_400_000, captureNow: Math.floor(Math.max(...hosts.flatMap((h) => h.syns.slice(0, 40).map((s) => s.t))) / 1000) });
    assert.ok(body.hosts[0]!.packets >= body.hosts[1]!.packets);
    for (const h of body.hosts) assert.ok(h.score >= 0 && h.score <= 1 && h.explanation.summary.length > 0);
    const one = await app.inject({ url: `/api/detect/syn/hosts/${body.hosts[0]!.ip}`, headers: AUTH });
    assert.equal(one.statusCode, 200);
    const img = one.json<SynHostResponse>();
    assert.equal(img.image.pixels.length, img.image.rows * img.image.cols);
    // column groups cover every column once, in order (the 16 port bits are one group)
    assert.equal(img.image.colGroups[0]!.from, 0);
    assert.equal(img.image.colGroups.at(-1)!.to, img.image.cols - 1);
    img.image.colGroups.slice(1).forEach((g, i) => assert.equal(g.from, img.image.colGroups[i]!.to + 1));
    assert.ok(img.image.colGroups.some((g) => g.name === 'dport bits' && g.to - g.from === 15));
    const missing = await app.inject({ url: '/api/detect/syn/hosts/192.0.2.200', headers: AUTH });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<{ error: { code: string } }>().error.code, 'SYN_HOST_NOT_FOUND');
    const busy = (await app.inject({ url: '/api/detect/syn/hosts?minPackets=40&limit=5000', headers: AUTH })).json<SynHostsResponse>();
    assert.deepEqual(busy.hosts.map((h) => h.ip).sort(), hosts.filter((h) => h.syns.length >= 40).map((h) => h.ip).sort(), 'only hosts with at least 40 SYNs');
    assert.ok(busy.hosts.length < hosts.length, 'the fixture has hosts with fewer');
    assert.equal((await app.inject({ url: '/api/detect/syn/hosts?minPackets=0', headers: AUTH })).statusCode, 400);
    assert.equal((await app.inject({ url: '/api/detect/syn/hosts' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/detect/syn/hosts?sort=bogus', headers: AUTH })).statusCode, 400);
  } finally {
    await app.close();
  }
});

test('GET /api/detect/syn/hosts?sort=distinctPorts lists the widest scanners first, so the Hosts page sorted by Ports is the top of every host, not of the 200 highest scores', async () => {
  const { app } = await setup();
  try {
    const r = await app.inject({ url: '/api/detect/syn/hosts?sort=distinctPorts&order=desc&limit=1', headers: AUTH });
    assert.equal(r.statusCode, 200, r.body);
    const all = (await app.inject({ url: '/api/detect/syn/hosts?limit=100', headers: AUTH })).json<SynHostsResponse>().hosts;
    assert.equal(r.json<SynHostsResponse>().hosts[0]!.distinctPorts, Math.max(...all.map((h) => h.distinctPorts)));
    const asc = (await app.inject({ url: '/api/detect/syn/hosts?sort=distinctPorts&order=asc', headers: AUTH })).json<SynHostsResponse>().hosts.map((h) => h.distinctPorts);
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  } finally {
    await app.close();
  }
});

test('/hosts/:ip finds a host however its IPv6 address is spelled (case, leading zeros, expanded, mapped IPv4 in hex); not an address is a 400', async () => {
  const base = hosts[0]!.syns[0]!;
  const board = new SynLiveBoard({ model: tinyModel(), idleMs: 1e12, ignore: ['2001:db8:5::/48'] });
  // the capture reader's texts, as the board keys its hosts
  board.add([{ ...base, v: 6, src: '2001:db8::a:1' }, { ...base, v: 6, src: '::ffff:1.2.3.4' }]);
  board.flush();
  const app = await buildApp(fakeDeps({ synBoard: board }));
  try {
    const get = (ip: string) => app.inject({ url: `/api/detect/syn/hosts/${encodeURIComponent(ip)}`, headers: AUTH });
    for (const [spelled, ip] of [
      ['2001:DB8::A:1', '2001:db8::a:1'],
      ['2001:0db8:0000:0000:0000:0000:000a:0001', '2001:db8::a:1'],
      ['2001:db8:0:0:0:0:a:1', '2001:db8::a:1'],
      ['::FFFF:1.2.3.4', '::ffff:1.2.3.4'],
      ['::ffff:102:304', '::ffff:1.2.3.4'],
      ['0:0:0:0:0:ffff:0102:0304', '::ffff:1.2.3.4'],
    ] as const) {
      const r = await get(spelled);
      assert.equal(r.statusCode, 200, spelled);
      assert.equal(r.json<SynHostResponse>().host.ip, ip, spelled);
    }
    const missing = await get('2001:DB8::B');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json<{ error: { message: string } }>().error.message, /no host 2001:db8::b /, 'the message names the address as the board writes it');
    assert.match((await get('2001:DB8:5::7')).json<{ error: { message: string } }>().error.message, /2001:db8:5::7 is on syn\.ignore/);
    for (const bad of ['not-an-ip', '1.2.3', '999.1.1.1', '2001:db8::g']) {
      const r = await get(bad);
      assert.equal(r.statusCode, 400, bad);
      const { error } = r.json<{ error: { code: string; message: string; details: { param: string } } }>();
      assert.equal(error.code, 'HTTP_BAD_REQUEST');
      assert.equal(error.details.param, 'ip');
      assert.match(error.message, /is not an IP address/);
    }
  } finally {
    await app.close();
  }
});

test('GET /api/detect/syn/hosts?match= lists only the hosts whose address contains the text, any case (IPv4 and IPv6)', async () => {
  const base = hosts[0]!.syns[0]!;
  const board = new SynLiveBoard({ model: tinyModel(), idleMs: 1e12 });
  const ips = ['203.179.48.207', '10.203.179.1', '203.18.0.1', '2001:db8:5::a658:2f47', '2001:db8:6::1'];
  board.add(ips.map((src, i) => ({ ...base, src, v: src.includes(':') ? 6 : 4, t: base.t + i })));
  board.flush();
  const app = await buildApp(fakeDeps({ synBoard: board }));
  try {
    const listed = async (match: string) =>
      (await app.inject({ url: `/api/detect/syn/hosts?sort=ip&order=asc&match=${encodeURIComponent(match)}`, headers: AUTH })).json<SynHostsResponse>().hosts.map((h) => h.ip);
    assert.deepEqual(await listed('203.179'), ['10.203.179.1', '203.179.48.207']);
    assert.deepEqual(await listed('2001:DB8:5::'), ['2001:db8:5::a658:2f47']);
    assert.deepEqual(await listed('zzz'), []);
    assert.equal((await listed('')).length, ips.length, 'empty: every host');
    assert.equal((await app.inject({ url: `/api/detect/syn/hosts?match=${'1'.repeat(65)}`, headers: AUTH })).statusCode, 400);
  } finally {
    await app.close();
  }
});

test('an ignored source is a 404 that says it is on syn.ignore', async () => {
  const board = new SynLiveBoard({ model: tinyModel(), idleMs: 1e12, ignore: ['198.51.100.0/24'] });
  const app = await buildApp(fakeDeps({ synBoard: board }));
  try {
    const r = await app.inject({ url: '/api/detect/syn/hosts/198.51.100.7', headers: AUTH });
    assert.equal(r.statusCode, 404);
    assert.match(r.json<{ error: { message: string } }>().error.message, /198\.51\.100\.7 is on syn\.ignore/);
  } finally {
    await app.close();
  }
});

test('a host that is a finding stays listed after it went idle (marked idle) and /hosts/:ip serves it (its summary says so); an idle host that is none is unlisted and a 404 that says how long hosts stay', async () => {
  const { t0, as, zmap } = idleFixture();
  // one host a minute reported one by one: the second is summed into its port's wave, no finding of its own
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, findingsPerMinute: 1, sink: { record: () => {} } });
  board.add(as(zmap, '192.0.2.10', 40, t0));
  board.add(as(zmap, '192.0.2.11', 40, t0 + 50e3));
  board.flush();
  // eleven minutes of capture time later (four SYNs: one alone so far ahead would be taken for a stray record)
  board.add(as(zmap, '198.51.100.1', 4, t0 + 11 * 60e6));
  board.flush();
  const app = await buildApp(fakeDeps({ synBoard: board }));
  try {
    const get = (ip: string) => app.inject({ url: `/api/detect/syn/hosts/${ip}`, headers: AUTH });
    const list = (await app.inject({ url: '/api/detect/syn/hosts?sort=ip&order=asc', headers: AUTH })).json<SynHostsResponse>();
    // the README: a host that is a finding "stays viewable on the Hosts page after it goes quiet"
    assert.deepEqual(list.hosts.map((h) => [h.ip, h.idle]), [['192.0.2.10', true], ['198.51.100.1', false]], 'the finding stays listed, marked idle; the other idle host is gone');
    assert.equal(list.hosts[0]!.lastSeen, Math.floor((t0 + 39_000) / 1000), 'with its last SYN\'s time');
    assert.deepEqual([list.stats.tracked, list.stats.kept], [1, 1]);
    const kept = await get('192.0.2.10');
    assert.equal(kept.statusCode, 200, 'the board link of its finding still shows it');
    const body = kept.json<SynHostResponse>();
    assert.equal(body.host.packets, 40);
    assert.equal(body.image.pixels.length, body.image.rows * body.image.cols);
    assert.equal(body.host.idle, true);
    // since when (its last SYN, at t0 + 39 ms), not "for 11 min": the board's clock rounded beside the page's floored, a minute apart
    assert.match(body.host.explanation.summary, /; idle \(no SYN since 2023-11-14 22:13:20 UTC, capture time\): off the live board, listed because it is a finding, for 24 h after its last SYN$/);
    const gone = await get('192.0.2.11');
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json<{ error: { message: string } }>().error.message, 'syn board: no host 192.0.2.11 (never seen, or dropped: a host leaves after 10 min of capture time without a SYN; one that is a finding of its own is kept 24 h after its last SYN, at most 2000 of them); for an older finding, search the logs for 192.0.2.11');
  } finally {
    await app.close();
  }
});

test('routes are absent without a board', async () => {
  const app = await buildApp(fakeDeps());
  try {
    assert.equal((await app.inject({ url: '/api/detect/syn/hosts', headers: AUTH })).statusCode, 404);
  } finally {
    await app.close();
  }
});

test('WS /api/detect/syn/live sends the current hosts, then changes', async () => {
  const { app, board } = await setup();
  try {
    const { url, ws, msgs, until } = await liveHosts(app);
    await until(1);
    assert.equal(msgs[0]!.type, 'hosts');
    assert.equal(msgs[0]!.hosts.length, hosts.length);
    board.add(hosts[0]!.syns.slice(40, 45));
    board.flush();
    await until(2);
    assert.deepEqual(msgs[1]!.hosts.map((h) => h.ip), [hosts[0]!.ip]);
    assert.equal(msgs[1]!.hosts[0]!.packets, 45);
    assert.equal(msgs[1]!.stats.packets, msgs[0]!.stats.packets + 5, 'each message carries the board counts');
    ws.close();
    const denied = new WebSocket(url);
    const [err] = (await Promise.race([once(denied, 'unexpected-response'), once(denied, 'error')])) as unknown[];
    assert.ok(err !== undefined);
    denied.terminate();
  } finally {
    await app.close();
  }
});

test('WS /api/detect/syn/live: a capture that stops (or a replay that ends) is news without a changed host: the stats with the new source come at once, once', async () => {
  const { app, board } = await setup();
  try {
    board.source = { kind: 'interface', name: 'eth0', state: 'running', error: null, restarts: 0 };
    const { ws, msgs, until } = await liveHosts(app);
    await until(1);
    assert.equal(msgs[0]!.stats.source?.state, 'running');
    // tcpdump killed: no SYN comes, so no host changes; the page must still hear of it
    board.source = { kind: 'interface', name: 'eth0', state: 'restarting', error: 'tcpdump ended (killed, or its interface went away)', restarts: 1 };
    const heard = await Promise.race([until(2).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
    assert.ok(heard, 'the open page heard nothing of the stopped capture');
    assert.deepEqual(msgs[1]!.hosts, [], 'no host changed');
    assert.equal(msgs[1]!.stats.source?.state, 'restarting');
    assert.equal(msgs[1]!.stats.source?.restarts, 1);
    assert.equal(msgs[1]!.updatedAt, msgs[0]!.updatedAt, 'the hosts were not updated');
    // told again with nothing new: no message
    board.source = { ...board.source };
    board.source = { kind: 'interface', name: 'eth0', state: 'running', error: null, restarts: 1 };
    await until(3);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(msgs.length, 3);
    assert.equal(msgs[2]!.stats.source?.state, 'running');
    ws.close();
  } finally {
    await app.close();
  }
});

test('WS /api/detect/syn/live: a finding that goes idle comes as a changed host marked idle; one the kept bound pushes out comes in gone', async () => {
  const { t0, as, zmap } = idleFixture();
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, maxKeptFlagged: 1, sink: { record: () => {} } });
  board.add(as(zmap, '192.0.2.10', 40, t0));
  board.flush();
  const app = await buildApp(fakeDeps({ synBoard: board }));
  try {
    const { ws, msgs, until } = await liveHosts(app);
    await until(1);
    // eleven minutes later (four SYNs of another host: one alone so far ahead is taken for a stray record)
    board.add(as(zmap, '192.0.2.20', 4, t0 + 11 * 60e6));
    board.flush();
    await until(2);
    assert.deepEqual(msgs[1]!.hosts.filter((h) => h.ip === '192.0.2.10').map((h) => h.idle), [true], 'its row, marked idle');
    assert.equal(msgs[1]!.gone, undefined);
    assert.equal(msgs[1]!.stats.kept, 1);
    // 192.0.2.20 (a finding too) goes idle in turn: the bound keeps one, so 192.0.2.10 leaves the list
    board.add(as(zmap, '192.0.2.30', 4, t0 + 22 * 60e6));
    board.flush();
    await until(3);
    assert.deepEqual(msgs[2]!.gone, ['192.0.2.10']);
    assert.deepEqual(msgs[2]!.hosts.filter((h) => h.idle).map((h) => h.ip), ['192.0.2.20']);
    ws.close();
  } finally {
    await app.close();
  }
});

test('WS /api/detect/syn/live sends a heartbeat every interval while nothing changes (10 s by default), so a page can tell a quiet board from a silent server', async () => {
  assert.equal(SYN_LIVE_BEAT_MS, 10_000);
  const { app } = await setup({ synLiveBeatMs: 40 });
  try {
    const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws') + '/api/detect/syn/live';
    const ws = new WebSocket(url, { headers: AUTH });
    const msgs: { msg: SynLiveMessage; at: number }[] = [];
    ws.on('message', (d) => msgs.push({ msg: JSON.parse(String(d)) as SynLiveMessage, at: Date.now() }));
    await once(ws, 'open');
    const opened = Date.now();
    // the board does not change meanwhile: only heartbeats follow the first list
    await new Promise((r) => setTimeout(r, 300));
    ws.close();
    assert.equal(msgs[0]!.msg.type, 'hosts');
    const beats = msgs.slice(1);
    assert.ok(beats.length >= 3, `a heartbeat every 40 ms for 300 ms: ${beats.length}`);
    for (const { msg, at } of beats) {
      assert.equal(msg.type, 'heartbeat');
      const beat = msg as Extract<SynLiveMessage, { type: 'heartbeat' }>;
      assert.deepEqual(Object.keys(beat).sort(), ['at', 'intervalMs', 'type']);
      assert.equal(beat.intervalMs, 40);
      assert.ok(beat.at >= opened - 1000 && beat.at <= at, `the server's clock when sent: ${beat.at}`);
    }
  } finally {
    await app.close();
  }
});

test('WS /api/detect/syn/live closes (1008 AUTH_REQUIRED) once its token is revoked', async () => {
  let valid = true;
  const { app } = await setup({ tokens: { verify: (t: string) => valid && `Bearer ${t}` === AUTH.authorization }, wsRecheckMs: 30 });
  try {
    const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws') + '/api/detect/syn/live';
    const ws = new WebSocket(url, { headers: AUTH });
    await once(ws, 'message');
    valid = false;
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    assert.equal(code, 1008);
    assert.equal(String(reason), 'AUTH_REQUIRED');
  } finally {
    await app.close();
  }
});

test('WS /api/detect/syn/live closes (1001 WS_PONG_TIMEOUT) a client that stops answering pings and stops sending it changes; one that answers stays', async () => {
  const { app, board } = await setup({ synLiveHeartbeat: { intervalMs: 20, maxMissed: 2 } });
  try {
    const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws') + '/api/detect/syn/live';
    const live = new WebSocket(url, { headers: AUTH });
    const mute = new WebSocket(url, { headers: AUTH, autoPong: false });
    await Promise.all([once(live, 'message'), once(mute, 'message')]);
    // without the heartbeat it is never closed: the test fails at 3 s instead of waiting for ever
    const [code, reason] = (await once(mute, 'close', { signal: AbortSignal.timeout(3000) })) as [number, Buffer];
    assert.deepEqual([code, String(reason)], [1001, 'WS_PONG_TIMEOUT']);
    // the answering client outlives the mute one's two intervals many times over and still gets changes
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(live.readyState, WebSocket.OPEN);
    const next = once(live, 'message');
    board.add(hosts[0]!.syns.slice(40, 45));
    board.flush();
    const [data] = (await next) as [Buffer];
    assert.deepEqual((JSON.parse(String(data)) as HostsMessage).hosts.map((h) => h.ip), [hosts[0]!.ip]);
    live.close();
  } finally {
    await app.close();
  }
});

test(`WS /api/detect/syn/live: past ${SYN_LIVE_MAX_CLIENTS} open boards one more is told so and closed (1013 WS_TOO_MANY_CLIENTS); a closed one frees its place`, async () => {
  const { app } = await setup();
  const open: WebSocket[] = [];
  try {
    const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws') + '/api/detect/syn/live';
    for (let i = 0; i < SYN_LIVE_MAX_CLIENTS; i++) {
      const ws = new WebSocket(url, { headers: AUTH });
      open.push(ws);
      await once(ws, 'message');
    }
    const extra = new WebSocket(url, { headers: AUTH });
    const [data] = (await once(extra, 'message')) as [Buffer];
    assert.deepEqual(JSON.parse(String(data)), { type: 'error', error: { code: 'WS_TOO_MANY_CLIENTS', message: `syn live: ${SYN_LIVE_MAX_CLIENTS} live boards are open already; close one and retry` } });
    const [code, reason] = (await once(extra, 'close')) as [number, Buffer];
    assert.deepEqual([code, String(reason)], [1013, 'WS_TOO_MANY_CLIENTS']);
    open.pop()!.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = new WebSocket(url, { headers: AUTH });
    open.push(again);
    const [first] = (await once(again, 'message')) as [Buffer];
    assert.equal((JSON.parse(String(first)) as SynLiveMessage).type, 'hosts');
  } finally {
    for (const ws of open) ws.terminate();
    await app.close();
  }
});

test('a slow client skips changes while its send buffer is full, and once caught up is told to read the board again before the next change', () => {
  const sent: string[] = [];
  const socket = { bufferedAmount: 0, send: (d: string) => void sent.push(d) };
  const gate = new SlowClientGate(socket, 1000);
  assert.equal(gate.pass(), true, 'a client keeping up gets every change');
  assert.deepEqual(sent, []);
  socket.bufferedAmount = 1001;
  assert.deepEqual([gate.pass(), gate.pass(), gate.pass()], [false, false, false], 'skipped while over the limit');
  assert.deepEqual(sent, []);
  socket.bufferedAmount = 10;
  assert.equal(gate.pass(), true);
  assert.deepEqual(sent.map((d) => JSON.parse(d) as SynLiveMessage), [{ type: 'resync', skipped: 3 }], 'the resync goes first, once');
  assert.equal(gate.pass(), true);
  assert.equal(sent.length, 1, 'no second resync without a new skip');
  assert.equal(SYN_LIVE_MAX_BUFFERED, 4 * 1024 * 1024);
});

test('GET /api/detect/syn/hosts/:ip says what the host sent SYNs to: top ports and addresses with counts, and how many more', async () => {
  const board = new SynLiveBoard({ model: tinyModel(), idleMs: 1e12 });
  const base = hosts[0]!.syns[0]!;
  const t0 = 1_700_000_000e6;
  // 40 SYNs to 10.0.0.1:22, 20 to 10.0.0.2:80, then a spray of 300 ports on 300 addresses (one SYN each)
  const to = (dst: string, dport: number, i: number) => ({ ...base, src: '192.0.2.9', dst, dport, t: t0 + i * 1000 });
  const syns = [...Array.from({ length: 40 }, (_, i) => to('10.0.0.1', 22, i)), ...Array.from({ length: 20 }, (_, i) => to('10.0.0.2', 80, 40 + i))];
  for (let i = 0; i < 300; i++) syns.push(to(`10.1.${i >> 8}.${i & 255}`, 1000 + i, 60 + i));
  board.add(syns);
  board.flush();
  const app = await buildApp(fakeDeps({ synBoard: board }));
  try {
    const r = await app.inject({ url: '/api/detect/syn/hosts/192.0.2.9', headers: AUTH });
    assert.equal(r.statusCode, 200);
    const { targets, host } = r.json<SynHostResponse>();
    // sent to more often than the spray's share of the 32 counters: held, counted exactly
    assert.deepEqual(targets.ports.slice(0, 2), [{ port: 22, syns: 40, over: 0 }, { port: 80, syns: 20, over: 0 }]);
    assert.deepEqual(targets.dsts.slice(0, 2), [{ ip: '10.0.0.1', syns: 40, over: 0 }, { ip: '10.0.0.2', syns: 20, over: 0 }]);
    // past 32 distinct values the spray's counters read "at least 1, at most 10": not listed, they say nothing
    assert.equal(targets.ports.length, 2);
    assert.equal(targets.dsts.length, 2);
    assert.equal(host.distinctPorts, 302);
    assert.equal(targets.morePorts, 300);
    assert.equal(targets.moreDsts, host.distinctDsts - 2);
    assert.equal(targets.dstsExact, false, '302 addresses: past the exact 256, estimated');
    // every port, exactly, as runs
    assert.deepEqual([targets.portRuns, targets.morePortRuns], [[{ from: 22, to: 22 }, { from: 80, to: 80 }, { from: 1000, to: 1299 }], 0]);
  } finally {
    await app.close();
  }
});

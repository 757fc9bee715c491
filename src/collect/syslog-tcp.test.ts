import { test } from 'node:test';
import { connect as netConnect, type Socket } from 'node:net';
import assert from 'node:assert/strict';
import { isAppError } from '../core/index.js';
import { sourceContract } from './source.contract.js';
import { SyslogTcpSource, type SyslogTcpOptions } from './syslog-tcp.js';
import { refusalLog } from './refusals.js';
import { connect, sendChunks } from './tcp-test-client.js';
import { MemorySink } from './testing.js';

async function withSource(opts: Partial<SyslogTcpOptions>, body: (port: number, sink: MemorySink, src: SyslogTcpSource) => Promise<void>): Promise<void> {
  const src = new SyslogTcpSource({ host: '127.0.0.1', port: 0, ...opts });
  const sink = new MemorySink();
  await src.start(sink);
  try {
    await body(src.address().port, sink, src);
  } finally {
    sink.setCongested(false);
    sink.release();
    await src.stop();
  }
}

sourceContract('syslog-tcp', async (lines) => {
  const source = new SyslogTcpSource({ host: '127.0.0.1', port: 0 });
  return { source, origin: /^tcp:127\.0\.0\.1:\d+$/, deliver: () => sendChunks(source.address().port, [lines.join('\n') + '\n']) };
});

test('lf, crlf, nul and octet-counted frames on one connection', async () => {
  await withSource({}, async (port, sink) => {
    await sendChunks(port, ['<13>lf\n<13>crlf\r\n<13>nul\0', '10 <13>oc\ntet5 <1>a', 'b\n']);
    await sink.waitFor(5);
    assert.deepEqual(sink.lines(), ['<13>lf', '<13>crlf', '<13>nul', '<13>oc\ntet', '<1>ab']);
  });
});

test('plain lines that start with a number and a space (tail -F app.log | nc) are stored whole, nothing counted lost', async () => {
  await withSource({}, async (port, sink, src) => {
    const sent = ['3 workers started', 'Jun  1 10:00:01 web1 app: request ok', '64 bytes from 10.0.0.1: icmp_seq=1 ttl=64', '1700000000123 GET /index.html', '120 requests served', '<13>last'];
    await sendChunks(port, [sent.join('\n') + '\n']);
    await sink.waitFor(sent.length);
    assert.deepEqual(sink.lines(), sent);
    const s = src.stats();
    assert.deepEqual([s.received, s.truncated, s.drops.frame_error], [sent.length, 0, 0]);
  });
});

test('lines whose bytes are not utf-8 are stored with U+FFFD and counted notUtf8; a real U+FFFD is not', async () => {
  await withSource({}, async (port, sink, src) => {
    const cafe = Buffer.from('<13>caf\xe9\n', 'latin1');
    await sendChunks(port, [cafe.subarray(0, 6), cafe.subarray(6), Buffer.from('<13>ok \ufffd\n', 'utf8'), Buffer.from('<13>x\xff\n', 'latin1')]);
    await sink.waitFor(3);
    assert.deepEqual(sink.lines(), ['<13>caf\ufffd', '<13>ok \ufffd', '<13>x\ufffd']);
    assert.equal(src.stats().notUtf8, 2);
  });
});

test("every record of a connection carries its sender's address as host (the host of a message whose header names none)", async () => {
  await withSource({}, async (port, sink) => {
    await sendChunks(port, ['fan failure\n<14>Nov 28 10:00:00 gw-01 kernel: own host\n']);
    await sink.waitFor(2);
    assert.deepEqual(sink.records.map((r) => r.host), ['127.0.0.1', '127.0.0.1']);
  });
});

test('frames split into one-byte writes arrive whole', async () => {
  await withSource({}, async (port, sink) => {
    const stream = Buffer.from('7 <13>abc<13>def\r\n4 <1>x');
    await sendChunks(port, Array.from(stream, (b) => Buffer.from([b])));
    await sink.waitFor(3);
    assert.deepEqual(sink.lines(), ['<13>abc', '<13>def', '<1>x']);
  });
});

test('a 1 MiB line is stored raw', async () => {
  await withSource({}, async (port, sink, src) => {
    const big = '<13>' + 'y'.repeat(1024 * 1024 - 4);
    await sendChunks(port, [big + '\n', '<13>after\n']);
    await sink.waitFor(2);
    assert.equal(sink.records[0]!.line, big);
    assert.equal(src.stats().drops.oversize, 0);
  });
});

test('invalid utf-8 and binary garbage are survived; the next client is served', async () => {
  await withSource({ maxLineBytes: 4096 }, async (port, sink, src) => {
    const garbage = Buffer.alloc(100_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
    await sendChunks(port, [Buffer.from([0x3c, 0x31, 0x3e, 0xff, 0xfe, 0x0a]), garbage]);
    await sendChunks(port, ['<13>still here\n']);
    await sink.waitFor(2);
    assert.equal(sink.records[0]!.line, '<1>\ufffd\ufffd');
    assert.ok(sink.lines().includes('<13>still here'));
    assert.equal(src.stats().connections, 0);
  });
});

test('a client disconnecting mid-frame leaves its partial frame, counted truncated', async () => {
  await withSource({}, async (port, sink, src) => {
    await sendChunks(port, ['<13>whole\n<13>half of a li']);
    await sink.waitFor(2);
    assert.deepEqual(sink.lines(), ['<13>whole', '<13>half of a li']);
    assert.equal(src.stats().truncated, 1);
  });
});

test('a blocked sink pauses the socket; after release every line arrives in order', async () => {
  await withSource({}, async (port, sink, src) => {
    sink.block();
    const line = '<13>' + 'z'.repeat(1019) + '\n';
    const total = 256 * 64;
    const client = await connect(port);
    // Many writes, each acknowledged once the kernel took it: the acknowledged bytes stall when the
    // server stops reading and the windows fill.
    const chunk = Buffer.from(line.repeat(64));
    let flushed = 0;
    for (let i = 0; i < total / 64; i++) client.write(chunk, () => (flushed += chunk.length));
    let before = -1;
    for (let i = 0; i < 100 && flushed !== before; i++) {
      before = flushed;
      await new Promise((r) => setTimeout(r, 30));
    }
    assert.ok(flushed < total * line.length, 'the sender was never held back');
    assert.equal(sink.records.length, 0);
    const received = src.stats().received;
    assert.ok(received < total, `server read ${received} of ${total} lines while blocked`);
    sink.release();
    client.end();
    await sink.waitFor(total, 1800);
    assert.equal(sink.records.length, total);
    assert.ok(sink.records.every((r) => r.line.length === line.length - 1));
    await src.stop();
    assert.equal(src.stats().committed, total);
  });
});

test('connections beyond maxConnections are refused and counted', async () => {
  await withSource({ maxConnections: 1 }, async (port, sink, src) => {
    const first = await connect(port);
    const second = await connect(port);
    await new Promise<void>((resolve) => second.once('close', () => resolve()));
    first.end('<13>one\n');
    await sink.waitFor(1);
    assert.equal(src.stats().refusedConnections, 1);
  });
});

test('one address may hold maxConnectionsPerAddress connections; others still connect, and a refusal is told with its reason', async () => {
  const refused: string[] = [];
  await withSource({ maxConnectionsPerAddress: 2, onRefused: (why, address) => refused.push(`${why} ${address}`) }, async (port, sink, src) => {
    const from = (localAddress: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = netConnect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
        s.once('error', reject);
      });
    const held = [await from('127.0.0.1'), await from('127.0.0.1')];
    const third = await from('127.0.0.1');
    await new Promise<void>((resolve) => third.once('close', () => resolve()));
    assert.deepEqual(refused, ['address 127.0.0.1']);
    // another sender is not locked out by the one holding its share
    const other = await from('127.0.0.2');
    other.end('<13>from another host\n');
    await sink.waitFor(1);
    // a slot given back is a slot again
    held[0]!.end('<13>one\n');
    await sink.waitFor(2);
    await new Promise((r) => setTimeout(r, 50));
    const again = await from('127.0.0.1');
    again.end('<13>again\n');
    await sink.waitFor(3);
    held[1]!.destroy();
    assert.equal(src.stats().refusedConnections, 1);
  });
});

test('refused connections reach the log at once, then at most once a minute with how many since', () => {
  let t = 0;
  const lines: string[] = [];
  const timers: (() => void)[] = [];
  const log = refusalLog((_f, m) => lines.push(m), { intervalMs: 60_000, now: () => t, later: (fn) => timers.push(fn) });
  log('address', '203.0.113.9');
  for (let i = 0; i < 4; i++) log('address', '203.0.113.9');
  t = 60_000;
  log('total', '198.51.100.4');
  assert.equal(timers.length, 1, 'one wake-up for the held-back refusals');
  timers.shift()!();
  assert.deepEqual(lines, [
    'syslog tcp: a connection was refused since the last message; the last because its address held syslog.tcp.maxConnectionsPerAddress connections (from 203.0.113.9)',
    'syslog tcp: 5 connections were refused since the last message; the last because syslog.tcp.maxConnections connections were open (from 198.51.100.4)',
  ]);
  // a burst with nothing after it is told when its minute is up, not when the next refusal comes
  t = 70_000;
  log('address', '203.0.113.9');
  assert.equal(lines.length, 2);
  t = 120_000;
  timers.shift()!();
  assert.match(lines[2]!, /^syslog tcp: a connection was refused since the last message; the last because its address held/);
  assert.equal(timers.length, 0);
});

test('binding a port in use fails with COLLECT_BIND_FAILED', async () => {
  await withSource({}, async (port) => {
    const second = new SyslogTcpSource({ host: '127.0.0.1', port });
    await assert.rejects(second.start(new MemorySink()), (e) => isAppError(e) && e.code === 'COLLECT_BIND_FAILED' && e.message.startsWith(`collect: cannot bind tcp 127.0.0.1:${port}: address in use; another process listens there`));
  });
});

test('an oversize octet-counted frame keeps its head and every later frame of the connection is stored', async () => {
  await withSource({ maxLineBytes: 1024 }, async (port, sink, src) => {
    const big = '<13>' + 'X'.repeat(4996);
    let after = '';
    for (let i = 0; i < 1000; i++) after += `${`<13>msg ${i}`.length} <13>msg ${i}`;
    await sendChunks(port, [`${big.length} ${big}`, after]);
    await sink.waitFor(1001);
    assert.equal(sink.records[0]!.line, '<13>' + 'X'.repeat(1020));
    assert.equal(sink.records[1000]!.line, '<13>msg 999');
    const s = src.stats();
    assert.deepEqual([s.received, s.truncated, s.drops.oversize, s.drops.frame_error], [1001, 1, 1, 0]);
  });
});

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

test('a silent connection is closed after idleTimeoutMs, its partial frame stored and counted', async () => {
  await withSource({ idleTimeoutMs: 100 }, async (port, sink, src) => {
    const silent = await connect(port);
    silent.on('error', () => undefined);
    silent.write('<13>never finished');
    assert.ok(await closedWithin(silent, 1500), 'the idle connection was not closed');
    await sink.waitFor(1);
    assert.deepEqual(sink.lines(), ['<13>never finished']);
    // the server's side of the close may come a moment after the client's
    for (let i = 0; i < 100 && src.stats().connections !== 0; i++) await new Promise((r) => setTimeout(r, 10));
    const s = src.stats();
    assert.deepEqual([s.idleClosed, s.truncated, s.connections], [1, 1, 0]);
  });
});

test('a connection paused by a congested store is not idle', async () => {
  await withSource({ idleTimeoutMs: 100 }, async (port, sink, src) => {
    sink.setCongested(true);
    const client = await connect(port);
    client.on('error', () => undefined);
    client.write('<13>one\n');
    assert.equal(await closedWithin(client, 400), false, 'closed while we were not reading');
    assert.equal(src.stats().idleClosed, 0);
    sink.setCongested(false);
    await sink.waitFor(1);
    assert.ok(await closedWithin(client, 1500), 'not closed once idle after the store drained');
    assert.equal(src.stats().idleClosed, 1);
  });
});

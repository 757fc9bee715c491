import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { isAppError } from '../core/index.js';
import { sourceContract } from './source.contract.js';
import { SyslogUdpSource, type SyslogUdpOptions } from './syslog-udp.js';
import { MemorySink } from './testing.js';

/** Sends datagrams in small groups so the kernel's receive buffer never overflows in a test. */
async function sendAll(port: number, messages: Array<string | Buffer>): Promise<void> {
  const client = dgram.createSocket('udp4');
  try {
    for (let i = 0; i < messages.length; i += 20) {
      const group = messages.slice(i, i + 20);
      await Promise.all(group.map((m) => new Promise<void>((resolve, reject) => client.send(m, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())))));
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await new Promise<void>((r) => client.close(() => r()));
  }
}

async function withSource(opts: Partial<SyslogUdpOptions>, body: (src: SyslogUdpSource, sink: MemorySink) => Promise<void>): Promise<void> {
  const src = new SyslogUdpSource({ host: '127.0.0.1', port: 0, ...opts });
  const sink = new MemorySink();
  await src.start(sink);
  try {
    await body(src, sink);
  } finally {
    await src.stop();
  }
}

sourceContract('syslog-udp', async (lines) => {
  const source = new SyslogUdpSource({ host: '127.0.0.1', port: 0 });
  return { source, origin: /^udp:127\.0\.0\.1:\d+$/, deliver: () => sendAll(source.address().port, lines) };
});

test('one datagram is one message: inner newlines stay, trailing terminators go', async () => {
  await withSource({}, async (src, sink) => {
    await sendAll(src.address().port, ['<13>a\nb\r\n', '<13>c\0', 'plain\n\n']);
    await sink.waitFor(3);
    assert.deepEqual(sink.lines().sort(), ['<13>a\nb', '<13>c', 'plain']);
  });
});

test("every record carries its sender's address as host (the host of a message whose header names none)", async () => {
  await withSource({}, async (src, sink) => {
    await sendAll(src.address().port, ['link down on port 7', '<14>Nov 28 10:00:00 gw-01 kernel: own host']);
    await sink.waitFor(2);
    assert.deepEqual(sink.records.map((r) => r.host), ['127.0.0.1', '127.0.0.1']);
  });
});

test('a congested sink drops datagrams as queue_full', async () => {
  await withSource({}, async (src, sink) => {
    sink.setCongested(true);
    await sendAll(src.address().port, ['<13>lost 1', '<13>lost 2']);
    const deadline = Date.now() + 1000;
    while (src.stats().drops.queue_full < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    sink.setCongested(false);
    await sendAll(src.address().port, ['<13>kept']);
    await sink.waitFor(1);
    const s = src.stats();
    assert.equal(s.drops.queue_full, 2);
    assert.equal(s.received, 3);
    assert.deepEqual(sink.lines(), ['<13>kept']);
  });
});

test('a datagram over maxMessageBytes keeps its head and counts oversize', async () => {
  await withSource({ maxMessageBytes: 10 }, async (src, sink) => {
    await sendAll(src.address().port, ['0123456789abcdef', 'short']);
    await sink.waitFor(2);
    assert.deepEqual(sink.lines().sort(), ['0123456789', 'short']);
    assert.equal(src.stats().drops.oversize, 1);
    assert.equal(src.stats().truncated, 1);
  });
});

test('recvBufferSize reaches the socket and kernel drops read as a number', async () => {
  await withSource({ recvBufferSize: 32768 }, async (src) => {
    const socket = (src as unknown as { socket: dgram.Socket }).socket;
    assert.ok(socket.getRecvBufferSize() >= 32768);
    assert.equal(src.stats().drops.kernel_rcvbuf, 0);
  });
});

test('binding an address of no interface here fails with COLLECT_BIND_FAILED, bad_request: a bad value, not a busy port', async () => {
  // 192.0.2.1: TEST-NET-1 (RFC 5737), on no interface of a test machine
  const src = new SyslogUdpSource({ host: '192.0.2.1', port: 0 });
  await assert.rejects(src.start(new MemorySink()), (e) => {
    assert.ok(isAppError(e));
    assert.deepEqual([e.code, e.kind], ['COLLECT_BIND_FAILED', 'bad_request']);
    assert.match(e.message, /^collect: cannot bind udp 192\.0\.2\.1:0: address not available on this host; give an address of this machine/);
    return true;
  });
});

test('binding a port in use fails with COLLECT_BIND_FAILED', async () => {
  await withSource({}, async (src) => {
    const second = new SyslogUdpSource({ host: '127.0.0.1', port: src.address().port });
    await assert.rejects(second.start(new MemorySink()), (e) => {
      assert.ok(isAppError(e));
      assert.deepEqual([e.code, e.kind], ['COLLECT_BIND_FAILED', 'unavailable']);
      assert.match(e.message, /^collect: cannot bind udp 127\.0\.0\.1:\d+: address in use; another process listens there .*pick another --syslog-port/);
      return true;
    });
  });
});

test('a datagram whose bytes are not utf-8 is stored with U+FFFD and counted notUtf8; a real U+FFFD is not', async () => {
  await withSource({}, async (src, sink) => {
    await sendAll(src.address().port, [Buffer.from('<13>caf\xe9 au lait', 'latin1'), Buffer.from('<13>already \ufffd', 'utf8'), '<13>plain']);
    await sink.waitFor(3);
    assert.deepEqual(sink.lines().sort(), ['<13>already \ufffd', '<13>caf\ufffd au lait', '<13>plain']);
    assert.equal(src.stats().notUtf8, 1);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { isAppError } from '../core/index.js';
import { sourceContract } from './source.contract.js';
import { SyslogTcpSource } from './syslog-tcp.js';
import { connect, makeTestCert, sendChunks } from './tcp-test-client.js';
import { MemorySink } from './testing.js';

const pair = makeTestCert();
const skip = pair === null ? 'the openssl CLI is not on this machine, so no test certificate can be made' : false;

describe('syslog over tls', { skip }, () => {
  const { cert, key } = pair ?? { cert: '', key: '' };
  const client = { ca: cert };

  sourceContract('syslog-tls', async (lines) => {
    const source = new SyslogTcpSource({ host: '127.0.0.1', port: 0, tls: { cert, key } });
    return { source, origin: /^tls:127\.0\.0\.1:\d+$/, deliver: () => sendChunks(source.address().port, [lines.join('\n') + '\n'], client) };
  });

  test('round trip: octet-counted and lf frames over tls', async () => {
    const src = new SyslogTcpSource({ host: '127.0.0.1', port: 0, tls: { cert, key } });
    const sink = new MemorySink();
    await src.start(sink);
    try {
      assert.equal(src.name, `tls:127.0.0.1:${src.address().port}`);
      await sendChunks(src.address().port, ['14 <13>secret one', '<13>secret two\n'], client);
      await sink.waitFor(2);
      assert.deepEqual(sink.lines(), ['<13>secret one', '<13>secret two']);
    } finally {
      await src.stop();
    }
  });

  test('a plaintext client gets nothing stored and the server keeps serving', async () => {
    const src = new SyslogTcpSource({ host: '127.0.0.1', port: 0, tls: { cert, key } });
    const sink = new MemorySink();
    await src.start(sink);
    try {
      const plain = await connect(src.address().port);
      const closed = new Promise((r) => plain.once('close', r));
      plain.on('error', () => undefined);
      plain.end('<13>not tls\n');
      await closed;
      await sendChunks(src.address().port, ['<13>tls ok\n'], client);
      await sink.waitFor(1);
      assert.deepEqual(sink.lines(), ['<13>tls ok']);
    } finally {
      await src.stop();
    }
  });

  /** A raw TCP connection the server has accepted, its TLS handshake not begun. */
  async function rawConnection(port: number): Promise<net.Socket> {
    const raw = net.connect(port, '127.0.0.1');
    raw.on('error', () => undefined);
    await new Promise((r) => raw.once('connect', r));
    // the server accepts it on its next turn of the event loop
    await new Promise((r) => setTimeout(r, 50));
    return raw;
  }

  test('stop() does not wait for a client stuck before its handshake', async () => {
    const src = new SyslogTcpSource({ host: '127.0.0.1', port: 0, tls: { cert, key } });
    await src.start(new MemorySink());
    const raw = await rawConnection(src.address().port);
    try {
      const stopped = src.stop().then(() => 'stopped');
      const outcome = await Promise.race([stopped, new Promise((r) => setTimeout(() => r('still waiting'), 2000))]);
      assert.equal(outcome, 'stopped');
    } finally {
      raw.destroy();
    }
  });

  test('a handshake completing after stop() began brings no connection and nothing is stored', async () => {
    const src = new SyslogTcpSource({ host: '127.0.0.1', port: 0, tls: { cert, key } });
    const sink = new MemorySink();
    await src.start(sink);
    const raw = await rawConnection(src.address().port);
    const stopped = src.stop();
    const late = tls.connect({ socket: raw, ca: cert, servername: 'localhost' }, () => late.write('<13>sent after stop() began\n'));
    late.on('error', () => undefined);
    try {
      await Promise.race([stopped, new Promise((_r, reject) => setTimeout(() => reject(new Error('stop() still waiting')), 2000))]);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(sink.lines(), []);
      assert.equal(src.stats().connections, 0);
    } finally {
      late.destroy();
    }
  });

  test('a bad certificate fails at construction with COLLECT_TLS_CONFIG_INVALID', () => {
    assert.throws(
      () => new SyslogTcpSource({ host: '127.0.0.1', port: 6514, tls: { cert: 'not a pem', key } }),
      (e) => isAppError(e) && e.code === 'COLLECT_TLS_CONFIG_INVALID' && e.message.startsWith('collect: invalid tls certificate or key for tls:127.0.0.1:6514: '),
    );
  });
});

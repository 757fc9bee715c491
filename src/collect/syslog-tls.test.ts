import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { isAppError } from '../core/index.js';
import { sourceContract } from './source.contract.js';
import { SyslogTcpSource } from './syslog-tcp.js';
import { connect, makeTestCert, sendChunks } from './tcp-test-client.js';
import { MemorySink } from './testing.js';

const pair = makeTestCert();
const skip = pair === null ? 'the openssl CLI is not on this machine, so no test certificate can be made' : false;

interface Pem {
  cert: string;
  key: string;
}

/** A throwaway CA and a client certificate it signed, made with the openssl CLI; null without it. */
function makeClientCa(): { ca: Pem; client: Pem } | null {
  const dir = mkdtempSync(join(tmpdir(), 'nml-mtls-'));
  const at = (f: string): string => join(dir, f);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    ssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '1', '-subj', '/CN=nml test client ca');
    ssl('req', ...ec, '-keyout', at('client.key'), '-out', at('client.csr'), '-subj', '/CN=web1');
    ssl('x509', '-req', '-in', at('client.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('client.pem'), '-days', '1');
    const read = (f: string): string => readFileSync(at(f), 'utf8');
    return { ca: { cert: read('ca.pem'), key: read('ca.key') }, client: { cert: read('client.pem'), key: read('client.key') } };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

  describe('with a client ca (mutual tls)', () => {
    const mtls = makeClientCa();
    const other = makeTestCert();

    /**
     * One client: connects with `identity` (or none), writes `line`, ends; resolves once the connection
     * is closed, whichever side closed it. A refused client may see its handshake fail or, in TLS 1.3,
     * succeed and be closed right after: either way nothing it sent may be stored.
     */
    async function client(port: number, line: string, identity: Pem | null, maxVersion: tls.SecureVersion = 'TLSv1.3'): Promise<void> {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: cert, maxVersion, ...(identity ?? {}) }, () => socket.end(line));
      const closed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`tls client '${line.trim()}': not closed within 3 s`)), 3000);
        socket.once('close', () => resolve(clearTimeout(timer)));
      });
      // once() would reject on the error a refused client sees; the close that follows is what counts
      socket.on('error', () => undefined);
      socket.resume();
      await closed;
    }

    async function refusedReaches(src: SyslogTcpSource, n: number): Promise<number> {
      for (let i = 0; i < 150 && (src.stats().refusedConnections ?? 0) < n; i++) await new Promise((r) => setTimeout(r, 20));
      return src.stats().refusedConnections ?? 0;
    }

    test('a client ca makes client certificates required: clients without one, or with one another ca signed, are refused and counted', { skip: mtls === null || other === null }, async () => {
      const src = new SyslogTcpSource({ host: '127.0.0.1', port: 0, tls: { cert, key, ca: mtls!.ca.cert } });
      const sink = new MemorySink();
      await src.start(sink);
      try {
        const port = src.address().port;
        await client(port, '<13>no certificate, tls 1.3\n', null);
        await client(port, '<13>no certificate, tls 1.2\n', null, 'TLSv1.2');
        await client(port, '<13>a certificate of another ca, tls 1.3\n', other!);
        await client(port, '<13>a certificate of another ca, tls 1.2\n', other!, 'TLSv1.2');
        assert.equal(await refusedReaches(src, 4), 4);
        // the server keeps serving: a client with a certificate the ca signed is stored
        await client(port, '<13>signed client\n', mtls!.client);
        await sink.waitFor(1);
        assert.deepEqual(sink.lines(), ['<13>signed client']);
        assert.deepEqual([src.stats().refusedConnections, src.stats().connections], [4, 0]);
      } finally {
        await src.stop();
      }
    });

    test('without a client ca, clients need no certificate', async () => {
      const src = new SyslogTcpSource({ host: '127.0.0.1', port: 0, tls: { cert, key } });
      const sink = new MemorySink();
      await src.start(sink);
      try {
        await client(src.address().port, '<13>anonymous\n', null);
        await sink.waitFor(1);
        assert.deepEqual(sink.lines(), ['<13>anonymous']);
        assert.equal(src.stats().refusedConnections, 0);
      } finally {
        await src.stop();
      }
    });

    test('an empty client ca list fails at construction with COLLECT_TLS_CONFIG_INVALID', () => {
      assert.throws(
        () => new SyslogTcpSource({ host: '127.0.0.1', port: 6514, tls: { cert, key, ca: [] } }),
        (e) => isAppError(e) && e.code === 'COLLECT_TLS_CONFIG_INVALID' && e.message.startsWith('collect: tls for tls:127.0.0.1:6514 has an empty ca list, which would refuse every client'),
      );
    });
  });
});

// Test-only helpers: syslog clients for the TCP and TLS tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface ClientTls {
  ca: string;
}

/** Connects to 127.0.0.1:port, over TLS when `secure` is given. */
export function connect(port: number, secure?: ClientTls): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ host: '127.0.0.1', port, ca: secure.ca }, () => resolve(socket))
      : net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes each chunk in its own write, ends the stream and waits until the server closed it. */
export async function sendChunks(port: number, chunks: Array<string | Buffer>, secure?: ClientTls): Promise<void> {
  const socket = await connect(port, secure);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.setNoDelay(true);
  for (const c of chunks) {
    if (!socket.write(c)) await new Promise((r) => socket.once('drain', r));
  }
  socket.end();
  socket.resume();
  await closed;
}

/** A throwaway self-signed certificate for 127.0.0.1 made with the openssl CLI, or null without it. */
export function makeTestCert(): { cert: string; key: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'nml-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

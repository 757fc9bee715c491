/**
 * `http.tls`: `nml serve` serves the web UI and API over HTTPS itself. The start line's address is
 * https, a login's session cookie is Secure and every answer carries Strict-Transport-Security; plain
 * HTTP to the port gets no answer; a bad certificate or key stops the start, naming the file and key.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { isAppError } from './core/index.js';
import { makeTestCert } from './collect/tcp-test-client.js';
import { resolveConfig } from './config.js';
import { startNode } from './node.js';
import { UserStore } from './serve/index.js';
import { FAST_SCRYPT } from './serve/users/testing.js';

const root = mkdtempSync(join(tmpdir(), 'nml-https-'));
after(() => rmSync(root, { recursive: true, force: true }));
const pair = makeTestCert();
const other = makeTestCert();
const skip = pair === null || other === null ? 'the openssl CLI is not on this machine, so no test certificate can be made' : false;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsCall(url: string, ca: string, method = 'GET', body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, ca, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('nml serve over https (http.tls)', { skip }, () => {
  const files = (name: string, p: { cert: string; key: string }): { certFile: string; keyFile: string } => {
    const certFile = join(root, `${name}-cert.pem`);
    const keyFile = join(root, `${name}-key.pem`);
    writeFileSync(certFile, p.cert);
    writeFileSync(keyFile, p.key, { mode: 0o600 });
    return { certFile, keyFile };
  };
  const configFor = (dir: string, tls: { certFile: string; keyFile: string }) =>
    resolveConfig({ dataDir: dir, http: { host: '127.0.0.1', port: 0, tls }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, search: { threads: 1 }, store: { lanes: 1 } });

  test('the UI and API answer over TLS with the configured certificate; login sets a Secure cookie; plain HTTP is not answered', async () => {
    const dir = join(root, 'ok');
    mkdirSync(dir);
    const users = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT });
    await users.add('admin', 'a password of the test', 'admin');
    users.close();
    const node = await startNode(configFor(dir, files('ok', pair!)), pino({ level: 'silent' }));
    try {
      assert.match(node.httpUrl ?? '', /^https:\/\/127\.0\.0\.1:\d+$/, 'the start line names an https address');
      const health = await httpsCall(`${node.httpUrl}/api/health`, pair!.cert);
      assert.equal(health.status, 200);
      assert.equal(health.headers['strict-transport-security'], 'max-age=31536000');
      const login = await httpsCall(`${node.httpUrl}/api/auth/login`, pair!.cert, 'POST', JSON.stringify({ username: 'admin', password: 'a password of the test' }));
      assert.equal(login.status, 200, login.body);
      const cookie = String(login.headers['set-cookie']);
      assert.match(cookie, /nml_session=/);
      assert.match(cookie, /; Secure/, 'served over TLS: the cookie never travels over plain HTTP');
      // a client that trusts another certificate refuses this server
      await assert.rejects(httpsCall(`${node.httpUrl}/api/health`, other!.cert), /self[- ]signed|certificate/i);
      // plain HTTP to the TLS port: no HTTP answer
      const plain = node.httpUrl!.replace('https:', 'http:');
      const status = await new Promise<number | string>((resolve) => {
        const req = httpRequest(`${plain}/api/health`, (res) => resolve(res.statusCode ?? 0));
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        req.end();
      });
      assert.notEqual(status, 200, `plain HTTP answered ${status}`);
    } finally {
      await node.stop();
    }
  });

  test('a missing certificate, a key that is not PEM, and a key of another certificate each stop the start naming the file and the key', async () => {
    const dir = join(root, 'bad');
    mkdirSync(dir);
    const good = files('bad', pair!);
    const cases: [string, { certFile: string; keyFile: string }, RegExp][] = [
      ['missing certificate', { ...good, certFile: join(root, 'nope.pem') }, /cannot read the https certificate .*nope\.pem \(http\.tls\.certFile\): no such file/],
      ['key not PEM', { ...good, keyFile: good.certFile }, /the https private key .* \(http\.tls\.keyFile\) cannot be loaded/],
      ['key of another certificate', { ...good, keyFile: files('other', other!).keyFile }, /do not go together/],
    ];
    for (const [what, tls, message] of cases) {
      await assert.rejects(startNode(configFor(dir, tls), pino({ level: 'silent' })), (e: unknown) => {
        assert.ok(isAppError(e), `${what}: an AppError, got ${String(e)}`);
        assert.equal(e.code, 'HTTP_TLS_CONFIG_INVALID', what);
        assert.match(e.message, message, what);
        return true;
      });
    }
  });
});

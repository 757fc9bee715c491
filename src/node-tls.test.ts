/**
 * `http.tls`: `nml serve` serves the web UI and API over HTTPS itself. The start line's address is
 * https, a login's session cookie is Secure and every answer carries Strict-Transport-Security; plain
 * HTTP to the port gets no answer; a bad certificate or key stops the start, naming the file and key.
 * Renewed certificate files (HTTPS and syslog over TLS) are put in force without a restart; a renewal
 * that does not load keeps the certificate in force.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { Writable } from 'node:stream';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { isAppError } from './core/index.js';
import { SyslogTcpSource } from './collect/index.js';
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
    // no kept-alive connection: each call makes a handshake, so it sees the certificate in force
    const req = httpsRequest(url, { method, ca, agent: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
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
      assert.match(cookie, /^__Host-nml_session=/);
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

  test('renewed certificate files are put in force without a restart, for HTTPS and syslog over TLS; a renewal that does not load keeps the old one', async () => {
    const dir = join(root, 'renew');
    mkdirSync(dir);
    const http = files('renew-http', pair!);
    const syslog = files('renew-syslog', pair!);
    let log = '';
    const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { log += String(chunk); done(); } }));
    const config = resolveConfig({ dataDir: dir, http: { host: '127.0.0.1', port: 0, tls: http }, syslog: { udp: { enabled: false }, tcp: { host: '127.0.0.1', port: 0, tls: syslog } }, search: { threads: 1 }, store: { lanes: 1 } });
    const node = await startNode(config, logger, { tlsCheckMs: 20 });
    const until = async (what: string, ok: () => Promise<boolean> | boolean): Promise<void> => {
      for (let i = 0; i < 250; i++) {
        if (await ok()) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.fail(`waited 5 s for ${what}`);
    };
    const answers = (ca: string): Promise<boolean> => httpsCall(`${node.httpUrl}/api/health`, ca).then((a) => a.status === 200, () => false);
    const tcp = node.sources.find((s): s is SyslogTcpSource => s instanceof SyslogTcpSource)!;
    const port = tcp.address().port;
    const syslogTrusts = (ca: string): Promise<boolean> =>
      new Promise((resolve) => {
        const socket = tlsConnect({ host: '127.0.0.1', port, ca }, () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
    // written as a renewal writes them: a new file renamed over the old
    const replace = (path: string, text: string): void => {
      writeFileSync(`${path}.new`, text);
      renameSync(`${path}.new`, path);
    };
    try {
      assert.equal(await answers(pair!.cert), true);
      assert.equal(await syslogTrusts(pair!.cert), true);
      // half a renewal: the new key before its certificate; the pair does not go together
      replace(http.keyFile, other!.key);
      await until('the warning of a renewal that does not load', () => log.includes('https: the certificate files changed but do not load'));
      assert.equal(await answers(pair!.cert), true, 'the certificate in force stays');
      replace(http.certFile, other!.cert);
      await until('the new https certificate', () => answers(other!.cert));
      assert.equal(await answers(pair!.cert), false, 'the old certificate is no longer presented');
      assert.match(log, /https: the certificate files changed; the new certificate is in force/);
      replace(syslog.certFile, other!.cert);
      replace(syslog.keyFile, other!.key);
      await until('the new syslog certificate', () => syslogTrusts(other!.cert));
      assert.equal(await syslogTrusts(pair!.cert), false);
      assert.doesNotMatch(log, /PRIVATE KEY/, 'no key material in the log');
    } finally {
      await node.stop();
    }
  });
});

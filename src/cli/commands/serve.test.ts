/**
 * `nml serve` when startup fails part-way: the process prints one line (no stack) and exits on its
 * own, having closed what it had opened (the data directory's lock file is gone). Each run has a
 * deadline: a server that stays up after its error is killed and the test fails. And how its flags
 * merge over a config file (parsed as the CLI parses them, no server started).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { runCliSync } from '../testing.js';
import type { NmlConfig } from '../../config-types.js';
import { defineServe, serveConfig, webUiLine } from './serve.js';

/**
 * Well past a failed start: about 1 s from dist/, 5 s from source under tsx on a busy two-core
 * machine (most of it loading the CLI). An HTTP port in use is tested in-process (src/node.test.ts):
 * it fails after the admin's password hash, too slow for a child process here.
 */
const DEADLINE_MS = 15_000;

const root = mkdtempSync(join(tmpdir(), 'nml-serve-fail-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function dataDir(): string {
  return join(root, `d${n++}`);
}

interface CliRun {
  /** null when killed at the deadline */
  code: number | null;
  err: string;
}

function serve(dir: string, ...flags: string[]): CliRun {
  const r = runCliSync(['serve', '--data', dir, '--http-host', '127.0.0.1', '--syslog-port', '0', ...flags], { timeoutMs: DEADLINE_MS });
  return { code: r.code === -1 ? null : r.code, err: r.err };
}

/** The run ended by itself with `code` and said exactly one `nml: ...` line matching `message` on stderr. */
function assertCleanFailure(r: CliRun, code: number, message: RegExp): void {
  assert.notEqual(r.code, null, `nml serve did not exit within ${DEADLINE_MS} ms (killed); stderr:\n${r.err}`);
  assert.doesNotMatch(r.err, /^\s+at /m, 'no stack trace');
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.err}`);
  assert.match(lines[0]!, message);
  assert.equal(r.code, code);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('nml serve: a failed start exits with one clear line', () => {
  test('--port says which two ports there are', () => {
    const r = runCliSync(['serve', '--port', '8080'], { timeoutMs: DEADLINE_MS });
    assert.equal(r.code, 2);
    assert.match(r.err, /nml serve has two ports: --http-port \(the web UI and API, default 8823\) and --syslog-port/);
  });

  test('a --tls-cert that does not exist', () => {
    const dir = dataDir();
    const missing = join(root, 'missing-cert.pem');
    const r = serve(dir, '--http-port', '0', '--tls-cert', missing, '--tls-key', missing);
    assertCleanFailure(r, 2, new RegExp(`^nml: serve: cannot read the tls certificate ${escape(missing)} \\(--tls-cert, syslog\\.tcp\\.tls\\.certFile\\): no such file; `));
    assert.equal(existsSync(join(dir, 'nml.lock')), false, 'no lock left on the data directory');
  });

  for (const [file, what] of [['findings.db', 'findings store'], ['users.db', 'user database']] as const) {
    test(`a damaged ${file}, after the store was opened: the error names the file`, () => {
      const dir = dataDir();
      mkdirSync(dir);
      const path = join(dir, file);
      writeFileSync(path, 'not a database, '.repeat(64));
      const r = serve(dir, '--http-port', '0');
      assertCleanFailure(r, 1, new RegExp(`^nml: serve: cannot open the ${what} ${escape(path)}: file is not a database; .*move it aside`));
      assert.equal(existsSync(join(dir, 'nml.lock')), false, 'the store was closed: no lock left on the data directory');
    });
  }

  test('a --syn-pcap that does not exist, or is not a capture: named, not a log line of a server without it', () => {
    const missing = join(root, 'no-such.pcap');
    const r = serve(dataDir(), '--http-port', '0', '--syn-pcap', missing);
    assertCleanFailure(r, 2, new RegExp(`^nml: serve: the capture to replay \\(--syn-pcap, syn\\.pcap\\) cannot be read: cannot open ${escape(missing)}: no such file`));
    const text = join(root, 'notes.pcap');
    writeFileSync(text, 'these are notes, not packets');
    const t = serve(dataDir(), '--http-port', '0', '--syn-pcap', text);
    assertCleanFailure(t, 2, /cannot be read: .*notes\.pcap is not a capture: it starts with the bytes /);
  });

  test('a --data that is a file, or under one, says so as nml count does, not mkdir\'s EEXIST; nml ingest too', () => {
    const file = join(root, 'not-a-dir.txt');
    writeFileSync(file, 'x\n');
    assertCleanFailure(serve(file, '--http-port', '0'), 2, new RegExp(`^nml: store: ${escape(file)} is a file, not a data directory; pass --data DIR`));
    const below = join(file, 'd');
    assertCleanFailure(serve(below, '--http-port', '0'), 2, new RegExp(`^nml: store: ${escape(below)} cannot be a data directory: ${escape(file)} above it is a file; pass --data DIR`));
    const ingest = runCliSync(['ingest', '--data', file, '--no-progress'], { input: 'a line\n', timeoutMs: DEADLINE_MS });
    assert.match(ingest.err, new RegExp(`^nml: store: ${escape(file)} is a file, not a data directory`));
    assert.doesNotMatch(ingest.err, /EEXIST|ENOTDIR/);
  });

  test('a url.model that cannot be loaded: named by its key, not a server that scores no URL', () => {
    const config = join(root, 'url-model.json');
    const model = join(root, 'no-such-model');
    writeFileSync(config, JSON.stringify({ url: { model } }));
    const dir = dataDir();
    const r = serve(dir, '--http-port', '0', '--config', config);
    assertCleanFailure(r, 2, new RegExp(`^nml: serve: the url model ${escape(model)} \\(url\\.model\\) cannot be loaded: .*set it to null for the shipped model`));
    assert.equal(existsSync(join(dir, 'nml.lock')), false);
  });
});

describe('nml serve: NML_LOG_LEVEL', () => {
  test('a level pino does not know is one line naming the variable and the levels there are, not a stack', () => {
    const before = process.env['NML_LOG_LEVEL'];
    // the child inherits this process's environment; runCliSync is synchronous, so nothing else sees it
    process.env['NML_LOG_LEVEL'] = 'bogus';
    try {
      const dir = dataDir();
      const r = serve(dir, '--http-port', '0', '--no-udp', '--no-tcp');
      assertCleanFailure(r, 2, /^nml: config: environment variable NML_LOG_LEVEL is "bogus"; expected one of fatal, error, warn, info, debug, trace, silent \(unset: info\); fix or unset it$/);
      assert.equal(existsSync(dir), false, 'refused before the data directory was made');
    } finally {
      if (before === undefined) delete process.env['NML_LOG_LEVEL'];
      else process.env['NML_LOG_LEVEL'] = before;
    }
  });
});

describe('nml serve: flags override the config file only where given', () => {
  /** The configuration `nml serve ARGS` would run with, parsed as the CLI parses it, without starting a server. */
  async function configOf(settings: object | null, ...args: string[]): Promise<Readonly<NmlConfig>> {
    const program = new Command('nml').exitOverride();
    const cmd = defineServe(program).action(() => undefined);
    const cfg = join(root, `cfg-${n++}.json`);
    if (settings !== null) writeFileSync(cfg, JSON.stringify(settings));
    program.parse(['serve', ...(settings === null ? [] : ['--config', cfg]), ...args], { from: 'user' });
    return serveConfig(cmd.opts(), cmd);
  }

  test('udp/tcp disabled in the file stay off without --no-udp/--no-tcp; the flags still turn them off', async () => {
    const c = await configOf({ syslog: { udp: { enabled: false }, tcp: { enabled: false, port: 0 } }, http: { port: 0 } });
    assert.equal(c.syslog.udp.enabled, false, 'the file said udp off');
    assert.equal(c.syslog.tcp.enabled, false);
    assert.equal(c.syslog.tcp.port, 0);
    const d = await configOf(null, '--no-udp');
    assert.equal(d.syslog.udp.enabled, false);
    assert.equal(d.syslog.tcp.enabled, true, 'the default stands');
    const e = await configOf({ syslog: { udp: { port: 6000 } } }, '--syslog-port', '7000');
    assert.equal(e.syslog.udp.port, 7000);
    assert.equal(e.syslog.tcp.port, 7000);
  });

  test('--from-start, --syn-speed and --demo-rate apply on their own over the file', async () => {
    const c = await configOf({ files: { follow: ['/var/log/a.log'] }, syn: { pcap: '/tmp/x.pcap' }, demo: { enabled: true } }, '--from-start', '--syn-speed', '0', '--demo-rate', '50');
    assert.deepEqual(c.files, { follow: ['/var/log/a.log'], fromStart: true });
    assert.equal(c.syn.pcap, '/tmp/x.pcap');
    assert.equal(c.syn.speed, 0);
    assert.deepEqual(c.demo, { enabled: true, rate: 50 });
    // fractions, as the config file takes them
    assert.equal((await configOf({ demo: { enabled: true } }, '--demo-rate', '0.5')).demo.rate, 0.5);
    const f = await configOf({ files: { follow: ['/var/log/a.log'], fromStart: true } }, '--follow', '/var/log/b.log');
    assert.deepEqual(f.files, { follow: ['/var/log/b.log'], fromStart: true }, '--follow replaces the list, and keeps the file\'s fromStart');
  });

  test('--tls-key alone keeps the file\'s certFile; with no certificate anywhere it is refused by name', async () => {
    const c = await configOf({ syslog: { tcp: { tls: { certFile: '/etc/nml/cert.pem', keyFile: '/etc/nml/old.pem' } } } }, '--tls-key', '/etc/nml/new.pem');
    assert.deepEqual(c.syslog.tcp.tls, { certFile: '/etc/nml/cert.pem', keyFile: '/etc/nml/new.pem' });
    await assert.rejects(configOf(null, '--tls-key', '/etc/nml/new.pem'), (e: Error & { code?: string }) => e.code === 'CONFIG_INVALID' && /needs a certificate too: give --tls-cert/.test(e.message));
  });
});

test("the plain line of a start names the first admin's password file while it is there, else how to list users", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-serve-line-'));
  try {
    writeFileSync(join(dir, 'admin-password'), 'x'.repeat(20) + '\n');
    assert.equal(webUiLine('http://127.0.0.1:8823', dir), `NML web UI: http://127.0.0.1:8823/  log in as admin with the password in ${join(dir, 'admin-password')} (cat it; change it under Account in the user menu)\n`);
    rmSync(join(dir, 'admin-password'));
    assert.equal(webUiLine('http://127.0.0.1:8823', dir), `NML web UI: http://127.0.0.1:8823/  (users: nml user list --data ${dir})\n`);
    // with http.publicUrl: where people open it first, where it listens beside it
    assert.equal(webUiLine('http://127.0.0.1:8823', dir, 'https://nml.example.com'), `NML web UI: https://nml.example.com/ (listening on http://127.0.0.1:8823/)  (users: nml user list --data ${dir})\n`);
    assert.equal(webUiLine('http://127.0.0.1:8823', dir, 'https://proxy.example/nml/'), `NML web UI: https://proxy.example/nml/ (listening on http://127.0.0.1:8823/)  (users: nml user list --data ${dir})\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

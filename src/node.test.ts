/**
 * startNode's one cleanup path: a start that fails after everything was opened (the HTTP port is
 * taken) rejects with a clear AppError and leaves nothing open: no lock on the data directory, no
 * worker, socket or timer that would keep the process alive.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { isAppError } from './core/index.js';
import { resolveConfig } from './config.js';
import { startNode } from './node.js';
import { UserStore } from './serve/index.js';
import { FAST_SCRYPT } from './serve/users/testing.js';

const root = mkdtempSync(join(tmpdir(), 'nml-node-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Waits until the process holds no more than `baseline` (closing sockets and workers take a moment). */
async function resourcesBackTo(baseline: readonly string[]): Promise<string[]> {
  const want = [...baseline].sort();
  let now: string[] = [];
  for (let i = 0; i < 40; i++) {
    now = process.getActiveResourcesInfo().sort();
    if (now.length === want.length && now.every((r, j) => r === want[j])) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return now;
}

test('an http port in use: HTTP_LISTEN_FAILED naming the address and the flag, and nothing left open', async () => {
  const dir = join(root, 'busy');
  mkdirSync(dir);
  // an admin made with cheap scrypt, so that the start does not spend seconds creating one
  const users = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT });
  await users.add('admin', 'a password of the test', 'admin');
  users.close();
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as AddressInfo).port;
  try {
    const baseline = process.getActiveResourcesInfo();
    const config = resolveConfig({
      dataDir: dir,
      http: { host: '127.0.0.1', port },
      syslog: { udp: { host: '127.0.0.1', port: 0 }, tcp: { host: '127.0.0.1', port: 0 } },
      search: { threads: 2 },
      store: { lanes: 2 },
    });
    await assert.rejects(startNode(config, pino({ level: 'silent' })), (e: unknown) => {
      assert.ok(isAppError(e), `an AppError, got ${String(e)}`);
      assert.equal(e.code, 'HTTP_LISTEN_FAILED');
      assert.equal(e.kind, 'unavailable');
      assert.match(e.message, new RegExp(`^serve: cannot listen for http on 127\\.0\\.0\\.1:${port}: address in use; pick another --http-port`));
      assert.deepEqual(e.details, { host: '127.0.0.1', port });
      return true;
    });
    assert.equal(existsSync(join(dir, 'nml.lock')), false, 'the store was closed: no lock left on the data directory');
    // the collectors had bound their ports and the writer and search workers had started: all gone
    assert.deepEqual(await resourcesBackTo(baseline), [...baseline].sort());
  } finally {
    busy.close();
  }
});

test('a followed file that does not exist yet, and a blocklist folder that cannot be read, are warnings; the node runs on', async () => {
  const dir = join(root, 'follow');
  mkdirSync(dir);
  const missing = join(dir, 'not-yet.log');
  const notAFolder = join(dir, 'blocklists.txt');
  writeFileSync(notAFolder, '203.0.113.9\n');
  let out = '';
  const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } }));
  const config = resolveConfig({
    dataDir: dir,
    http: { enabled: false },
    syslog: { udp: { enabled: false }, tcp: { enabled: false } },
    files: { follow: [missing] },
    investigate: { blocklistsDir: notAFolder },
    search: { threads: 2 },
    store: { lanes: 2 },
  });
  const node = await startNode(config, logger);
  try {
    assert.match(out, new RegExp(`"file":"${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}".*followed file does not exist yet`));
    for (let i = 0; i < 100 && !out.includes('blocklists folder could not be loaded'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(out, /"folder":"blocklists".*the blocklists folder could not be loaded; pivots show no blocklists until it is fixed/);
  } finally {
    await node.stop();
  }
});

test('findings.maxAgeMs: findings older than the limit on both clocks are deleted at start and the pass is logged', async () => {
  const dir = join(root, 'findings-retention');
  mkdirSync(dir);
  const DAY = 86_400_000;
  const old = Date.now() - 40 * DAY;
  const { FindingsStore } = await import('./detect/index.js');
  const seed = new FindingsStore(join(dir, 'findings.db'), () => old);
  const at = (entity: string, time: number) => ({ detector: 'url', entity, score: 0.99, threshold: 0.9, modelVersion: 't', time, explanation: { summary: 's', detail: {} }, evidence: { query: 'q', from: time, to: time + 1 } });
  seed.record([at('url:old.example/', old), at('url:recent.example/', Date.now() - DAY)]);
  seed.close();
  let out = '';
  const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } }));
  const config = resolveConfig({ dataDir: dir, http: { enabled: false }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, url: { live: false }, findings: { maxAgeMs: 30 * DAY }, search: { threads: 1 }, store: { lanes: 1 } });
  const node = await startNode(config, logger);
  try {
    assert.deepEqual(node.findings.list().findings.map((f) => f.entity), ['url:recent.example/']);
    assert.match(out, /"removed":1.*findings retention: findings last seen before the cutoff deleted/);
  } finally {
    await node.stop();
  }
});

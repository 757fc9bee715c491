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
import { createSocket } from 'node:dgram';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { AppError, isAppError } from './core/index.js';
import type { SyslogUdpSource } from './collect/index.js';
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

test('an http host that is no address of this machine: HTTP_LISTEN_FAILED, bad_request (a bad value: exit 2), and nothing left open', async () => {
  const dir = join(root, 'elsewhere');
  mkdirSync(dir);
  const users = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT });
  await users.add('admin', 'a password of the test', 'admin');
  users.close();
  // 192.0.2.1: TEST-NET-1 (RFC 5737), on no interface of a test machine
  const config = resolveConfig({ dataDir: dir, http: { host: '192.0.2.1', port: 0 }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, search: { threads: 1 }, store: { lanes: 1 } });
  await assert.rejects(startNode(config, pino({ level: 'silent' })), (e: unknown) => {
    assert.ok(isAppError(e), `an AppError, got ${String(e)}`);
    assert.deepEqual([e.code, e.kind], ['HTTP_LISTEN_FAILED', 'bad_request']);
    assert.match(e.message, /^serve: cannot listen for http on 192\.0\.2\.1:0: .*; give --http-host \(http\.host\) an address of this machine/);
    return true;
  });
  assert.equal(existsSync(join(dir, 'nml.lock')), false, 'the store was closed');
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

test("nml serve's stop sends the findings that wait in a webhook's 5 s window instead of dropping them, in a bounded time", async () => {
  const dir = join(root, 'notify-stop');
  mkdirSync(dir);
  const { webhookReceiver } = await import('./detect/findings/testing.js');
  const rx = await webhookReceiver();
  const config = resolveConfig({ dataDir: dir, http: { enabled: false }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, url: { live: false }, findings: { notify: [{ url: rx.url }] }, search: { threads: 1 }, store: { lanes: 1 } });
  const node = await startNode(config, pino({ level: 'silent' }));
  try {
    node.findings.record([{ detector: 'url', entity: 'url:late.example/', score: 0.99, threshold: 0.9, modelVersion: 't', time: Date.now(), explanation: { summary: 's', detail: {} }, evidence: { query: 'q', from: 0, to: 1 } }]);
  } finally {
    const t0 = performance.now();
    await node.stop();
    assert.ok(performance.now() - t0 < 3_500, 'the stop waits at most the grace');
  }
  try {
    assert.equal(rx.received.length, 1, 'sent at stop');
    assert.match(JSON.stringify(rx.received[0]!.body), /url:late\.example\//);
    assert.equal(existsSync(join(dir, 'findings-notify-outbox.json')), false, 'nothing left to keep');
  } finally {
    await rx.close();
  }
});

/** A pino logger that writes into `sink.out`. */
function capture(): { logger: ReturnType<typeof pino>; sink: { out: string } } {
  const sink = { out: '' };
  return { sink, logger: pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { sink.out += String(chunk); done(); } })) };
}

test('a retention pass that removes shards is one line in the server log: what went, why, and the oldest time kept', async () => {
  const dir = join(root, 'store-retention');
  mkdirSync(dir);
  const { logger, sink } = capture();
  const config = resolveConfig({ dataDir: dir, http: { enabled: false }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, url: { live: false }, search: { threads: 1 }, store: { lanes: 1, retention: { maxAgeMs: null, maxBytes: 1 }, relations: { enabled: false } } });
  const node = await startNode(config, logger);
  try {
    const t = Date.now() - 3_600_000;
    await node.store.writer.write([1, 2, 3].map((i) => ({ line: `old line ${i}`, receivedAt: t, source: 's' })));
    await node.store.writer.flush();
    assert.equal(node.store.runRetention().removed, 1);
    assert.match(sink.out, /"level":30,.*"store":true,"shards":1,"lines":3,"bytes":\d+,"relationFiles":0,"reason":"size","oldestKept":null,.*"msg":"store: retention removed 1 shard\(s\), 3 line\(s\) and \d+ bytes, to bring the data under retention\.maxBytes \(1 bytes\); no line is left"/);
    assert.equal(node.store.stats().retentionRemovedLines, 3);
  } finally {
    await node.stop();
  }
});

test('a closed hour merged into one shard is one info line in the server log: the hour, shards, lines, bytes before and after, ms; never the lines', async () => {
  const dir = join(root, 'store-merge');
  mkdirSync(dir);
  const { logger, sink } = capture();
  // hourShardsAfterMs null: lines of a past hour go to its minute shards, which the merge takes
  const config = resolveConfig({ dataDir: dir, http: { enabled: false }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, url: { live: false }, search: { threads: 1 }, store: { lanes: 1, sealIdleMs: 0, hourShardsAfterMs: null, relations: { enabled: false }, compaction: { checkMs: 0 } } });
  const node = await startNode(config, logger);
  try {
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    await node.store.writer.write([0, 1, 2].map((m) => ({ line: `login password=hunter2 minute ${m}`, receivedAt: hour + m * 60_000, source: 's' })));
    await node.store.writer.flush();
    const [outcome] = await node.store.compact();
    assert.equal(outcome?.error, undefined, JSON.stringify(outcome));
    const iso = new Date(hour).toISOString().replace(/[.]/g, '\\.');
    const line = sink.out.split('\n').find((l) => l.includes('store: merged'));
    assert.ok(line !== undefined, sink.out);
    assert.match(line, new RegExp(`"level":30,.*"store":true,"hour":"${iso}","rel":"[0-9/]+hour-0\\.db","sources":3,"rows":3,"bytesBefore":\\d+,"bytesAfter":\\d+,"ms":\\d+,.*"msg":"store: merged the 3 shards of the hour from ${iso} into [0-9/]+hour-0\\.db: 3 lines, \\d+ bytes before, \\d+ after, in \\d+ ms"`));
    assert.ok(!sink.out.includes('hunter2'), 'the lines themselves are never logged');
  } finally {
    await node.stop();
  }
});

test("syslog lines the store refuses (disk full) are a warning in the server log with the store's reason, never their text", async () => {
  const dir = join(root, 'write-failed');
  mkdirSync(dir);
  const { logger, sink } = capture();
  const config = resolveConfig({ dataDir: dir, http: { enabled: false }, syslog: { udp: { host: '127.0.0.1', port: 0 }, tcp: { enabled: false } }, url: { live: false }, search: { threads: 1 }, store: { lanes: 1 } });
  const node = await startNode(config, logger);
  const client = createSocket('udp4');
  try {
    node.store.writer.write = () => Promise.reject(new AppError('STORE_DISK_FULL', 'unavailable', `store: the disk holding ${dir} is full (SQLITE_FULL); free space there or lower store.retention.maxBytes, then resend`));
    const { port } = (node.sources[0] as SyslogUdpSource).address();
    await new Promise<void>((resolve, reject) => client.send('<13>host app: login password=hunter2', port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    for (let i = 0; i < 100 && !sink.out.includes('dropped'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(sink.out, /"level":40,.*"sourceKind":"udp","sources":\["udp:127\.0\.0\.1:\d+"\],"dropped":1,"code":"STORE_DISK_FULL",.*"msg":"collect: 1 line\(s\) from udp:127\.0\.0\.1:\d+ dropped: the store refused them \(store: the disk holding .* is full \(SQLITE_FULL\)/);
    assert.ok(!sink.out.includes('hunter2'), 'the line itself is never logged');
    assert.equal(node.sources[0]!.stats().drops.write_failed, 1);
  } finally {
    client.close();
    await node.stop();
  }
});

test('--demo brings its threat feed: the demo\'s command-and-control domains are a blocklist held in memory, none on disk; without --demo there is none', async () => {
  for (const demo of [true, false]) {
    const dir = join(root, `demo-feed-${demo}`);
    mkdirSync(dir);
    const { logger, sink } = capture();
    const config = resolveConfig({ dataDir: dir, http: { enabled: false }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, demo: { enabled: demo, rate: 0.5 }, url: { live: false }, search: { threads: 1 }, store: { lanes: 1 } });
    const node = await startNode(config, logger);
    try {
      for (let i = 0; i < 200 && !sink.out.includes('investigation sources loaded'); i++) await new Promise((r) => setTimeout(r, 20));
      const loaded = /"blocklists":\{"ips":(\d+),"networks":(\d+),"domains":(\d+)\}.*"msg":"investigation sources loaded"/.exec(sink.out);
      assert.ok(loaded !== null, sink.out.slice(-2000));
      assert.equal(Number(loaded[3]), demo ? 8 : 0, `domains with demo ${demo}`);
      assert.equal(existsSync(join(dir, 'blocklists')), false, 'nothing written where the blocklist folder would be');
    } finally {
      await node.stop();
    }
  }
});

test("users named 'me' or 'none' before those were reserved: nml serve starts and says so in one warning naming each, with how to rename them", async () => {
  const dir = join(root, 'reserved-names');
  mkdirSync(dir);
  const users = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT });
  await users.add('admin', 'a password of the test', 'admin');
  await users.add('me-old', 'a password of the test', 'viewer');
  await users.add('none-old', 'a password of the test', 'analyst');
  users.close();
  // as an older server left them: the names were free then
  const db = new Database(join(dir, 'users.db'));
  db.prepare("UPDATE users SET name = substr(name, 1, length(name) - 4) WHERE name LIKE '%-old'").run();
  db.close();
  const { logger, sink } = capture();
  const config = resolveConfig({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, url: { live: false }, search: { threads: 1 }, store: { lanes: 1, relations: { enabled: false } } });
  const node = await startNode(config, logger);
  try {
    const warnings = sink.out.split('\n').filter((l) => l.includes('reserved since made'));
    assert.equal(warnings.length, 1, sink.out);
    const line = JSON.parse(warnings[0]!) as { level: number; users: string[]; msg: string };
    assert.deepEqual([line.level, line.users], [40, ['me', 'none']]);
    assert.match(line.msg, /^users: 'me' \(viewer; the findings filter assignee=me means the user asking\), 'none' \(analyst; the findings filter assignee=none means findings assigned to nobody\) have names reserved since made\. Nothing is renamed: .* To rename: add a new user \(nml user add NEW --role ROLE --data .*\), move the findings to it .*then remove the old one \(nml user del OLD --data .*\), which unassigns any left$/);
  } finally {
    await node.stop();
  }
});

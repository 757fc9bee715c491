/**
 * Watches in `nml serve`, end to end on a real store: a watch made through the API is counted at once,
 * trips into a finding (detector `watch`) that a webhook is told of; resolved, it reopens at the next trip
 * (after an edit, counted at once) and the webhook hears `reopened`; its own finding line in the store is
 * not counted; the metrics carry the counters. And `nml backup` carries watches.db, `nml restore` brings it back.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { resolveConfig } from './config.js';
import { openStore } from './open-store.js';
import { startNode } from './node.js';
import { WatchStore } from './serve/index.js';
import { restoreBackup, takeBackup, verifyBackup } from './backup/index.js';
import { webhookReceiver } from './detect/findings/testing.js';
import type { Finding } from './detect/index.js';

const root = mkdtempSync(join(tmpdir(), 'nml-watch-serve-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function until(what: string, ok: () => boolean | Promise<boolean>, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Message = { findings: Array<{ raised: string; detector: string; entity: string; summary: string; count: number }> };

test('a watch trips into a finding a webhook hears of; resolved, the next trip reopens it; its own finding line is not counted', async () => {
  const data = join(root, 'data');
  const store = openStore(resolveConfig({ dataDir: data }));
  const now = Date.now();
  const lines = [
    ...Array.from({ length: 60 }, (_, i) => `${new Date(now - 60_000 + i * 100).toISOString()} bastion sshd[4${i}]: Failed password for root from 203.0.113.9 port 22 ssh2`),
    ...Array.from({ length: 30 }, (_, i) => `${new Date(now - 60_000 + i * 100).toISOString()} bastion sshd[5${i}]: Accepted publickey for deploy from 10.0.0.4`),
    // outside the window: not counted
    ...Array.from({ length: 20 }, (_, i) => `${new Date(now - 3_600_000 + i).toISOString()} bastion sshd[6${i}]: Failed password for admin from 203.0.113.10`),
  ];
  await store.writer.write(lines.map((line) => ({ line, receivedAt: now, source: 'test' })));
  await store.close();
  const rx = await webhookReceiver();
  const config = resolveConfig({
    dataDir: data,
    http: { host: '127.0.0.1', port: 0 },
    syslog: { udp: { enabled: false }, tcp: { enabled: false } },
    url: { live: false },
    search: { threads: 1 },
    store: { lanes: 1 },
    findings: { notify: [{ url: rx.url }] },
  });
  const node = await startNode(config, pino({ level: 'silent' }), { watchTickMs: 20 });
  try {
    const token = readFileSync(join(data, 'api-token'), 'utf8').trim();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the replies are read as the API documents them
    const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${node.httpUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : text };
    };
    const made = await call('POST', '/api/watches', { name: 'failed logins', query: '"failed password"', threshold: 50, window: '5m' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const id = made.json.watch.id as number;

    const watchFindings = async () => (await call('GET', '/api/findings?detector=watch&status=open,acknowledged,resolved,false-positive')).json.findings as Finding[];
    await until('the watch counted and its finding recorded', async () => (await watchFindings()).length === 1);
    const f = (await watchFindings())[0]!;
    assert.equal(f.entity, 'watch:failed logins');
    assert.equal(f.score, 1);
    assert.equal(f.threshold, 50);
    assert.match(f.explanation.summary, /^60 lines matched `"failed password"` in the 5 min to \d\d:\d\d UTC \(threshold 50\)$/);
    const w = (await call('GET', '/api/watches')).json.watches[0];
    assert.deepEqual({ count: w.last.count, fired: w.last.fired, span: w.last.to - w.last.from }, { count: 60, fired: true, span: 300_000 });
    await rx.waitFor(1);
    const first = (rx.received[0]!.body as unknown as Message).findings[0]!;
    assert.deepEqual({ raised: first.raised, detector: first.detector, entity: first.entity }, { raised: 'new', detector: 'watch', entity: 'watch:failed logins' });

    const metrics = (await call('GET', '/metrics')).json as string;
    assert.match(metrics, /^nml_watches\{state="enabled"\} 1$/m);
    assert.match(metrics, /^nml_watch_evaluations_total [1-9]\d*$/m);
    assert.match(metrics, /^nml_watch_errors_total 0$/m);

    // resolved; an edit is counted at once and trips again: the finding reopens, the webhook hears it
    assert.equal((await call('PATCH', `/api/findings/${f.id}`, { status: 'resolved' })).status, 200);
    // the finding's own line (app nml-detect, its summary quoting the query) is in the store by now
    await until('the finding line stored', async () => (await call('GET', `/api/count?q=${encodeURIComponent('app:nml-detect "failed password"')}&from=-1h`)).json.count === 1);
    assert.equal((await call('PATCH', `/api/watches/${id}`, { every: '2m' })).status, 200);
    await until('the resolved finding reopened', async () => (await watchFindings())[0]!.triage.status === 'open');
    const again = (await watchFindings())[0]!;
    assert.equal(again.count, 2, 'two trips');
    assert.ok(again.triage.reopenedAt !== null);
    assert.match(again.explanation.summary, /^60 lines matched/, 'the finding line is not counted');
    await rx.waitFor(2);
    const second = (rx.received[1]!.body as unknown as Message).findings[0]!;
    assert.deepEqual({ raised: second.raised, entity: second.entity }, { raised: 'reopened', entity: 'watch:failed logins' });
  } finally {
    await node.stop();
    await rx.close();
  }
});

test('nml backup carries watches.db and nml restore brings it back', async () => {
  const data = join(root, 'backed');
  const s0 = openStore(resolveConfig({ dataDir: data }));
  await s0.close();
  const watches = new WatchStore(join(data, 'watches.db'));
  watches.add({ name: 'failed logins', query: '"failed password"', threshold: 50, window: '15m', every: '5m' }, 'alice');
  watches.recordRun(1, { at: 5, from: 1, to: 5, count: 3, fired: false });
  const before = watches.list();
  watches.close();
  const out = join(root, 'bk');
  const manifest = await takeBackup({ dataDir: data, out, includeSecrets: false, nmlVersion: 'test' });
  assert.ok(manifest.files.some((f) => f.path === 'watches.db'), 'the manifest lists watches.db');
  assert.deepEqual(verifyBackup(out).problems, []);
  const target = join(root, 'restored');
  restoreBackup(out, target);
  const restored = new WatchStore(join(target, 'watches.db'));
  try {
    assert.deepEqual(restored.list(), before);
  } finally {
    restored.close();
  }
});

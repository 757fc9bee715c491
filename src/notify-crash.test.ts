/**
 * The findings webhooks' outbox kept while the server runs: a process killed (SIGKILL: no stop, no
 * drain) with messages waiting behind a refusing webhook leaves them in `<data>/findings-notify-outbox.json`,
 * and the next start sends them; a message a webhook rejected with a 4xx was given up, is not kept, and
 * is not sent again after the restart. Killed inside a batching window, the findings it held are sent
 * at the next start (the webhook's mark in findings.db), and one delivered before the kill is not.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from './config.js';
import { openFindingsNotify } from './notify-wiring.js';
import { FindingsStore } from './detect/index.js';
import { webhookReceiver } from './detect/findings/testing.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nml-notify-crash-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** The server's part, in a process of its own so that it can be killed: the webhooks wired to a findings store, two findings recorded a window apart. */
const CHILD = (modules: Record<'config' | 'wiring' | 'detect', string>) => `
const { resolveConfig } = await import(${JSON.stringify(modules.config)});
const { openFindingsNotify } = await import(${JSON.stringify(modules.wiring)});
const { FindingsStore } = await import(${JSON.stringify(modules.detect)});
const [dataDir, down, reject] = process.argv.slice(2);
const store = new FindingsStore(':memory:');
const quiet = { info: () => undefined, warn: () => undefined };
openFindingsNotify(resolveConfig({ dataDir, findings: { notify: [{ url: down }, { url: reject }] } }), store, quiet, Date.now(), { windowMs: 100, keepEveryMs: 200 });
const finding = (entity) => ({ detector: 'url', entity, score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_700_000_000_000, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: 1 } });
store.record([finding('url:a.example/')]);
setTimeout(() => store.record([finding('url:b.example/')]), 300);
setInterval(() => undefined, 1000);
`;

type Message = { findings: Array<{ entity: string }> };
const entities = (body: unknown): string[] => (body as Message).findings.map((f) => f.entity);

async function until(what: string, ok: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('killed with messages waiting behind a 503 webhook, the next start sends them; a message rejected with a 4xx is not kept nor sent again', async () => {
  let up = false;
  const rx = await webhookReceiver((_n, res, path) => {
    if (path.startsWith('/reject')) res.writeHead(400).end();
    else if (up) res.end('ok');
    else res.writeHead(503).end();
  });
  const down = `${rx.base}/down/SECRETPATH`;
  const reject = `${rx.base}/reject/SECRETPATH`;
  const dir = mkdtempSync(join(dataDir, 'killed-'));
  const outbox = join(dir, 'findings-notify-outbox.json');
  const script = join(dataDir, 'server.mjs');
  writeFileSync(script, CHILD({ config: new URL('./config.js', import.meta.url).href, wiring: new URL('./notify-wiring.js', import.meta.url).href, detect: new URL('./detect/index.js', import.meta.url).href }));
  const child = spawn(process.execPath, [script, dir, down, reject], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const store = new FindingsStore(':memory:');
  try {
    const hits = (prefix: string) => rx.received.filter((r) => r.path.startsWith(prefix));
    // both windows closed into the 503 webhook's queue (the first tried and retried, the second waiting behind it), kept on disk
    const kept = (): string[] => {
      try {
        return (JSON.parse(readFileSync(outbox, 'utf8')) as { entries: Array<{ batch: { findings: Array<{ finding: { entity: string } }> } }> }).entries.flatMap((e) => e.batch.findings.map((f) => f.finding.entity));
      } catch {
        return [];
      }
    };
    await until('a message tried and both in the outbox', () => hits('/down').length >= 1 && kept().length === 2);
    await until('both messages rejected with 400', () => hits('/reject').length === 2);
    assert.equal(statSync(outbox).mode & 0o777, 0o600);
    assert.doesNotMatch(readFileSync(outbox, 'utf8'), /SECRET/);
    // the 400s were given up: the outbox holds only the 503 webhook's messages (a write after the last change)
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(kept().sort(), ['url:a.example/', 'url:b.example/']);
    const tried = (JSON.parse(readFileSync(outbox, 'utf8')) as { entries: Array<{ attempts?: number; retryAt?: number }> }).entries[0]!;
    assert.ok(tried.attempts! >= 1 && tried.retryAt! > 0, 'the message being retried keeps its failed tries and next try, so a restart does not begin its retries again');
    child.kill('SIGKILL');
    await exited;
    const rejectedBefore = hits('/reject').length;
    const downBefore = hits('/down').length;

    up = true;
    const said: string[] = [];
    const log = { info: (_f: Record<string, unknown>, m: string) => said.push(m), warn: (_f: Record<string, unknown>, m: string) => said.push(m) };
    const next = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url: down }, { url: reject }] } }), store, log)!;
    try {
      assert.match(said.join('\n'), /2 findings messages from before the restart, sending/);
      await rx.waitFor(downBefore + 2 + rejectedBefore);
      const resent = rx.received.slice(downBefore + rejectedBefore);
      assert.deepEqual(resent.map((r) => r.path.split('/')[1]), ['down', 'down']);
      assert.deepEqual(resent.flatMap((r) => entities(r.body)).sort(), ['url:a.example/', 'url:b.example/']);
      await until('both delivered and the outbox removed', () => next.notifier.stats()[0]!.sent === 2 && !existsSync(outbox));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(hits('/reject').length, rejectedBefore, 'what the webhook rejected with a 4xx is not sent again after the restart');
    } finally {
      await next.close();
    }
    assert.equal(existsSync(outbox), false, 'all sent: nothing kept');
  } finally {
    child.kill('SIGKILL');
    store.close();
    await rx.close();
  }
});

/**
 * The server's part for the window test: findings.db on disk. `deliver` records url:a and waits until its
 * message was delivered and the webhook's mark in findings.db says so; `raise` (a batching window of a
 * minute, so the kill comes inside it) resolves url:a, records it again (reopened) and url:b (new).
 * Each step prints its name when done.
 */
const WINDOW_CHILD = (modules: Record<'config' | 'wiring' | 'detect', string>) => `
const { join } = await import('node:path');
const { resolveConfig } = await import(${JSON.stringify(modules.config)});
const { openFindingsNotify } = await import(${JSON.stringify(modules.wiring)});
const { FindingsStore } = await import(${JSON.stringify(modules.detect)});
const [dataDir, url, step] = process.argv.slice(2);
const store = new FindingsStore(join(dataDir, 'findings.db'));
const quiet = { info: () => undefined, warn: () => undefined };
openFindingsNotify(resolveConfig({ dataDir, findings: { notify: [{ url }] } }), store, quiet, Date.now(), { windowMs: step === 'deliver' ? 50 : 60_000, keepEveryMs: 50 });
const finding = (entity) => ({ detector: 'url', entity, score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_700_000_000_000, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: 1 } });
if (step === 'deliver') {
  store.record([finding('url:a.example/')]);
  const id = store.find('url', 'url:a.example/').id;
  const poll = setInterval(() => {
    if (store.notifyMarks().read()[0].mark.finding >= id) {
      clearInterval(poll);
      console.log('deliver');
    }
  }, 10);
} else {
  store.triage(store.find('url', 'url:a.example/').id, 'resolved', 'benign', 'ann');
  store.record([finding('url:a.example/'), finding('url:b.example/')]);
  console.log('raise');
}
setInterval(() => undefined, 1000);
`;

/** Runs a step of WINDOW_CHILD and SIGKILLs it once it printed that the step is done. */
async function killedAfter(script: string, args: string[], step: string): Promise<void> {
  const child = spawn(process.execPath, [script, ...args, step], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.split('\n').includes(step)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the ${step} step exited (${code}) before it was done`)));
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

test('killed inside the batching window: the next start sends a message with the findings it held (one new, one reopened); the finding delivered before the kill is not sent again', async () => {
  const rx = await webhookReceiver();
  const url = `${rx.base}/hook/SECRETPATH`;
  const dir = mkdtempSync(join(dataDir, 'window-'));
  const script = join(dataDir, 'window-server.mjs');
  writeFileSync(script, WINDOW_CHILD({ config: new URL('./config.js', import.meta.url).href, wiring: new URL('./notify-wiring.js', import.meta.url).href, detect: new URL('./detect/index.js', import.meta.url).href }));
  const store = new FindingsStore(join(dir, 'findings.db'));
  try {
    await killedAfter(script, [dir, url], 'deliver');
    assert.deepEqual(rx.received.map((r) => entities(r.body)), [['url:a.example/']]);
    await killedAfter(script, [dir, url], 'raise');
    assert.equal(rx.received.length, 1, 'the window was open at the kill: nothing was sent');
    assert.equal(existsSync(join(dir, 'findings-notify-outbox.json')), false, 'and nothing was in the outbox');

    const said: string[] = [];
    const log = { info: (_f: Record<string, unknown>, m: string) => said.push(m), warn: (_f: Record<string, unknown>, m: string) => said.push(m) };
    const next = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url }] } }), store, log, Date.now(), { windowMs: 50 })!;
    assert.match(said.join('\n'), /2 findings raised before the restart went out in no message .*; sending them/);
    await rx.waitFor(2);
    const resent = rx.received[1]!.body as { findings: Array<{ entity: string; raised: string }> };
    assert.deepEqual(resent.findings.map((f) => `${f.entity} ${f.raised}`).sort(), ['url:a.example/ reopened', 'url:b.example/ new']);
    await next.close();
    assert.equal(rx.received.length, 2, "url:a's first message, delivered before the kill, is not sent again; nothing else is");

    // the marks say both were announced: a start after a clean stop sends nothing
    const again = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url }] } }), store, log, Date.now(), { windowMs: 50 })!;
    await again.close();
    assert.equal(rx.received.length, 2);
  } finally {
    store.close();
    await rx.close();
  }
});

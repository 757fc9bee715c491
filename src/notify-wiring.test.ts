/** The serve wiring of findings webhooks: one listener on the store for every detector, the count said at start, what is unsent at stop kept for the next start. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from './config.js';
import { openFindingsNotify } from './notify-wiring.js';
import { FindingsStore, writeOutbox, type NewFinding } from './detect/index.js';
import { webhookReceiver } from './detect/findings/testing.js';

/** a webhook message's findings, as much of them as these tests read */
type Message = { findings: Array<{ detector: string; entity: string; link?: string }> };

const dataDir = mkdtempSync(join(tmpdir(), 'nml-notify-wiring-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const finding = (detector: string, entity: string): NewFinding => ({ detector, entity, score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_700_000_000_000, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: 1 } });

test('serve sends the new findings of the URL and SYN detectors to the configured webhooks, and says how many webhooks there are', async () => {
  const rx = await webhookReceiver();
  const url = `${rx.base}/hook/SECRET`;
  const said: string[] = [];
  const log = { info: (f: Record<string, unknown>, m: string) => said.push(`${JSON.stringify(f)} ${m}`), warn: (f: Record<string, unknown>, m: string) => said.push(`${JSON.stringify(f)} ${m}`) };
  const store = new FindingsStore(':memory:');
  try {
    assert.equal(openFindingsNotify(resolveConfig({ dataDir }), store, log), null);
    assert.match(said[0]!, /no webhooks configured \(findings\.notify\)/);
    const wired = openFindingsNotify(resolveConfig({ dataDir, findings: { notify: [{ url }, { url, detectors: ['syn'] }] } }), store, log)!;
    assert.match(said[1]!, /findings notify: 2 webhooks configured/);
    assert.doesNotMatch(said.join('\n'), /SECRET/);
    store.record([finding('url', 'url:evil.example/'), finding('syn', 'ip:192.0.2.9'), finding('syn-flood', 'ip:10.0.0.1')]);
    await rx.waitFor(2);
    const seen = rx.received.map((r) => (r.body as unknown as Message).findings.map((f) => f.detector).join(',')).sort();
    assert.deepEqual(seen, ['syn', 'url,syn,syn-flood']);
    // counted once the answer is back, a moment after the receiver has the body
    for (let i = 0; i < 100 && wired.notifier.stats().some((s) => s.sent === 0); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(wired.notifier.stats().map((s) => [s.name, s.sent]), [['127.0.0.1#0', 1], ['127.0.0.1#1', 1]]);
    await wired.close();
    store.record([finding('url', 'url:other.example/')]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(rx.received.length, 2, 'nothing offered after close');
  } finally {
    store.close();
    await rx.close();
  }
});

test('with http.publicUrl, serve\'s messages link each finding to the Alerts page at that address', async () => {
  const rx = await webhookReceiver();
  const url = `${rx.base}/hook`;
  const quiet = { info: () => undefined, warn: () => undefined };
  const store = new FindingsStore(':memory:');
  const wired = openFindingsNotify(resolveConfig({ dataDir, http: { publicUrl: 'https://nml.example.com/' }, findings: { notify: [{ url }] } }), store, quiet)!;
  try {
    store.record([finding('url', 'url:evil.example/?a=1&b=%2')]);
    await rx.waitFor(1);
    assert.equal((rx.received[0]?.body as unknown as Message | undefined)?.findings[0]?.link, 'https://nml.example.com/alerts?status=all&entity=url%3Aevil.example%2F%3Fa%3D1%26b%3D%252');
  } finally {
    await wired.close();
    store.close();
    await rx.close();
  }
});

/** A log that keeps its lines. */
function lines(): { said: string[]; info(f: Record<string, unknown>, m: string): void; warn(f: Record<string, unknown>, m: string): void } {
  const said: string[] = [];
  return { said, info: (f, m) => said.push(`${JSON.stringify(f)} ${m}`), warn: (f, m) => said.push(`${JSON.stringify(f)} ${m}`) };
}

test('a stop with a failing webhook keeps the unsent messages (no secret in the file) within the grace; the next start says so and sends them', async () => {
  let up = false;
  const rx = await webhookReceiver((_n, res) => (up ? res.end('ok') : res.writeHead(503).end()));
  const dir = mkdtempSync(join(dataDir, 'restart-'));
  const config = resolveConfig({ dataDir: dir, findings: { notify: [{ url: rx.url, headers: { Authorization: 'Bearer SECRETHEADER' } }] } });
  const store = new FindingsStore(':memory:');
  try {
    const log = lines();
    const first = openFindingsNotify(config, store, log)!;
    store.record([finding('url', 'url:a.example/')]);
    store.record([finding('url', 'url:b.example/')]);
    const t0 = performance.now();
    await first.close();
    const took = performance.now() - t0;
    assert.ok(took < 3_500, `the stop took ${took} ms`);
    const tried = rx.received.length;
    assert.ok(tried >= 1, 'the window was closed and the message tried (and retried) during the grace');
    const outbox = join(dir, 'findings-notify-outbox.json');
    assert.doesNotMatch(readFileSync(outbox, 'utf8'), /SECRET/);
    assert.match(log.said.at(-1)!, /1 findings message not sent before the stop kept in .*findings-notify-outbox\.json; the next start sends them/);
    up = true;
    const again = lines();
    const second = openFindingsNotify(config, store, again)!;
    try {
      assert.match(again.said.join('\n'), /1 findings message from before the restart, sending/);
      await rx.waitFor(tried + 1);
      const sent = rx.received[tried]!.body as unknown as Message;
      assert.deepEqual(sent.findings.map((f) => f.entity), ['url:a.example/', 'url:b.example/']);
    } finally {
      await second.close();
    }
    assert.equal(existsSync(outbox), false, 'all sent: nothing kept');
  } finally {
    store.close();
    await rx.close();
  }
});

test('at start the outbox of a webhook no longer configured is dropped in one line; one older than a day is dropped and counted', async () => {
  const hang = await webhookReceiver(() => undefined);
  const dir = mkdtempSync(join(dataDir, 'removed-'));
  const down = await webhookReceiver((_n, res) => res.writeHead(503).end());
  const store = new FindingsStore(':memory:');
  const gone = `${down.base}/gone/SECRET`;
  try {
    // one message for the webhook that stays, one for the one removed since
    const before = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url: hang.url }, { url: gone }] } }), store, lines())!;
    store.record([finding('url', 'url:old.example/')]);
    await before.close();
    const log = lines();
    // started again a day and a half later
    const late = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url: hang.url }] } }), store, log, Date.now() + 36 * 3_600_000)!;
    try {
      assert.equal(log.said.filter((l) => /127\.0\.0\.1#1 dropped: it is no longer in findings\.notify/.test(l)).length, 1, log.said.join('\n'));
      assert.match(log.said.join('\n'), /0 findings messages from before the restart, sending; 1 message older than 24 h dropped/);
      assert.deepEqual(late.notifier.stats().map((s) => [s.dropped, s.queued]), [[1, 0]]);
      assert.doesNotMatch(log.said.join('\n'), /SECRET/);
    } finally {
      await late.close();
    }
  } finally {
    store.close();
    await hang.close();
    await down.close();
  }
});

test("after a crash the findings its open window held go to the same webhook again, never to a new URL in its place: a webhook's mark is its URL's", async () => {
  const rx = await webhookReceiver();
  const dir = mkdtempSync(join(dataDir, 'rotated-'));
  const old = `${rx.base}/old/SECRET`;
  const rotated = `${rx.base}/new/SECRET`;
  const store = new FindingsStore(':memory:');
  try {
    // a window of a minute, abandoned as a crash leaves it: no stop, no drain, no outbox
    const crashed = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url: old }] } }), store, lines(), Date.now(), { windowMs: 60_000 })!;
    store.record([finding('url', 'url:before-rotation.example/')]);
    crashed.notifier.close();
    const log = lines();
    const next = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url: rotated }] } }), store, log, Date.now(), { windowMs: 20 })!;
    assert.doesNotMatch(log.said.join('\n'), /raised before the restart/);
    store.record([finding('url', 'url:after.example/')]);
    await rx.waitFor(1);
    await next.close();
    assert.deepEqual(rx.received.map((r) => [r.path.split('/')[1], (r.body as unknown as Message).findings.map((f) => f.entity)]), [['new', ['url:after.example/']]]);
    // the old URL back: its mark was forgotten when it left, so it starts from now, without the raisings of meanwhile
    const back = openFindingsNotify(resolveConfig({ dataDir: dir, findings: { notify: [{ url: old }] } }), store, log, Date.now(), { windowMs: 20 })!;
    await back.close();
    assert.equal(rx.received.length, 1);
  } finally {
    store.close();
    await rx.close();
  }
});

test('an outbox message delivered after the outbox was last written (its mark says so) is not sent again; one not delivered is', async () => {
  const rx = await webhookReceiver();
  const dir = mkdtempSync(join(dataDir, 'delivered-'));
  const config = resolveConfig({ dataDir: dir, findings: { notify: [{ url: rx.url }] } });
  const store = new FindingsStore(':memory:');
  try {
    const crashed = openFindingsNotify(config, store, lines(), Date.now(), { windowMs: 20 })!;
    store.record([finding('url', 'url:delivered.example/')]);
    await rx.waitFor(1);
    // the mark is written once the answer is back, a moment after the receiver has the body
    for (let i = 0; i < 100 && store.notifyMarks().read()[0]!.mark.finding < 1; i++) await new Promise((r) => setTimeout(r, 20));
    crashed.notifier.close();
    // the outbox as the keeper wrote it before the delivery, and a message after it (a later window)
    const message = (id: number, entity: string) => ({ index: 0, name: '127.0.0.1#0', queuedAt: Date.now(), batch: { findings: [{ finding: { ...store.get(id)!, entity }, raised: 'new' as const }], more: 0, moreIds: [], upTo: { finding: id, reopen: 0 } } });
    store.record([finding('url', 'url:waiting.example/')]);
    writeOutbox(join(dir, 'findings-notify-outbox.json'), [message(1, 'url:delivered.example/'), message(2, 'url:waiting.example/')], config.findings.notify);
    const log = lines();
    const next = openFindingsNotify(config, store, log, Date.now(), { windowMs: 20 })!;
    assert.match(log.said.join('\n'), /1 findings message from before the restart, sending; 1 message delivered after the outbox was last written not sent again/);
    assert.doesNotMatch(log.said.join('\n'), /raised before the restart/, 'url:waiting is in the outbox: not offered a second time');
    await rx.waitFor(2);
    await next.close();
    assert.deepEqual(rx.received.map((r) => (r.body as unknown as Message).findings.map((f) => f.entity)), [['url:delivered.example/'], ['url:waiting.example/']]);
  } finally {
    store.close();
    await rx.close();
  }
});

/** The serve wiring of findings webhooks: one listener on the store for every detector, the count said at start, closed cleanly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from './config.js';
import { openFindingsNotify } from './notify-wiring.js';
import { FindingsStore, type NewFinding } from './detect/index.js';
import { webhookReceiver } from './detect/findings/testing.js';

/** a webhook message's findings, as much of them as these tests read */
type Message = { findings: Array<{ detector: string; entity: string; link?: string }> };

const finding = (detector: string, entity: string): NewFinding => ({ detector, entity, score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_700_000_000_000, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: 1 } });

test('serve sends the new findings of the URL and SYN detectors to the configured webhooks, and says how many webhooks there are', async () => {
  const rx = await webhookReceiver();
  const url = `${rx.base}/hook/SECRET`;
  const said: string[] = [];
  const log = { info: (f: Record<string, unknown>, m: string) => said.push(`${JSON.stringify(f)} ${m}`), warn: (f: Record<string, unknown>, m: string) => said.push(`${JSON.stringify(f)} ${m}`) };
  const store = new FindingsStore(':memory:');
  try {
    assert.equal(openFindingsNotify(resolveConfig({}), store, log), null);
    assert.match(said[0]!, /no webhooks configured \(findings\.notify\)/);
    const wired = openFindingsNotify(resolveConfig({ findings: { notify: [{ url }, { url, detectors: ['syn'] }] } }), store, log)!;
    assert.match(said[1]!, /findings notify: 2 webhooks configured/);
    assert.doesNotMatch(said.join('\n'), /SECRET/);
    store.record([finding('url', 'url:evil.example/'), finding('syn', 'ip:192.0.2.9'), finding('syn-flood', 'ip:10.0.0.1')]);
    await rx.waitFor(2);
    const seen = rx.received.map((r) => (r.body as unknown as Message).findings.map((f) => f.detector).join(',')).sort();
    assert.deepEqual(seen, ['syn', 'url,syn,syn-flood']);
    // counted once the answer is back, a moment after the receiver has the body
    for (let i = 0; i < 100 && wired.notifier.stats().some((s) => s.sent === 0); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(wired.notifier.stats().map((s) => [s.name, s.sent]), [['127.0.0.1#0', 1], ['127.0.0.1#1', 1]]);
    wired.close();
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
  const wired = openFindingsNotify(resolveConfig({ http: { publicUrl: 'https://nml.example.com/' }, findings: { notify: [{ url }] } }), store, quiet)!;
  try {
    store.record([finding('url', 'url:evil.example/?a=1&b=%2')]);
    await rx.waitFor(1);
    assert.equal((rx.received[0]?.body as unknown as Message | undefined)?.findings[0]?.link, 'https://nml.example.com/alerts?status=all&entity=url%3Aevil.example%2F%3Fa%3D1%26b%3D%252');
  } finally {
    wired.close();
    store.close();
    await rx.close();
  }
});

/** Findings webhooks against a local node:http receiver: batching, once per finding, retries, timeouts, the bounded queue, redaction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsNotifier } from './notifier.js';
import type { NotifierLog } from './notify-options.js';
import { FindingsStore } from './store.js';
import { webhookWithDefaults, type WebhookConfig } from './notify-target.js';
import { webhookReceiver as receiver } from './testing.js';
import type { NewFinding } from '../detector.js';

function logs(): NotifierLog & { warned: string[]; infos: string[]; all(): string } {
  const warned: string[] = [];
  const infos: string[] = [];
  return {
    warned,
    infos,
    warn: (fields, message) => warned.push(`${JSON.stringify(fields)} ${message}`),
    info: (fields, message) => infos.push(`${JSON.stringify(fields)} ${message}`),
    all: () => [...warned, ...infos].join('\n'),
  };
}

const hook = (url: string, over: Partial<WebhookConfig> = {}): WebhookConfig => webhookWithDefaults({ url, headers: { Authorization: 'Bearer SECRETHEADER' }, ...over });

function finding(entity: string, over: Partial<NewFinding> = {}): NewFinding {
  return { detector: 'url', entity, score: 0.99, threshold: 0.964, modelVersion: 't', time: 1_700_000_000_000, explanation: { summary: `odd path of ${entity}`, detail: null }, evidence: { query: `sub:"${entity}"`, from: 1_700_000_000_000 - 60_000, to: 1_700_000_000_000 }, ...over };
}

const until = async (cond: () => boolean, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('a flood within one window is one message of 50 findings in full and the count and ids of the rest; seen again is not sent, reopened is', async () => {
  const rx = await receiver();
  const store = new FindingsStore(':memory:');
  const n = new FindingsNotifier({ webhooks: [hook(rx.url)], log: logs(), windowMs: 100 });
  store.subscribe(n.onRecorded);
  try {
    store.record(Array.from({ length: 120 }, (_, i) => finding(`url:evil${i}.example/`)));
    store.record([finding('ip:198.51.100.7', { detector: 'syn', explanation: { summary: 'scan', detail: null } })]);
    store.record([finding('url:evil0.example/')]);
    await rx.waitFor(1);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(rx.received.length, 1, 'one message for the window');
    const body = rx.received[0]!.body as { findings: Array<Record<string, unknown>>; more: number; moreIds: number[]; text: string };
    assert.equal(body.findings.length, 50);
    assert.equal(body.more, 71);
    assert.equal(body.moreIds.length, 71);
    assert.match(body.text, /^NML: 121 findings raised/);
    assert.match(body.text, /… and 71 more not shown \(finding ids 51, 52, .*\): see the Alerts page/);
    const first = body.findings[0]!;
    assert.deepEqual(Object.keys(first).sort(), ['count', 'detector', 'entity', 'evidence', 'firstSeen', 'id', 'lastSeen', 'raised', 'score', 'status', 'summary', 'threshold'].sort());
    assert.equal(first['raised'], 'new');
    assert.deepEqual(first['evidence'], { query: 'sub:"url:evil0.example/"', from: '2023-11-14T22:12:20.000Z', to: '2023-11-14T22:13:20.000Z' });
    assert.equal(rx.received[0]!.headers['authorization'], 'Bearer SECRETHEADER');
    assert.equal(rx.received[0]!.path, '/hooks/T000/SECRETPATH?token=SECRETQUERY');
    // resolved, then seen again: reopened, sent once more
    const f = store.find('url', 'url:evil0.example/')!;
    store.triage(f.id, 'resolved', null, 'alice');
    store.record([finding('url:evil0.example/')]);
    store.record([finding('url:evil0.example/')]);
    await rx.waitFor(2);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(rx.received.length, 2);
    const again = rx.received[1]!.body as { findings: Array<Record<string, unknown>>; more: number };
    assert.deepEqual(again.findings.map((x) => [x['id'], x['raised'], x['status']]), [[f.id, 'reopened', 'open']]);
    assert.equal(again.more, 0);
    assert.deepEqual(n.stats(), [{ name: '127.0.0.1#0', sent: 2, failed: 0, dropped: 0, queued: 0 }]);
  } finally {
    n.close();
    store.close();
    await rx.close();
  }
});

test('minScore and detectors choose what a webhook gets; slack format is {text}', async () => {
  const rx = await receiver();
  const n = new FindingsNotifier({ webhooks: [hook(rx.url, { minScore: 0.995, detectors: ['syn'], format: 'slack' })], log: logs(), windowMs: 50 });
  const store = new FindingsStore(':memory:');
  store.subscribe(n.onRecorded);
  try {
    store.record([finding('url:a.example/', { score: 0.999 }), finding('ip:192.0.2.1', { detector: 'syn', score: 0.99 }), finding('ip:192.0.2.2', { detector: 'syn', score: 0.999 })]);
    await rx.waitFor(1);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(rx.received.length, 1);
    const body = rx.received[0]!.body;
    assert.deepEqual(Object.keys(body), ['text']);
    assert.match(String(body['text']), /^NML: 1 finding raised\n• syn 0\.999 ip:192\.0\.2\.2: odd path of ip:192\.0\.2\.2 \(finding \d+; search: sub:"ip:192\.0\.2\.2"\)$/);
  } finally {
    n.close();
    store.close();
    await rx.close();
  }
});

test('5xx and 429 (Retry-After) are retried with backoff: one warning for the streak, naming the webhook redacted, and one line when it delivers again', async () => {
  const rx = await receiver((i, res) => {
    if (i === 0) res.writeHead(503).end();
    else if (i === 1) res.writeHead(429, { 'retry-after': '0' }).end();
    else res.end('ok');
  });
  const log = logs();
  const n = new FindingsNotifier({ webhooks: [hook(rx.url)], log, windowMs: 10, backoffMs: 20 });
  try {
    n.offer([{ finding: { ...finding('url:x.example/'), id: 7, firstSeen: 0, lastSeen: 0, count: 1, sightedAt: 0, triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null } }, raised: 'new' }]);
    await until(() => n.stats()[0]!.sent === 1);
    assert.equal(rx.received.length, 3, 'the same message tried three times');
    assert.deepEqual(rx.received[2]!.body, rx.received[0]!.body);
    assert.equal(log.warned.length, 1, log.all());
    assert.match(log.warned[0]!, /webhook http:\/\/127\.0\.0\.1:\d+\/… \(127\.0\.0\.1#0\) failed: HTTP 503; retrying up to 5 times with backoff/);
    assert.equal(log.infos.length, 1);
    assert.match(log.infos[0]!, /delivers again/);
    assert.doesNotMatch(log.all(), /SECRET/);
    assert.deepEqual(n.stats(), [{ name: '127.0.0.1#0', sent: 1, failed: 0, dropped: 0, queued: 0 }]);
  } finally {
    n.close();
    await rx.close();
  }
});

const stored = (id: number) => ({ finding: { ...finding(`url:m${id}.example/`), id, firstSeen: 0, lastSeen: 0, count: 1, sightedAt: 0, triage: { status: 'open' as const, note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null } }, raised: 'new' as const });

test('a 4xx is not retried; a failure streak warns once however many messages fail; a timeout fails a hanging webhook', async () => {
  const rx = await receiver((_i, res) => res.writeHead(404).end());
  const log = logs();
  const n = new FindingsNotifier({ webhooks: [hook(rx.url)], log, windowMs: 10 });
  try {
    n.offer([stored(1)]);
    await until(() => n.stats()[0]!.failed === 1);
    n.offer([stored(2)]);
    await until(() => n.stats()[0]!.failed === 2);
    assert.equal(rx.received.length, 2, 'each message tried once');
    assert.equal(log.warned.length, 1);
    assert.match(log.warned[0]!, /failed: HTTP 404; the message is given up.*check the URL: the service no longer knows it/);
    assert.doesNotMatch(log.all(), /SECRET/);
  } finally {
    n.close();
    await rx.close();
  }
  const hang = await receiver(() => undefined);
  const slow = new FindingsNotifier({ webhooks: [hook(hang.url)], log: logs(), windowMs: 10, timeoutMs: 100, retries: 1, backoffMs: 10 });
  try {
    const t0 = performance.now();
    slow.offer([stored(3)]);
    assert.ok(performance.now() - t0 < 20, 'offer returns at once');
    await until(() => slow.stats()[0]!.failed === 1);
    assert.equal(hang.received.length, 2);
    const r = await slow.test();
    assert.equal(r[0]!.ok, false);
    assert.equal(r[0]!.why, 'no answer within 0.1 s');
  } finally {
    slow.close();
    await hang.close();
  }
});

test('behind a webhook that does not answer, the queue holds maxQueue messages and drops the oldest (counted); a refused connection is retried and fails', async () => {
  const hang = await receiver(() => undefined);
  const n = new FindingsNotifier({ webhooks: [hook(hang.url)], log: logs(), windowMs: 5, timeoutMs: 60_000, maxQueue: 2 });
  try {
    for (let i = 1; i <= 6; i++) {
      n.offer([stored(i)]);
      await new Promise((r) => setTimeout(r, 20));
    }
    // one in flight, two waiting, three dropped
    assert.deepEqual(n.stats(), [{ name: '127.0.0.1#0', sent: 0, failed: 0, dropped: 3, queued: 2 }]);
  } finally {
    n.close();
    await hang.close();
  }
  const gone = await receiver();
  const url = gone.url;
  await gone.close();
  const log = logs();
  const refused = new FindingsNotifier({ webhooks: [hook(url)], log, windowMs: 5, retries: 2, backoffMs: 5 });
  try {
    refused.offer([stored(9)]);
    await until(() => refused.stats()[0]!.failed === 1);
    assert.equal(log.warned.length, 1);
    assert.match(log.warned[0]!, /failed: .*econnrefused.*check that the service is up and reachable/i);
    assert.doesNotMatch(log.all(), /SECRET/);
  } finally {
    refused.close();
  }
  // a port fetch never connects to is said as such and not retried
  const blockedLog = logs();
  const blocked = new FindingsNotifier({ webhooks: [hook('http://127.0.0.1:9/SECRETPATH')], log: blockedLog, windowMs: 5, backoffMs: 5 });
  try {
    blocked.offer([stored(10)]);
    await until(() => blocked.stats()[0]!.failed === 1);
    assert.match(blockedLog.warned[0]!, /failed: port 9 is one HTTP clients refuse to connect to \(bad port\); the message is given up.*a port other than the blocked ones/);
  } finally {
    blocked.close();
  }
});

test('test(): one sample message to each webhook, each one answer, no retries', async () => {
  const ok = await receiver();
  const bad = await receiver((_i, res) => res.writeHead(500).end());
  const n = new FindingsNotifier({ webhooks: [hook(ok.url, { format: 'slack' }), hook(bad.url)], log: logs() });
  try {
    const r = await n.test();
    assert.deepEqual(r.map((x) => [x.ok, x.why, x.url.endsWith('/…')]), [[true, 'HTTP 200', true], [false, 'HTTP 500', true]]);
    assert.equal(bad.received.length, 1);
    assert.match(String(ok.received[0]!.body['text']), /^NML test message: this webhook is configured\./);
    assert.equal(bad.received[0]!.body['test'], true);
  } finally {
    n.close();
    await ok.close();
    await bad.close();
  }
});

test('drain: the open window is sent at once, not dropped; findings offered after it are not taken', async () => {
  const rx = await receiver();
  const n = new FindingsNotifier({ webhooks: [hook(rx.url)], log: logs(), windowMs: 60_000 });
  const t0 = performance.now();
  n.offer([stored(1), stored(2)]);
  const unsent = await n.drain();
  try {
    assert.ok(performance.now() - t0 < 2_000, 'not the 60 s window');
    assert.deepEqual(unsent, []);
    assert.equal(rx.received.length, 1);
    assert.deepEqual((rx.received[0]!.body as { findings: Array<{ id: number }> }).findings.map((f) => f.id), [1, 2]);
    n.offer([stored(3)]);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(rx.received.length, 1);
    assert.deepEqual(n.stats(), [{ name: '127.0.0.1#0', sent: 1, failed: 0, dropped: 0, queued: 0 }]);
  } finally {
    await rx.close();
  }
});

test('drain is bounded: behind a hanging webhook and one in backoff, it returns after the grace with what is unsent, oldest first, the cut one included', async () => {
  const hang = await receiver(() => undefined);
  const busy = await receiver((_i, res) => res.writeHead(503).end());
  const n = new FindingsNotifier({ webhooks: [hook(hang.url), hook(busy.url)], log: logs(), windowMs: 5, timeoutMs: 60_000, backoffMs: 10_000 });
  try {
    n.offer([stored(1)]);
    await new Promise((r) => setTimeout(r, 30));
    n.offer([stored(2)]);
    await new Promise((r) => setTimeout(r, 30));
    n.offer([stored(3)]);
    const t0 = performance.now();
    const unsent = await n.drain(300);
    const took = performance.now() - t0;
    assert.ok(took >= 280 && took < 1_000, `drain took ${took} ms`);
    const ids = (i: number) => unsent.filter((m) => m.index === i).map((m) => m.batch.findings.map((f) => f.finding.id));
    // the first message was in flight to #0 and is kept: it may arrive twice, never not at all
    assert.deepEqual(ids(0), [[1], [2], [3]]);
    assert.deepEqual(ids(1), [[1], [2], [3]]);
    assert.deepEqual([...new Set(unsent.map((m) => m.name))], ['127.0.0.1#0', '127.0.0.1#1']);
    for (const i of [0, 1]) {
      const at = unsent.filter((m) => m.index === i).map((m) => m.queuedAt);
      assert.deepEqual(at, [...at].sort((a, b) => a - b));
    }
    assert.deepEqual(n.stats().map((s) => [s.sent, s.failed]), [[0, 0], [0, 0]], 'cut is neither sent nor failed');
  } finally {
    await hang.close();
    await busy.close();
  }
});

test('resume: kept messages go first, oldest first, through the same queue (counted as queued); those over the age bound are dropped and counted', async () => {
  const hang = await receiver(() => undefined);
  const n = new FindingsNotifier({ webhooks: [hook(hang.url)], log: logs(), windowMs: 5, timeoutMs: 60_000 });
  try {
    const now = Date.now();
    const msg = (id: number, ageMs: number) => ({ batch: { findings: [stored(id)], more: 0, moreIds: [] }, queuedAt: now - ageMs });
    const stale = n.resume(0, [msg(3, 1_000), msg(1, 3_000), msg(9, 90_000_000), msg(2, 2_000)], now, 86_400_000);
    assert.equal(stale, 1);
    await hang.waitFor(1);
    assert.deepEqual((hang.received[0]!.body as { findings: Array<{ id: number }> }).findings.map((f) => f.id), [1], 'the oldest first');
    assert.deepEqual(n.stats(), [{ name: '127.0.0.1#0', sent: 0, failed: 0, dropped: 1, queued: 2 }]);
    n.offer([stored(4)]);
    const unsent = await n.drain(0);
    assert.deepEqual(unsent.map((m) => m.batch.findings[0]!.finding.id), [1, 2, 3, 4], 'resumed before the new');
  } finally {
    await hang.close();
  }
});

test("marks: a webhook's mark moves to a message's upTo once it is delivered or given up, and to every raising offered while nothing waits (one it does not want too)", async () => {
  const rx = await receiver((_n, res, path) => (path.startsWith('/reject') ? res.writeHead(400).end() : res.end('ok')));
  const store = new FindingsStore(':memory:');
  const progress: boolean[] = [];
  const n = new FindingsNotifier({ webhooks: [hook(`${rx.base}/ok`), hook(`${rx.base}/reject`), hook(`${rx.base}/syn`, { detectors: ['syn'] })], log: logs(), windowMs: 20, onProgress: (done) => progress.push(done) });
  try {
    n.track({ finding: 0, reopen: 0 }, [{ finding: 0, reopen: 0 }, { finding: 0, reopen: 0 }, { finding: 0, reopen: 0 }]);
    store.subscribe(n.onRecorded);
    store.record([finding('url:a/'), finding('url:b/')]);
    assert.deepEqual(n.marks()[2], { finding: 2, reopen: 0 }, 'the syn webhook wants neither and waits for nothing: its mark moves at once');
    assert.deepEqual(progress, [false], 'said as not done (on record\'s path)');
    assert.deepEqual(n.marks()[0], { finding: 0, reopen: 0 }, 'not before its message is done');
    await rx.waitFor(2);
    await until(() => n.marks()[0]!.finding === 2 && n.marks()[1]!.finding === 2);
    assert.ok(progress.filter((d) => d).length >= 2, 'delivered (the first) and given up (the 400) are done');
    store.triage(1, 'resolved', null, 'ann');
    store.record([finding('url:a/')]);
    await rx.waitFor(4);
    await until(() => n.marks()[0]!.reopen > 0);
    const reopenedBody = rx.received.filter((r) => r.path === '/ok')[1]!.body as { findings: Array<{ raised: string }> };
    assert.deepEqual(reopenedBody.findings.map((f) => f.raised), ['reopened']);
    assert.deepEqual(n.marks()[0], { finding: 2, reopen: n.marks()[0]!.reopen });
  } finally {
    n.close();
    store.close();
    await rx.close();
  }
});

test('a message resumed with its failed tries counted gets only the tries left: retries do not begin again at a restart', async () => {
  const rx = await receiver((_n, res) => res.writeHead(503).end());
  const n = new FindingsNotifier({ webhooks: [hook(rx.url)], log: logs(), windowMs: 5, retries: 3, backoffMs: 1 });
  try {
    const now = Date.now();
    n.resume(0, [{ batch: { findings: [stored(1)], more: 0, moreIds: [] }, queuedAt: now, attempts: 3, retryAt: now }], now);
    await until(() => n.stats()[0]!.failed === 1);
    assert.equal(rx.received.length, 1, 'three tries failed before the restart: the fourth and last, then given up');
    n.offer([stored(2)]);
    await until(() => n.stats()[0]!.failed === 2);
    assert.equal(rx.received.length, 5, 'a new message gets all four tries');
  } finally {
    n.close();
    await rx.close();
  }
});

test("a failed try's count and next try are kept on the message (the outbox writes them), and said as a change", async () => {
  const rx = await receiver((_n, res) => res.writeHead(503, { 'retry-after': '120' }).end());
  let changes = 0;
  const n = new FindingsNotifier({ webhooks: [hook(rx.url)], log: logs(), windowMs: 5, onUnsentChange: () => changes++ });
  try {
    n.offer([stored(1)]);
    await rx.waitFor(1);
    await until(() => n.unsent()[0]?.attempts === 1);
    const m = n.unsent()[0]!;
    assert.ok(m.retryAt! >= Date.now() + 100_000, 'the Retry-After of 120 s');
    assert.ok(changes >= 2, 'the window closed, then the failed try');
  } finally {
    n.close();
    await rx.close();
  }
});

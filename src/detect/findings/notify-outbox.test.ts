/** The webhooks' outbox on disk: kept whole, without the webhooks' secrets, and placed on the webhooks configured at the next start. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placeOutbox, takeOutbox, writeOutbox, type OutboxEntry } from './notify-outbox.js';
import { webhookWithDefaults } from './notify-target.js';
import type { UnsentMessage } from './notifier.js';

const dir = mkdtempSync(join(tmpdir(), 'nml-outbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SLACK = 'https://hooks.slack.example/services/T0/B0/SECRETPATH';
const OWN = 'https://tickets.example.org/nml?token=SECRETQUERY';
const hooks = [webhookWithDefaults({ url: SLACK, headers: { Authorization: 'Bearer SECRETHEADER' } }), webhookWithDefaults({ url: OWN })];
const message = (index: number, id: number): UnsentMessage => ({
  index,
  name: index === 0 ? 'hooks.slack.example#0' : 'tickets.example.org#1',
  queuedAt: 1_700_000_000_000 + id,
  batch: { findings: [{ finding: { id, detector: 'url', entity: `url:e${id}.example/`, score: 0.99, threshold: 0.9, modelVersion: 't', time: 1, explanation: { summary: 's', detail: null }, evidence: { query: 'q', from: 0, to: 1 }, firstSeen: 1, lastSeen: 1, count: 1, sightedAt: 1, triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null } }, raised: 'new' }], more: 0, moreIds: [] },
});

test('written, the outbox holds the messages and names each webhook by place, host and URL digest, never its URL or headers; taken, it is gone', () => {
  const path = join(dir, 'a.json');
  writeOutbox(path, [message(0, 1), message(1, 2), message(0, 3)], hooks);
  const text = readFileSync(path, 'utf8');
  assert.doesNotMatch(text, /SECRET|hooks\/|services|token/);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const { entries, problem } = takeOutbox(path);
  assert.equal(problem, null);
  assert.equal(existsSync(path), false);
  assert.deepEqual(entries.map((e) => [e.webhook.index, e.webhook.name, e.batch.findings[0]!.finding.id]), [[0, 'hooks.slack.example#0', 1], [1, 'tickets.example.org#1', 2], [0, 'hooks.slack.example#0', 3]]);
  assert.deepEqual(takeOutbox(path), { entries: [], problem: null }, 'no file: nothing');
});

test('placed: same place and URL; a reordered list finds the URL; a removed webhook or a changed URL sets its messages apart', () => {
  const path = join(dir, 'b.json');
  writeOutbox(path, [message(0, 1), message(1, 2), message(1, 3)], hooks);
  const entries: OutboxEntry[] = takeOutbox(path).entries;
  const same = placeOutbox(entries, hooks);
  assert.deepEqual([...same.byIndex].map(([i, m]) => [i, m.map((x) => x.batch.findings[0]!.finding.id)]), [[0, [1]], [1, [2, 3]]]);
  assert.deepEqual(same.removed, []);
  // Slack's webhook removed: the other one is #0 now
  const moved = placeOutbox(entries, [hooks[1]!]);
  assert.deepEqual([...moved.byIndex].map(([i, m]) => [i, m.length]), [[0, 2]]);
  assert.deepEqual(moved.removed, [{ name: 'hooks.slack.example#0', count: 1 }]);
  // the second one's URL rotated: its messages are not sent to the new URL
  const rotated = placeOutbox(entries, [hooks[0]!, webhookWithDefaults({ url: 'https://tickets.example.org/nml?token=NEW' })]);
  assert.deepEqual([...rotated.byIndex.keys()], [0]);
  assert.deepEqual(rotated.removed, [{ name: 'tickets.example.org#1', count: 2 }]);
});

test('a file that is not an outbox is removed and said; its contents are not sent', () => {
  const path = join(dir, 'c.json');
  writeFileSync(path, '{"version":1,"entries":[{"webhook":{}}]}');
  const { entries, problem } = takeOutbox(path);
  assert.deepEqual(entries, []);
  assert.match(problem!, /c\.json is not an outbox this version of NML wrote; it was removed/);
  assert.equal(existsSync(path), false);
});

test("a message's failed tries, next try and upTo mark are kept and placed with it; an outbox without them (an older NML's) still reads", () => {
  const path = join(dir, 'd.json');
  const tried: UnsentMessage = { ...message(0, 1), attempts: 3, retryAt: 1_700_000_060_000, batch: { ...message(0, 1).batch, upTo: { finding: 9, reopen: 4 } } };
  writeOutbox(path, [tried, message(1, 2)], hooks);
  const placed = placeOutbox(takeOutbox(path).entries, hooks);
  const [first] = placed.byIndex.get(0)!;
  assert.deepEqual([first!.attempts, first!.retryAt, first!.batch.upTo], [3, 1_700_000_060_000, { finding: 9, reopen: 4 }]);
  const [plain] = placed.byIndex.get(1)!;
  assert.deepEqual([plain!.attempts, plain!.retryAt, plain!.batch.upTo], [undefined, undefined, undefined]);
  writeFileSync(path, JSON.stringify({ version: 1, entries: [{ ...JSON.parse(JSON.stringify({ webhook: { index: 0, name: 'x#0', urlHash: 'h' }, queuedAt: 1, batch: { findings: [], more: 0, moreIds: [], upTo: { finding: 'x' } } })) }] }));
  assert.match(takeOutbox(path).problem!, /not an outbox/, 'a mark that is not one is refused');
});

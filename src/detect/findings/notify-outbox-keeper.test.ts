/** The outbox kept while running: written off the caller's path, coalesced to one write per interval, whole and private, removed when nothing waits. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxKeeper } from './notify-outbox-keeper.js';
import { takeOutbox } from './notify-outbox.js';
import { webhookWithDefaults } from './notify-target.js';
import type { UnsentMessage } from './notifier.js';

const dir = mkdtempSync(join(tmpdir(), 'nml-outbox-keeper-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const hooks = [webhookWithDefaults({ url: 'https://hooks.example/services/SECRETPATH' })];
const message = (id: number): UnsentMessage => ({
  index: 0,
  name: 'hooks.example#0',
  queuedAt: 1_700_000_000_000 + id,
  batch: { findings: [{ finding: { id, detector: 'url', entity: `url:e${id}.example/`, score: 0.99, threshold: 0.9, modelVersion: 't', time: 1, explanation: { summary: 's', detail: null }, evidence: { query: 'q', from: 0, to: 1 }, firstSeen: 1, lastSeen: 1, count: 1, sightedAt: 1, triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null } }, raised: 'new' }], more: 0, moreIds: [] },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `ok()` holds (polled every 5 ms), failing with `what` after 10 s: no assertion on how soon, only on what comes. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (const end = Date.now() + 10_000; !ok(); await sleep(5)) if (Date.now() > end) assert.fail(`not within 10 s: ${what}`);
}
const ids = (path: string): number[] => (JSON.parse(readFileSync(path, 'utf8')) as { entries: Array<{ batch: { findings: Array<{ finding: { id: number } }> } }> }).entries.map((e) => e.batch.findings[0]!.finding.id);

test('a flood of changes is one write, not one per change, and none on the caller\'s path; the next waits out the interval', async () => {
  const path = join(dir, 'flood.json');
  let unsent = [message(1)];
  const reads: number[] = [];
  const keeper = new OutboxKeeper({ path, webhooks: hooks, unsent: () => (reads.push(Date.now()), unsent), intervalMs: 300, onError: (e) => assert.fail(String(e)) });
  for (let i = 0; i < 1000; i++) keeper.changed();
  assert.equal(reads.length, 0, 'nothing read or written while the caller runs');
  await until(() => existsSync(path), 'the first write');
  assert.equal(reads.length, 1, 'a thousand changes, one write');
  assert.deepEqual(ids(path), [1]);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.doesNotMatch(readFileSync(path, 'utf8'), /SECRET/);
  unsent = [message(1), message(2)];
  keeper.changed();
  keeper.changed();
  await until(() => reads.length === 2 && ids(path).length === 2, 'the second write');
  // the next write waits out the interval from the last one's start (a timer: never sooner, however loaded the machine)
  assert.ok(reads[1]! - reads[0]! >= 290, `writes ${reads[1]! - reads[0]!} ms apart`);
  assert.deepEqual(takeOutbox(path).entries.map((e) => e.batch.findings[0]!.finding.id), [1, 2], 'an outbox the next start reads');
  await keeper.close();
});

test('nothing unsent removes the file; after close a change writes nothing', async () => {
  const path = join(dir, 'empty.json');
  let unsent = [message(3)];
  const keeper = new OutboxKeeper({ path, webhooks: hooks, unsent: () => unsent, intervalMs: 50, onError: (e) => assert.fail(String(e)) });
  keeper.changed();
  await until(() => existsSync(path), 'the file written');
  unsent = [];
  keeper.changed();
  await until(() => !existsSync(path), 'all sent: no file');
  await keeper.close();
  unsent = [message(4)];
  keeper.changed();
  await sleep(100);
  assert.equal(existsSync(path), false, 'closed: the stop writes what is left itself');
});

test('a write that fails is said once and tried again until it works', async () => {
  const sub = join(dir, 'later');
  const path = join(sub, 'outbox.json');
  const errors: number[] = [];
  let recovered = 0;
  let tries = 0;
  const keeper = new OutboxKeeper({ path, webhooks: hooks, unsent: () => (tries++, [message(5), message(6)]), intervalMs: 40, onError: (_e, count) => errors.push(count), onRecovered: () => recovered++ });
  keeper.changed();
  await until(() => tries >= 3 && errors.length > 0, 'three tries, failing');
  assert.deepEqual(errors, [2], 'said once, with how many messages are not kept');
  mkdirSync(sub);
  await until(() => recovered > 0, 'a write that works');
  assert.equal(recovered, 1);
  assert.deepEqual(ids(path), [5, 6]);
  await keeper.close();
});

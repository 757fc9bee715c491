import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { FindingsStore } from './store.js';
import { startFindingsRetention } from './retention.js';

const DAY = 86_400_000;
const finding = (entity: string, t: number) => ({ detector: 'url', entity: `url:${entity}`, score: 0.99, threshold: 0.9, modelVersion: 'test', time: t, explanation: { summary: 's', detail: {} }, evidence: { query: entity, from: t, to: t + 1 } });

test('findings last seen before the age limit are deleted at start and on each pass; newer ones stay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-fret-'));
  const now = 100 * DAY;
  let clock = now - 40 * DAY;
  const store = new FindingsStore(join(dir, 'findings.db'), () => clock);
  try {
    store.record([finding('old.example/', now - 40 * DAY)]);
    clock = now - 10 * DAY;
    store.record([finding('recent.example/', now - 10 * DAY)]);
    clock = now;
    const pruned: Array<[number, number]> = [];
    const errors: unknown[] = [];
    const stop = startFindingsRetention(store, { maxAgeMs: 30 * DAY, everyMs: 20, now: () => clock, onPruned: (n, before) => pruned.push([n, before]), onError: (e) => errors.push(e) });
    try {
      assert.deepEqual(pruned, [[1, now - 30 * DAY]]);
      assert.deepEqual(store.list({}).findings.map((f) => f.entity), ['url:recent.example/']);
      clock = now + 25 * DAY; // the recent one is now 35 days old
      await new Promise((r) => setTimeout(r, 80));
    } finally {
      stop();
    }
    assert.deepEqual(errors, []);
    assert.equal(pruned.length, 2);
    assert.equal(store.list({}).findings.length, 0);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing pass is reported and the next one runs', async () => {
  let calls = 0;
  const errors: unknown[] = [];
  const stop = startFindingsRetention(
    {
      prune: () => {
        calls++;
        if (calls === 1) throw new Error('database is locked');
        return 0;
      },
    },
    { maxAgeMs: DAY, everyMs: 10, onPruned: () => assert.fail('nothing was pruned'), onError: (e) => errors.push(e) },
  );
  await new Promise((r) => setTimeout(r, 50));
  stop();
  assert.equal(errors.length, 1);
  assert.ok(calls >= 2, `passes: ${calls}`);
});

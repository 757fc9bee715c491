import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdempotencyCache } from './ingest-idempotency.js';
import { SqliteKeyJournal } from './ingest-keys.js';

test('idempotency keys are per principal, expire after their time, and the oldest go past the cap', async () => {
  let now = 0;
  const cache = new IdempotencyCache(() => now, 3, 1_000);
  let runs = 0;
  const work = async (): Promise<number> => ++runs;
  assert.deepEqual(await cache.run('token:a', 'k', 'body', work), { value: 1, replayed: false });
  assert.deepEqual(await cache.run('token:a', 'k', 'body', work), { value: 1, replayed: true });
  assert.deepEqual(await cache.run('session:bob', 'k', 'body', work), { value: 2, replayed: false }, 'another principal, another key');
  now = 1_001;
  assert.deepEqual(await cache.run('token:a', 'k', 'body', work), { value: 3, replayed: false }, 'past its time the key is new again');
  for (const k of ['x', 'y', 'z']) await cache.run('token:a', k, 'b', work);
  assert.equal(cache.size, 3, 'at most the cap');
  assert.deepEqual(await cache.run('token:a', 'k', 'body', work), { value: 7, replayed: false }, 'the oldest key went first');
});

test('the key journal keeps what a restart needs: unexpired keys, the newest up to the cap, and their answers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-keys-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'ingest-keys.db');
  let now = 0;
  const journal = new SqliteKeyJournal(path);
  const cache = new IdempotencyCache(() => now, 3, 1_000, journal);
  for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) {
    now = i * 100;
    await cache.run('token:x', k, `body ${k}`, async () => 10 + i);
  }
  await assert.rejects(cache.run('token:x', 'e', 'body e', async () => Promise.reject(new Error('disk full'))));
  journal.close();
  const reopened = new SqliteKeyJournal(path);
  assert.deepEqual(reopened.load(0, 10).map((r) => [r.id, r.at, r.accepted]), [['token:x\u0000b', 100, 11], ['token:x\u0000c', 200, 12], ['token:x\u0000d', 300, 13]], 'a went over the cap; the failed e was never written');
  now = 1_150;
  let runs = 0;
  const restarted = new IdempotencyCache(() => now, 3, 1_000, reopened);
  assert.deepEqual(await restarted.run('token:x', 'b', 'body b', async () => ++runs), { value: 1, replayed: false }, 'b expired before the restart');
  assert.deepEqual(await restarted.run('token:x', 'd', 'body d', async () => ++runs), { value: 13, replayed: true }, 'd is answered from disk');
  now = 1_250;
  assert.deepEqual(await restarted.run('token:x', 'f', 'body f', async () => ++runs), { value: 2, replayed: false });
  assert.deepEqual(reopened.load(0, 10).map((r) => r.id), ['token:x\u0000d', 'token:x\u0000b', 'token:x\u0000f'], 'c expired and went as f came; b written anew');
  reopened.close();
});

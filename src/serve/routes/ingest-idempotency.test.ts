import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdempotencyCache } from './ingest-idempotency.js';

test('idempotency keys are per principal, expire after their time, and the oldest go past the cap', async () => {
  let now = 0;
  const cache = new IdempotencyCache<number>(() => now, 3, 1_000);
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

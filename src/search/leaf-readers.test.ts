import { test } from 'node:test';
import assert from 'node:assert/strict';
import handle, { openReaders, READER_IDLE_MS, SWEEP_MS } from './leaf.worker.js';
import { sealedStore, storedLine } from './testing.js';
import { ALL_TIME } from '../core/index.js';

const T0 = Date.UTC(2026, 11, 7, 10);

test('a search thread closes a sealed shard\'s reader left unused for READER_IDLE_MS at its next sweep, and keeps one in use', (t) => {
  const { catalog } = sealedStore('nml-leaf-readers-', [[[storedLine(T0, 'a one')], [storedLine(T0 + 60_000, 'b two')], [storedLine(T0 + 120_000, 'c three')]]]);
  const [a, b, c] = catalog.list(ALL_TIME);
  assert.ok(a && b && c && a.sealed && b.sealed && c.sealed);
  // from the real clock: the thread's last sweep was at its import
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  const fetch = (...shards: (typeof a)[]) => {
    const reply = handle({ mode: 'fetch', shards: shards.map((s) => ({ path: s.path, rel: s.rel, rowids: [1] })), sealed: Object.fromEntries(shards.map((s) => [s.path, true])) });
    assert.equal(reply.ok, true);
  };
  fetch(a, b);
  assert.deepEqual(openReaders(), [a.path, b.path]);
  // b stays in use; a is not read again
  t.mock.timers.tick(READER_IDLE_MS - SWEEP_MS);
  fetch(b);
  t.mock.timers.tick(SWEEP_MS);
  fetch(c);
  assert.deepEqual(openReaders(), [b.path, c.path], 'a was idle for READER_IDLE_MS: closed');
  // a reader closed for idleness opens again when asked
  fetch(a);
  assert.deepEqual(openReaders(), [b.path, c.path, a.path]);
});

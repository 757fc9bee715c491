/** Stretches: state per key while the key recurs; afresh after a quiet spell; least recently touched forgotten first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Stretches } from './stretches.js';

test('a key keeps its state while touched within the quiet time, starts afresh after it, and the least recent goes past max', () => {
  const s = new Stretches<{ last: number; n: number }>(10, 2);
  const bump = (key: string, t: number): number => ++s.touch(key, t, () => ({ last: t, n: 0 })).n;
  assert.equal(bump('a', 0), 1);
  assert.equal(bump('a', 10), 2, 'quiet for exactly the quiet time: the same stretch');
  assert.equal(bump('a', 5), 3, 'an earlier time does not move the stretch back');
  assert.equal(bump('a', 21), 1, 'quiet for longer: afresh');
  assert.equal(bump('b', 22), 1);
  assert.equal(bump('a', 23), 2, 'a is now the most recent');
  assert.equal(bump('c', 24), 1, 'a third key: b, the least recently touched, is forgotten');
  assert.equal(bump('a', 25), 3);
  assert.equal(bump('b', 26), 1, 'b starts afresh');
});

test('a state dropped, by a quiet spell or past max, is handed to the forget hook once', () => {
  const dropped: string[] = [];
  const s = new Stretches<{ last: number; id: string }>(10, 2, (v) => dropped.push(v.id));
  const touch = (key: string, t: number) => s.touch(key, t, () => ({ last: t, id: `${key}@${t}` }));
  touch('a', 0);
  touch('a', 5);
  assert.deepEqual(dropped, []);
  touch('a', 30);
  assert.deepEqual(dropped, ['a@0'], 'the quiet stretch is forgotten as the new one starts');
  touch('b', 31);
  touch('c', 32);
  assert.deepEqual(dropped, ['a@0', 'a@30'], 'past max the least recent goes');
});

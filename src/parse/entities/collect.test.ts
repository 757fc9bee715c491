/** addEntity: each kind and value once, in the order first added, below and past the size where a Set takes over from the scan. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Entity, EntityKind } from '../../core/index.js';
import { addEntity } from './collect.js';

/** What addEntity did with a scan alone: the reference. */
function scanned(adds: readonly [EntityKind, string][]): Entity[] {
  const out: Entity[] = [];
  for (const [kind, value] of adds) if (!out.some((e) => e.kind === kind && e.value === value)) out.push({ kind, value });
  return out;
}

test('addEntity keeps the first of each kind and value, in order, however many there are', () => {
  for (const n of [0, 1, 15, 16, 17, 40, 3000]) {
    const adds: [EntityKind, string][] = [];
    for (let i = 0; i < n; i++) {
      adds.push(['url', `http://h${i % 97}.example/${i % 13}`]);
      // the same value under another kind is another entity; a repeat of an early one comes late
      adds.push([i % 2 === 0 ? 'domain' : 'url', `h${i % 31}.example`]);
      adds.push(['ip', `10.0.0.${i % 5}`]);
    }
    const out: Entity[] = [];
    for (const [kind, value] of adds) addEntity(out, kind, value);
    assert.deepEqual(out, scanned(adds), `n = ${n}`);
  }
});

test('addEntity past the scan size takes in entries pushed by other hands, and an array shortened since', () => {
  const out: Entity[] = [];
  for (let i = 0; i < 20; i++) addEntity(out, 'port', String(i));
  out.push({ kind: 'port', value: 'pushed' });
  addEntity(out, 'port', 'pushed');
  addEntity(out, 'port', '3');
  assert.equal(out.length, 21);
  out.length = 18;
  addEntity(out, 'port', '19');
  addEntity(out, 'port', '17');
  assert.deepEqual(out.map((e) => e.value), [...Array.from({ length: 18 }, (_, i) => String(i)), '19']);
});

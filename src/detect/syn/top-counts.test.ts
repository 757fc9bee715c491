/** The bounded top counts behind the host panel's ports and destinations (top-counts.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOP_KEPT, TopCounts } from './top-counts.js';

test('exact while a host has sent to at most TOP_KEPT distinct values, most first', () => {
  const t = new TopCounts<number>();
  for (let i = 0; i < 5; i++) t.add(22);
  for (let i = 0; i < 3; i++) t.add(443);
  t.add(80);
  assert.deepEqual(t.top(2), [
    { value: 22, count: 5, over: 0 },
    { value: 443, count: 3, over: 0 },
  ]);
});

test('a host spraying 60,000 ports keeps TOP_KEPT counters; the port it hammers stays listed with bounds that hold', () => {
  const t = new TopCounts<number>();
  const sent = new Map<number, number>();
  const add = (p: number) => {
    t.add(p);
    sent.set(p, (sent.get(p) ?? 0) + 1);
  };
  for (let p = 1; p <= 60_000; p++) {
    add(p);
    if (p % 10 === 0) add(22); // 6,000 SYNs to 22 among the spray: a tenth of them
  }
  const held = t.top(1_000);
  assert.equal(held.length, TOP_KEPT, 'no more counters than TOP_KEPT');
  assert.equal(held[0]!.value, 22);
  for (const x of held) {
    const real = sent.get(x.value)!;
    assert.ok(x.count - x.over <= real && real <= x.count, `${x.value}: ${real} SYNs within [${x.count - x.over}, ${x.count}]`);
  }
  assert.ok(held[0]!.count - held[0]!.over >= 6_000 - 60_000 / TOP_KEPT, 'the heavy port is held with most of its SYNs counted for sure');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, weightedIndex, zipfPicker } from './prng.js';

test('mulberry32 repeats by seed and spreads over [0, 1)', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const buckets = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const x = a();
    assert.equal(x, b());
    assert.ok(x >= 0 && x < 1);
    buckets[Math.floor(x * 10)]!++;
  }
  assert.ok(buckets.every((n) => n > 9000 && n < 11_000), JSON.stringify(buckets));
});

test('zipf picks by rank: the first item most often, the tail still reachable', () => {
  const items = Array.from({ length: 300 }, (_, i) => i);
  for (const exponent of [1, 0.8, 1.2]) {
    const pick = zipfPicker(items, exponent);
    const rng = mulberry32(1);
    const counts = new Array<number>(300).fill(0);
    for (let i = 0; i < 200_000; i++) counts[pick(rng)]!++;
    assert.ok(counts[0]! > counts[1]! && counts[1]! > counts[9]! && counts[9]! > counts[99]!, `exponent ${exponent}`);
    assert.ok(counts.slice(200).some((n) => n > 0));
    const ratio = counts[0]! / counts[9]!;
    assert.ok(ratio > Math.pow(10, exponent) * 0.5 && ratio < Math.pow(10, exponent) * 2, `exponent ${exponent}: ratio ${ratio}`);
  }
});

test('weightedIndex follows the weights, and a tiny weight still gets drawn', () => {
  const pick = weightedIndex([70, 29.95, 0.05]);
  const rng = mulberry32(3);
  const counts = [0, 0, 0];
  for (let i = 0; i < 100_000; i++) counts[pick(rng)]!++;
  assert.ok(Math.abs(counts[0]! / 100_000 - 0.7) < 0.01 && counts[2]! > 0, JSON.stringify(counts));
});

/** A wave row's `allFew` as the Alerts page reads it (flood-detail.ts): true, absent, malformed, on a flood, and the board's own rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore } from '../findings/store.js';
import { FindingsBudget, type FlaggedHost } from './board-findings.js';
import { allFewText, floodDetailOf } from './flood-detail.js';
import { flushInto } from './testing.js';

const T = Date.UTC(2026, 11, 4, 15, 20, 16);
const FEW = "Every source sent only 1–2 SYNs: too few for any one to be a finding of its own (probes sweeping many networks, or a spoofed flood's sources)";
/** a wave with one earlier wave: something to disclose besides `allFew` */
const wave = { sources: 40, dport: 23, examples: [], earlier: [{ from: T - 4_000_000, to: T - 3_990_000, sources: 1 }], earlierCount: 1 };

test('a wave whose every source sent 1–2 SYNs says so in its Why\'s words', () => {
  const v = floodDetailOf('syn-wave', { ...wave, allFew: true });
  assert.ok(v !== null);
  assert.equal(v.allFew, true);
  assert.equal(allFewText(v), FEW);
  // with a restart line and no lists too
  const restarted = floodDetailOf('syn-wave', { sources: 19, dport: 23, allFew: true, beforeRestart: { to: T, sources: 12, restarts: 1 } });
  assert.equal(restarted && allFewText(restarted), FEW);
});

test('a wave whose sources were not all few-SYN ones, a row from before the field, and a malformed one say nothing of it; the lists still read', () => {
  for (const allFew of [false, undefined, 'true', 1, null, {}, [true]]) {
    const v = floodDetailOf('syn-wave', { ...wave, allFew });
    assert.ok(v !== null, String(allFew));
    assert.equal(v.allFew, false, JSON.stringify(allFew));
    assert.equal(allFewText(v), '');
    assert.equal(v.earlier.length, 1);
  }
});

test('a flood says nothing of it (the server writes it for waves only), and allFew alone discloses nothing: the Why says it first', () => {
  const flood = floodDetailOf('syn-flood', { ...wave, allFew: true });
  assert.equal(flood?.allFew, false);
  assert.equal(floodDetailOf('syn-wave', { sources: 40, dport: 23, examples: [], allFew: true }), null);
});

const MIN = 60e6;
/** `n` sources of `count` SYNs each to port 23 of as many victims (`10.<net>.0.i`, 10 ms apart from `t0`): a scanning wave. */
const hosts = (net: number, n: number, t0: number, count: number): FlaggedHost[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.${net}.0.${i}`, score: 0.9, count, firstSeen: t0 + i * 10_000, lastSeen: t0 + i * 10_000, dst: `198.51.${net}.${i}`, dport: 23 }));

/** The board's wave row after two waves three hours apart (the second tells the first as earlier), its sources of `count` SYNs. */
function boardWave(count: number): { detector: string; detail: unknown } {
  const store = new FindingsStore(':memory:');
  // every host is summed (no budget one by one), so hosts of 5 SYNs make a wave too
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 0 });
  const t1 = 10 * MIN;
  const t2 = t1 + 3 * 60 * MIN;
  flushInto(store, b, t1 + MIN, hosts(1, 30, t1, count));
  flushInto(store, b, t1 + 3 * MIN, []);
  flushInto(store, b, t2 + MIN, hosts(2, 25, t2, count));
  flushInto(store, b, t2 + 3 * MIN, []);
  const f = store.list({ detector: 'syn-wave' }).findings[0]!;
  store.close();
  return { detector: f.detector, detail: f.explanation.detail };
}

test("the board's own wave rows read back: one of one-SYN sources says so, one of 5-SYN sources does not", () => {
  const few = boardWave(1);
  const v = floodDetailOf(few.detector, few.detail);
  assert.ok(v !== null, JSON.stringify(few.detail));
  assert.equal(v.earlierCount, 1);
  assert.equal(allFewText(v), FEW);
  const many = boardWave(5);
  const w = floodDetailOf(many.detector, many.detail);
  assert.ok(w !== null, JSON.stringify(many.detail));
  assert.equal((many.detail as { allFew?: unknown }).allFew, false);
  assert.equal(allFewText(w), '');
});

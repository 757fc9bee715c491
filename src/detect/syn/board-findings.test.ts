/** The findings budget: hosts one by one up to the minute's budgets, then summed per victim (floods) or per port (waves). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEW_SYNS, FindingsBudget, type FlaggedHost } from './board-findings.js';

const MIN = 60e6;
const host = (i: number, count: number, dport = 23, dst = '203.0.113.5'): FlaggedHost => ({ ip: `198.51.100.${i}`, score: 0.9 + i / 1000, count, firstSeen: 10 * MIN, lastSeen: 10 * MIN + i, dst, dport });

test('past the minute budget, scanners are one syn-wave finding per destination port', () => {
  const b = new FindingsBudget({ threshold: 0.86, modelVersion: 'm', perMinute: 3, fewPerMinute: 2 });
  b.begin(10 * MIN);
  const own = Array.from({ length: 10 }, (_, i) => b.admit(host(i, 40))).filter(Boolean).length;
  b.admit(host(50, 40, 2323));
  assert.equal(own, 3);
  const summed = b.summed();
  assert.deepEqual(summed.map((f) => [f.detector, f.entity, (f.explanation.detail as { sources: number }).sources]), [['syn-wave', 'port:23', 7], ['syn-wave', 'port:2323', 1]]);
  assert.match(summed[0]!.explanation.summary, /^7 more sources sending SYNs to port 23 scored ≥ 0\.86 .* past the 3 hosts reported one by one per minute/);
  assert.equal(summed[0]!.score, 0.909, 'the highest score of the group');
  assert.equal(summed[0]!.evidence.query, 'port:23');
});

test('few-SYN sources have their own, smaller budget and are summed per victim; a new minute starts afresh', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 10, fewPerMinute: 2 });
  b.begin(10 * MIN);
  const got = [host(1, 1), host(2, FEW_SYNS), host(3, 1), host(4, 1, 80, '203.0.113.9'), host(5, 30)].map((h) => b.admit(h));
  assert.deepEqual(got, [true, true, false, false, true], 'two few-SYN hosts one by one; the 30-SYN host still fits the overall budget');
  assert.deepEqual(b.summed().map((f) => [f.detector, f.entity]), [['syn-flood', 'ip:203.0.113.5'], ['syn-flood', 'ip:203.0.113.9']]);
  b.begin(10 * MIN + 1);
  assert.equal(b.admit(host(6, 1)), false, 'the same minute: still over');
  assert.equal(b.summed().length, 1, 'groups are per flush');
  b.begin(11 * MIN);
  assert.equal(b.admit(host(7, 1)), true, 'a new minute, a new budget');
});

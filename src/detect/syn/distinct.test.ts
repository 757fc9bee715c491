/** Distinct counts in bounded memory: exact ports at any count, addresses exact up to 256 and within 1% past it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistinctAddrs, DistinctPorts, EXACT_UP_TO } from './distinct.js';
import { ipv4ToString } from './decode.js';

test('ports are counted exactly at any count, repeats once', () => {
  const p = new DistinctPorts();
  for (let round = 0; round < 2; round++) for (let port = 0; port < 65_536; port += 3) p.add(port);
  assert.equal(p.size, Math.ceil(65_536 / 3));
});

test('addresses: exact up to 256, then within 1% up to 200,000 (the log2 bins past 256 move only near their edges)', () => {
  const a = new DistinctAddrs();
  for (let i = 0; i < EXACT_UP_TO; i++) {
    a.add(ipv4ToString(0xc0a80000 + i));
    a.add(ipv4ToString(0xc0a80000 + i));
    assert.equal(a.size, i + 1);
  }
  for (let i = EXACT_UP_TO; i < 200_000; i++) {
    a.add(ipv4ToString(0x0a000000 + i * 7919));
    const n = i + 1;
    if (n === 300 || n === 4096 || n === 65_536 || n === 200_000) assert.ok(Math.abs(a.size - n) <= Math.max(2, n * 0.01), `${n}: ${a.size}`);
  }
  // a repeat adds nothing
  const before = a.size;
  a.add(ipv4ToString(0x0a000000 + 5 * 7919));
  assert.equal(a.size, before);
});

test('an address estimate never exceeds the values added (a host of 10,000 SYNs was "on 10,009 hosts")', () => {
  const a = new DistinctAddrs();
  let over = 0;
  for (let i = 0; i < 20_000; i++) {
    a.add(ipv4ToString(0x0a000000 + i * 7919));
    if (a.size > i + 1) over++;
  }
  assert.equal(over, 0);
  assert.ok(a.size <= 20_000 && a.size >= 19_800, String(a.size));
});

test('ports as runs of consecutive ports, exact in the set and in the map, at most so many runs', () => {
  const few = new DistinctPorts();
  for (const p of [443, 22, 80, 81, 82, 22]) few.add(p);
  assert.deepEqual(few.ranges(10), { ranges: [{ from: 22, to: 22 }, { from: 80, to: 82 }, { from: 443, to: 443 }], more: 0 });
  const spray = new DistinctPorts();
  for (let p = 1; p <= 60_000; p++) spray.add(p);
  spray.add(65_535);
  for (let p = 0; p < 5; p++) spray.add(62_000 + 2 * p);
  assert.deepEqual(spray.ranges(3), { ranges: [{ from: 1, to: 60_000 }, { from: 62_000, to: 62_000 }, { from: 62_002, to: 62_002 }], more: 4 });
});

/** Address texts through the decoder's caches: the same text as built from the bytes, hit or miss. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSyn, ipv6ToString, LINKTYPE } from './decode.js';
import { newStats } from './types.js';

/** A raw IPv6 packet carrying a bare TCP SYN from `src` to `dst` (16 bytes each). */
function v6Syn(src: Uint8Array, dst: Uint8Array): Uint8Array {
  const b = new Uint8Array(60);
  b[0] = 0x60;
  b[5] = 20; // payload length
  b[6] = 6; // TCP
  b[7] = 64;
  b.set(src, 8);
  b.set(dst, 24);
  b[40 + 12] = 5 << 4; // data offset
  b[40 + 13] = 0x02; // SYN
  return b;
}

test('IPv6 address texts are right for thousands of addresses, seen once and again (cache hits and evictions)', () => {
  let x = 12345;
  const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
  // many addresses that differ in one word only, and many sharing a /64, to stress the index
  const addrs = Array.from({ length: 3000 }, (_, i) => {
    const a = new Uint8Array(16);
    if (i % 3 === 0) a.set([0x20, 0x01, 0x0d, 0xb8]);
    for (let k = i % 3 === 0 ? 12 : 0; k < 16; k++) a[k] = rand();
    if (i % 5 === 0) a.fill(0, 2, 14); // long zero runs (the :: form)
    return a;
  });
  const stats = newStats();
  for (let pass = 0; pass < 2; pass++) {
    addrs.forEach((a, i) => {
      const d = addrs[(i * 7 + 1) % addrs.length]!;
      const pkt = v6Syn(a, d);
      const s = decodeSyn(LINKTYPE.RAW, pkt, 0, pkt.length, 0, stats);
      assert.ok(s !== null);
      assert.equal(s.src, ipv6ToString(a, 0), `pass ${pass} source ${i}`);
      assert.equal(s.dst, ipv6ToString(d, 0), `pass ${pass} destination ${i}`);
      assert.equal(s.v, 6);
    });
  }
});

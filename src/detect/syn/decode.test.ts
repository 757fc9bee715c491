/** Address texts through the decoder's caches: the same text as built from the bytes, hit or miss. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSyn, ipv6ToString, LINKTYPE } from './decode.js';
import { newStats } from './types.js';
import { formatIPv6, parseIp } from '../../core/index.js';
import { frame, mplsFrame, pppoeFrame, synIpPacket, type SynSpec } from './pcap-writer.js';

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

test('SYNs behind MPLS label stacks, Ethernet over MPLS and PPPoE sessions are read; truncated ones are counted, never thrown', () => {
  const spec = (dport: number, v6: boolean): SynSpec => ({
    t: 0, src: v6 ? '2001:db8::1' : '192.0.2.1', dst: v6 ? '2001:db8::2' : '198.51.100.2',
    sport: 40000, dport, ttl: 61, ipid: 7, win: 29200, seq: 99, mss: 1460, ws: 7, sack: true, ts: true,
  });
  const frames: [string, Buffer, number][] = [
    ['MPLS, two labels, IPv4', mplsFrame(synIpPacket(spec(1001, false)), [16, 1048575]), 1001],
    ['MPLS, one label, IPv6', mplsFrame(synIpPacket(spec(1002, true)), [299]), 1002],
    ['Ethernet over MPLS (control word)', mplsFrame(synIpPacket(spec(1003, false)), [16, 17], true), 1003],
    ['PPPoE, IPv4', pppoeFrame(synIpPacket(spec(1004, false))), 1004],
    ['PPPoE, IPv6', pppoeFrame(synIpPacket(spec(1005, true))), 1005],
  ];
  for (const [what, f, dport] of frames) {
    const stats = newStats();
    const s = decodeSyn(LINKTYPE.ETHERNET, f, 0, f.length, 5, stats);
    assert.ok(s !== null, `${what}: ${JSON.stringify(stats.skipped)}`);
    assert.deepEqual([s.dport, s.win, s.mss, s.ttl, s.seq], [dport, 29200, 1460, 61, 99], what);
    assert.equal(s.src, dport === 1002 || dport === 1005 ? '2001:db8::1' : '192.0.2.1', what);
    // every cut of the frame is a SYN or a counted skip
    for (let cut = 0; cut < f.length; cut++) {
      const st = newStats();
      const r = decodeSyn(LINKTYPE.ETHERNET, f, 0, cut, 5, st);
      assert.ok(r !== null || Object.keys(st.skipped).length === 1, `${what} cut at ${cut}`);
    }
  }
  // a label stack over something that is not IP, and PPP that is not IP: counted as not IP
  const notIp = mplsFrame(synIpPacket(spec(1, false)), [16]);
  notIp[18] = 0x85; // the payload's first nibble: neither 4, 6 nor a control word
  const lcp = pppoeFrame(synIpPacket(spec(1, false)));
  lcp.writeUInt16BE(0xc021, 20);
  for (const f of [notIp, lcp]) {
    const stats = newStats();
    assert.equal(decodeSyn(LINKTYPE.ETHERNET, f, 0, f.length, 0, stats), null);
    assert.deepEqual(stats.skipped, { not_ip: 1 });
  }
  // sixteen labels are walked; a seventeenth (no bottom of stack in sight) is a bad header, not a short packet
  const deep = (n: number): Buffer => mplsFrame(synIpPacket(spec(1007, false)), Array.from({ length: n }, (_, i) => 16 + i));
  assert.equal(decodeSyn(LINKTYPE.ETHERNET, deep(16), 0, deep(16).length, 0, newStats())?.dport, 1007);
  const st17 = newStats();
  assert.equal(decodeSyn(LINKTYPE.ETHERNET, deep(17), 0, deep(17).length, 0, st17), null);
  assert.deepEqual(st17.skipped, { bad_header: 1 });
  // a VLAN tag after a cooked header (SLL with ethertype 802.1Q)
  const sll = frame(synIpPacket(spec(1006, false)), LINKTYPE.SLL);
  const tagged = Buffer.concat([sll.subarray(0, 14), Buffer.from([0x81, 0x00, 0x00, 0x64]), sll.subarray(14)]);
  const s = decodeSyn(LINKTYPE.SLL, tagged, 0, tagged.length, 0, newStats());
  assert.equal(s?.dport, 1006);
});

test('IPv6 texts are the ones the parser and search write (core formatIPv6): IPv4-mapped as ::ffff:1.2.3.4', () => {
  const mapped = new Uint8Array(16);
  mapped.set([0xff, 0xff, 1, 2, 3, 4], 10);
  assert.equal(ipv6ToString(mapped, 0), '::ffff:1.2.3.4');
  const pkt = v6Syn(mapped, mapped);
  const s = decodeSyn(LINKTYPE.RAW, pkt, 0, pkt.length, 0, newStats());
  assert.deepEqual([s?.src, s?.dst], ['::ffff:1.2.3.4', '::ffff:1.2.3.4']);
  // near misses stay hex; and every text agrees with core's, zero runs and all
  let x = 777;
  const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
  const cases: Uint8Array[] = [new Uint8Array(16), Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 1 : 0))];
  for (let i = 0; i < 2000; i++) {
    const a = Uint8Array.from({ length: 16 }, rand);
    if (i % 4 === 0) a.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);
    if (i % 4 === 1) a.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff]);
    if (i % 4 === 2) a.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    if (i % 8 === 3) a.fill(0, 4, 10);
    cases.push(a);
  }
  for (const a of cases) {
    const groups = Array.from({ length: 8 }, (_, i) => (a[2 * i]! << 8) | a[2 * i + 1]!);
    assert.equal(ipv6ToString(a, 0), formatIPv6(groups), groups.join(','));
    assert.equal(parseIp(ipv6ToString(a, 0))?.text, ipv6ToString(a, 0));
  }
});

test('IPv6 extension header chains: 16 are walked; more is a bad_header, not a short packet; a cut one is short', () => {
  const chain = (n: number): Uint8Array => {
    const syn = v6Syn(new Uint8Array(16), new Uint8Array(16));
    const b = new Uint8Array(40 + 8 * n + 20);
    b.set(syn.subarray(0, 40));
    b[4] = ((8 * n + 20) >> 8) & 255;
    b[5] = (8 * n + 20) & 255;
    b[6] = n === 0 ? 6 : 60; // destination options, each 8 bytes
    for (let i = 0; i < n; i++) b[40 + 8 * i] = i === n - 1 ? 6 : 60;
    b.set(syn.subarray(40), 40 + 8 * n);
    return b;
  };
  for (const [n, skipped] of [[0, {}], [16, {}], [17, { bad_header: 1 }], [20, { bad_header: 1 }]] as const) {
    const stats = newStats();
    const p = chain(n);
    const s = decodeSyn(LINKTYPE.RAW, p, 0, p.length, 0, stats);
    assert.equal(s !== null, n <= 16, `${n} headers`);
    assert.deepEqual(stats.skipped, skipped, `${n} headers`);
  }
  const stats = newStats();
  const p = chain(10);
  assert.equal(decodeSyn(LINKTYPE.RAW, p, 0, 40 + 8 * 5 + 3, 0, stats), null);
  assert.deepEqual(stats.skipped, { short_packet: 1 }, 'a chain cut inside a header');
  const nnh = newStats();
  const q = chain(2);
  q[40] = 59; // no next header after the first option header
  assert.equal(decodeSyn(LINKTYPE.RAW, q, 0, 40 + 8, 0, nnh), null);
  assert.deepEqual(nnh.skipped, { not_tcp: 1 });
});

test('a SYN whose TCP options the snaplen cut off is kept, read as far as it goes, and counted', () => {
  const p = synIpPacket({ t: 0, src: '192.0.2.1', dst: '198.51.100.2', sport: 40000, dport: 443, ttl: 64, ipid: 7, win: 64240, seq: 99, mss: 1460, ws: 7, sack: true, ts: true });
  const doff = (p[20 + 12]! >> 4) * 4;
  assert.ok(doff > 20, 'the SYN has options');
  const whole = newStats();
  const s = decodeSyn(LINKTYPE.RAW, p, 0, 20 + doff, 0, whole);
  assert.ok(s !== null && s.mss === 1460 && s.ws === 7);
  assert.equal(whole.truncatedOptions, undefined);
  for (const cut of [20 + 20, 20 + 22, 20 + doff - 1]) {
    const st = newStats();
    const r = decodeSyn(LINKTYPE.RAW, p, 0, cut, 0, st);
    assert.ok(r !== null, `cut at ${cut}`);
    assert.equal(st.truncatedOptions, 1, `cut at ${cut}`);
    assert.deepEqual(st.skipped, {});
  }
});

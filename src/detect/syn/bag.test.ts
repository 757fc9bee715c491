/** The wide input's bag of fingerprint tokens: golden tokens per tool, shares, host context, hashing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAG_SIZE, bucket, TOKEN_KINDS as K, windowBag, type Bag } from './bag.js';
import { hostWindows } from './image.js';
import type { SynPacket } from './types.js';

const syn = (o: Partial<SynPacket>): SynPacket => ({
  t: 1_000_000, v: 4, src: '198.51.100.7', dst: '203.0.113.9', src4: 0xc6336407, dst4: 0xcb007109, sport: 40000, dport: 443,
  ttl: 64, ipid: 1234, win: 64240, seq: 7, mss: 1460, ws: 7, sack: true, ts: true, opts: 'MSTNW', len: 60, ...o,
});

/** token → value, for the tokens of `bag` (collisions would merge two names in one bucket) */
function tokens(b: Bag): Map<string, number> {
  const m = new Map<string, number>();
  b.names!.forEach((ns, i) => ns.forEach((n) => m.set(n, b.val[i]!)));
  return m;
}

const GOLDEN = [8345,13978,6723,6805];

const bagOf = (syns: SynPacket[]): Map<string, number> => tokens(windowBag(syns, undefined, hostWindows(syns)[0]!.ctx, true));

test('a Linux client SYN: its stack tuple, no tool tells', () => {
  const t = bagOf([syn({})]);
  assert.equal(t.get('stack: window 64240, TTL 64, options MSTNW, MSS 1460'), 1);
  assert.equal(t.get('initial TTL 64'), 1);
  assert.equal(t.get('dport 443'), 1);
  assert.equal(t.get('dport < 1024'), 1);
  assert.equal(t.get('host SYNs 1'), 1);
  for (const tell of ["IP ID 54321 (ZMap's)", 'IP ID 0', "sequence = destination address (Mirai's)", "IP ID = dst ⊕ dport ⊕ seq (masscan's)"]) assert.equal(t.has(tell), false, tell);
});

test('tool tells: ZMap IP ID, Mirai sequence = destination, masscan IP ID relation', () => {
  assert.equal(bagOf([syn({ ipid: 54321, win: 65535, ttl: 250, opts: '', mss: -1, ws: -1 })]).get("IP ID 54321 (ZMap's)"), 1);
  assert.equal(bagOf([syn({ seq: 0xcb007109 })]).get("sequence = destination address (Mirai's)"), 1);
  const seq = 0x12345678;
  const ipid = (0xcb007109 ^ 80 ^ seq) & 0xffff;
  assert.equal(bagOf([syn({ seq, ipid, dport: 80 })]).get("IP ID = dst ⊕ dport ⊕ seq (masscan's)"), 1);
});

test('per-SYN tokens are shares of the window; host counts are log-binned', () => {
  const syns = Array.from({ length: 8 }, (_, i) => syn({ t: 1_000_000 + i * 1000, dport: i < 6 ? 22 : 23, sport: 40000 + i }));
  const t = bagOf(syns);
  assert.equal(t.get('dport 22'), 6 / 8);
  assert.equal(t.get('dport 23'), 2 / 8);
  assert.equal(t.get('host SYNs 8–15'), 1);
  assert.equal(t.get('host dports 2–3'), 1);
  assert.equal(t.get('median gap 512–1023 µs'), 1); // 1000 µs
  assert.equal(t.has('source port repeated'), false);
});

test('buckets are stable, in range, and the bag lists each bucket once, sorted', () => {
  assert.equal(bucket(K.dport, 445), bucket(K.dport, 445));
  assert.notEqual(bucket(K.dport, 445), bucket(K.dport, 443));
  // golden: the hash must not change between versions, or shipped weights would read other tokens
  assert.deepEqual([bucket(K.dport, 445), bucket(K.dport, 443), bucket(K.win, 65535), bucket(K.ipid54321)], GOLDEN);
  const b = windowBag(Array.from({ length: 32 }, (_, i) => syn({ dport: 1000 + i, t: 1e6 + i })), undefined, { count: 32, distinctPorts: 32, distinctDsts: 1, firstSeen: 1e6, lastSeen: 1e6 + 31 });
  for (let i = 0; i < b.idx.length; i++) {
    assert.ok(b.idx[i]! >= 0 && b.idx[i]! < BAG_SIZE);
    if (i > 0) assert.ok(b.idx[i]! > b.idx[i - 1]!);
  }
  assert.equal(windowBag([], undefined, { count: 0, distinctPorts: 0, distinctDsts: 0, firstSeen: 0, lastSeen: 0 }).idx.length, 0);
});

test('an IPv6 SYN, which has no IP ID, reads as IPv6, never as IP ID 0 or a tool tell of IPv4', () => {
  const t = bagOf([syn({ v: 6, ipid: 0, src: '2001:db8:5::1', dst: '2001:db8:d::2', seq: 0xcb007109 })]);
  assert.equal(t.get('IPv6'), 1);
  for (const tell of ['IP ID 0', "IP ID 54321 (ZMap's)", "sequence = destination address (Mirai's)", "IP ID = dst ⊕ dport ⊕ seq (masscan's)"]) assert.equal(t.has(tell), false, tell);
  // and an IPv4 SYN with IP ID 0 still says so
  assert.equal(bagOf([syn({ ipid: 0 })]).get('IP ID 0'), 1);
  assert.equal(bagOf([syn({ ipid: 0 })]).has('IPv6'), false);
});

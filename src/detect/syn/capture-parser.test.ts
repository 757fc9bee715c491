/** pcapng interface options read as the spec writes them, and packet times a Date cannot hold never passed on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcapng } from './pcap-writer.js';
import { synsFromBuffer } from './read.js';

const SYN = frame(synIpPacket({ t: 0, src: '10.9.9.9', dst: '10.0.0.1', sport: 40000, dport: 22, ttl: 64, ipid: 1, win: 1024, seq: 1, mss: -1, ws: -1, sack: false, ts: false }), LINKTYPE.ETHERNET);

/** One pcapng section in either byte order; `opts` are the interface's options (code, value), `ts` each packet's raw 64-bit time. */
const ng = (opts: [number, Buffer][], ts: readonly bigint[], le = true): Buffer =>
  writePcapng([{ linktype: LINKTYPE.ETHERNET, options: opts }], ts.map((units) => ({ t: 0, units, frame: SYN })), { bigEndian: !le });

const i64 = (v: bigint, le = true): Buffer => {
  const b = Buffer.alloc(8);
  if (le) b.writeBigInt64LE(v);
  else b.writeBigInt64BE(v);
  return b;
};

const T0 = 1_700_000_000_000_000n; // µs

test('if_tsoffset is a signed number of seconds: a negative offset moves packets back, in either byte order', () => {
  for (const le of [true, false]) {
    for (const off of [-3600n, 3600n, 0n]) {
      const { syns, stats } = synsFromBuffer(ng([[14, i64(off, le)]], [T0, T0 + 2000n], le));
      assert.deepEqual(stats.skipped, {}, `offset ${off} ${le ? 'LE' : 'BE'}`);
      assert.deepEqual(
        syns.map((s) => s.t),
        [Number(T0 + off * 1_000_000n), Number(T0 + off * 1_000_000n) + 2000],
        `offset ${off} ${le ? 'LE' : 'BE'}`,
      );
    }
  }
});

test('a packet time before 1970 or past what a Date holds is a counted bad_header, never passed on; the rest are read', () => {
  const cases: [string, Buffer, number][] = [
    ['offset -1 s on a 1 µs time', ng([[14, i64(-1n)]], [1n, T0]), 1],
    ['offset -2^63 s', ng([[14, i64(-(2n ** 63n))]], [T0]), 1],
    ['offset 2^62 s', ng([[14, i64(2n ** 62n)]], [T0]), 1],
    ['resolution of 1 s with a 2^63 count', ng([[9, Buffer.from([0])]], [2n ** 63n, 1_700_000_000n]), 1],
    ['resolution 2^-127 s with the largest count is still fine', ng([[9, Buffer.from([0xff])]], [2n ** 64n - 1n]), 0],
  ];
  for (const [what, buf, bad] of cases) {
    const { syns, stats } = synsFromBuffer(buf);
    assert.equal(stats.skipped.bad_header ?? 0, bad, what);
    for (const s of syns) {
      assert.ok(Number.isFinite(s.t) && s.t >= 0, `${what}: ${s.t}`);
      assert.doesNotThrow(() => new Date(s.t / 1000).toISOString(), what);
    }
  }
  // the good packet after a bad one is read at its own time
  const { syns } = synsFromBuffer(ng([[14, i64(-1n)]], [1n, T0]));
  assert.deepEqual(
    syns.map((s) => s.t),
    [Number(T0) - 1e6],
  );
});

/** The capture reader: golden fixtures for every format and link layer, chunked input, and fuzzing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isAppError } from '../../core/index.js';
import { CaptureParser } from './capture-parser.js';
import { decodeSyn, LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcap } from './pcap-writer.js';
import { readSynFile, synsFromBuffer, synBatches } from './read.js';
import { newStats } from './types.js';
import { fixturesDir } from '../../cli/testing.js';

const FIX = fixturesDir('syn');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as Record<string, ReturnType<typeof readSynFile>>;

test('golden fixtures: pcap µs/ns, both byte orders, Ethernet, raw, SLL, SLL2, VLAN/QinQ, IPv6 extension headers, pcapng', () => {
  const names = readdirSync(FIX).filter((n) => /\.pcap(ng)?$/.test(n));
  assert.equal(names.length, 8);
  for (const n of names) assert.deepEqual(readSynFile(join(FIX, n)), expected[n], n);
});

test('golden values: the fields of the first SYNs are what was written', () => {
  const { syns, stats } = readSynFile(join(FIX, 'vlan-qinq.pcap'));
  assert.equal(stats.skipped.not_syn, 2);
  const [linux, zmap, nmap, v6] = syns;
  assert.deepEqual([linux!.src, linux!.dst, linux!.sport, linux!.dport, linux!.ttl, linux!.ipid, linux!.win, linux!.seq], ['10.0.0.5', '93.184.216.34', 40000, 443, 64, 4321, 64240, 123456789]);
  assert.deepEqual([linux!.mss, linux!.ws, linux!.sack, linux!.ts, linux!.opts, linux!.len], [1460, 7, true, true, 'MSTNW', 60]);
  assert.deepEqual([zmap!.ipid, zmap!.win, zmap!.ttl, zmap!.seq, zmap!.opts], [54321, 65535, 255, 0xdeadbeef, '']);
  assert.equal(nmap!.t, 1_700_000_002_000_001);
  assert.deepEqual([v6!.v, v6!.src, v6!.dst, v6!.ttl], [6, '2001:db8::1', '2001:db8:0:1::80', 57]);
  // pcapng: the simple packet block carries no time and takes the previous packet's
  const ng = readSynFile(join(FIX, 'multi-if.pcapng')).syns;
  assert.equal(ng[3]!.t, ng[2]!.t);
});

test('any chunking gives the same packets as one buffer', async () => {
  for (const n of ['multi-if.pcapng', 'raw-ns-be.pcap']) {
    const buf = readFileSync(join(FIX, n));
    for (const step of [1, 3, 7, 64]) {
      const stats = newStats();
      const got: number[] = [];
      const p = new CaptureParser((lt, b, o, e, t) => {
        const s = decodeSyn(lt, b, o, e, t, stats);
        if (s) got.push(s.seq);
      }, stats);
      for (let i = 0; i < buf.length; i += step) p.push(buf.subarray(i, i + step));
      p.end();
      assert.deepEqual(got, expected[n]!.syns.map((s) => s.seq), `${n} step ${step}`);
    }
    let all = 0;
    for await (const b of synBatches(join(FIX, n))) all += b.length;
    assert.equal(all, expected[n]!.syns.length);
  }
});

test('truncated files count a skip; garbage gives PCAP_ errors', () => {
  const buf = readFileSync(join(FIX, 'eth-us-le.pcap'));
  const cut = synsFromBuffer(buf.subarray(0, buf.length - 5));
  assert.equal(cut.syns.length, 4);
  assert.equal(cut.stats.skipped.truncated_file, 1);
  assert.throws(() => synsFromBuffer(Buffer.from('hello world, not a capture')), (e) => isAppError(e) && e.code === 'PCAP_BAD_MAGIC');
  assert.throws(() => synsFromBuffer(Buffer.alloc(0)), (e) => isAppError(e) && e.code === 'PCAP_EMPTY');
  // cut inside the file header or the first block: nothing can be read, so an error, not "0 SYNs"
  assert.throws(() => synsFromBuffer(buf.subarray(0, 10)), (e) => isAppError(e) && e.code === 'PCAP_TRUNCATED' && /ends inside its pcap file header/.test(e.message));
  assert.equal(synsFromBuffer(buf.subarray(0, 24)).stats.records, 0, 'a header alone is an empty capture');
  const ngWhole = readFileSync(join(FIX, 'be.pcapng'));
  assert.throws(() => synsFromBuffer(ngWhole.subarray(0, 20)), (e) => isAppError(e) && e.code === 'PCAP_TRUNCATED' && /first pcapng block/.test(e.message));
  assert.throws(() => readSynFile(join(FIX, 'nope.pcap')), (e) => isAppError(e) && e.code === 'PCAP_OPEN_FAILED');
  const bad = Buffer.from(buf);
  bad.writeUInt32LE(0x7fffffff, 24 + 8); // first record claims 2 GB
  assert.throws(() => synsFromBuffer(bad), (e) => isAppError(e) && e.code === 'PCAP_CORRUPT' && /byte 24/.test(e.message));
  const ng = Buffer.from(readFileSync(join(FIX, 'be.pcapng')));
  ng.writeUInt32BE(13, 4);
  assert.throws(() => synsFromBuffer(ng), (e) => isAppError(e) && e.code === 'PCAP_CORRUPT');
});

test('a capture damaged past its first packets says how many read whole, when the last was, and the tcpdump command that keeps them; one cut short says where', () => {
  const buf = Buffer.from(readFileSync(join(FIX, 'eth-us-le.pcap')));
  const whole = synsFromBuffer(buf);
  // the third record's length made impossible
  let at = 24;
  for (let i = 0; i < 2; i++) at += 16 + buf.readUInt32LE(at + 8);
  buf.writeUInt32LE(0x7fffffff, at + 8);
  const last = new Date(Math.floor(whole.syns[1]!.t / 1000)).toISOString().replace('T', ' ').slice(0, 23);
  assert.throws(
    () => synsFromBuffer(buf, 'x.pcap'),
    (e) =>
      isAppError(e) &&
      e.code === 'PCAP_CORRUPT' &&
      e.message === `x.pcap has a record claiming 2147483647 bytes at byte ${at}: the file is damaged there; the 2 packets before it read whole (the last at ${last} UTC). To score them, keep them in a capture of their own: tcpdump -r x.pcap -c 2 -w good.pcap, then score good.pcap` &&
      (e.details as { records: number }).records === 2,
  );
  // a path the shell would split is quoted in the command, so that it can be pasted as it is
  assert.throws(() => synsFromBuffer(buf, "Mon capture's.pcap"), (e) => isAppError(e) && e.message.includes(`tcpdump -r 'Mon capture'\\''s.pcap' -c 2 -w good.pcap`));
  const cut = synsFromBuffer(readFileSync(join(FIX, 'eth-us-le.pcap')).subarray(0, at + 20));
  assert.equal(cut.stats.truncatedAt, at, 'where the cut packet starts');
  assert.equal(cut.stats.records, 2);
});

test('non-first fragments and non-TCP are counted, not decoded', () => {
  const ip = synIpPacket({ t: 0, src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, ttl: 64, ipid: 1, win: 1, seq: 1, mss: -1, ws: -1, sack: false, ts: false });
  const frag = Buffer.from(ip);
  frag[7] = 10;
  const udp = Buffer.from(ip);
  udp[9] = 17;
  const { syns, stats } = synsFromBuffer(writePcap([ip, frag, udp].map((f) => ({ t: 1, frame: frame(f, LINKTYPE.RAW) })), { linktype: LINKTYPE.RAW }));
  assert.equal(syns.length, 1);
  assert.deepEqual(stats.skipped, { fragment: 1, not_tcp: 1 });
});

const seeds = readdirSync(FIX).filter((n) => /\.pcap(ng)?$/.test(n)).map((n) => readFileSync(join(FIX, n)));

function noCrash(buf: Uint8Array): void {
  try {
    const { stats } = synsFromBuffer(Buffer.from(buf));
    assert.ok(stats.syns <= stats.records);
  } catch (e) {
    assert.ok(isAppError(e) && /^PCAP_/.test(e.code), `unexpected error ${String(e)}`);
  }
}

test('fuzz: corrupted fixtures never crash (PCAP_ error or counted skips)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), fc.nat(), (i, edits, cut) => {
      const b = Buffer.from(seeds[i]!);
      for (const [at, v] of edits) b[at % b.length] = v;
      noCrash(b.subarray(0, b.length - (cut % 64)));
    }),
    { numRuns: 1500 },
  );
});

test('fuzz: random frames on every link type never crash the decoder', () => {
  fc.assert(
    fc.property(fc.constantFrom(...Object.values(LINKTYPE), 9999), fc.uint8Array({ maxLength: 120 }), (lt, bytes) => {
      const stats = newStats();
      decodeSyn(lt, Buffer.from(bytes), 0, bytes.length, 0, stats);
    }),
    { numRuns: 3000 },
  );
});

test('a file that is not a capture is named, with the bytes it starts with in file order and the magic numbers expected', () => {
  // before, the first four bytes read as a number (0x4d4e2023 for "# NM") looked like the magic number expected
  assert.throws(
    () => synsFromBuffer(Buffer.from('# NML\n\nNetwork Muscle Learning'), 'README.md'),
    (e) =>
      isAppError(e) &&
      e.code === 'PCAP_BAD_MAGIC' &&
      e.message === 'README.md is not a capture: it starts with the bytes 23 20 4e 4d ("# NM"); expected a pcap or pcapng magic number: a1 b2 c3 d4 or d4 c3 b2 a1 for pcap (a1 b2 3c 4d or 4d 3c b2 a1 with nanosecond times), 0a 0d 0d 0a for pcapng',
  );
  // bytes that are not printable are shown in hex alone
  assert.throws(() => synsFromBuffer(Buffer.from([0x23, 0x01, 0x02, 0x00, 0, 0, 0, 0]), 'c.bin'), (e) => isAppError(e) && /^c\.bin is not a capture: it starts with the bytes 23 01 02 00; expected/.test(e.message));
});

test('a gzip-compressed capture is said to be one, with the pipe that reads it', () => {
  // it was "is not a capture: it starts with the bytes 1f 8b 08 00", which left the user to recognise gzip's magic
  assert.throws(
    () => synsFromBuffer(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]), 'x.pcapng.gz'),
    (e) => isAppError(e) && e.code === 'PCAP_BAD_MAGIC' && e.message === 'x.pcapng.gz is gzip-compressed (it starts with the bytes 1f 8b 08 00), not a capture as it is; decompress it first: zcat x.pcapng.gz | nml score syn - (or gunzip it and give the capture)',
  );
  assert.throws(() => synsFromBuffer(Buffer.from([0x1f, 0x8b, 0x08, 0x00]), 'standard input'), (e) => isAppError(e) && /^standard input is gzip-compressed .*\(\.\.\. \| zcat \| nml score syn -\)$/.test(e.message));
});

test('fuzz: MPLS, PPPoE and VLAN encapsulations with random headers and payloads never crash the decoder', () => {
  // an Ethernet header whose type is one of the encapsulations, then random bytes: label stacks without a bottom, control words, PPP types
  const types = [0x8847, 0x8848, 0x8864, 0x8100, 0x88a8, 0x9100];
  fc.assert(
    fc.property(fc.constantFrom(LINKTYPE.ETHERNET, LINKTYPE.SLL), fc.constantFrom(...types), fc.uint8Array({ maxLength: 120 }), (lt, type, bytes) => {
      const head = Buffer.alloc(lt === LINKTYPE.SLL ? 16 : 14);
      head.writeUInt16BE(type, head.length - 2);
      const f = Buffer.concat([head, Buffer.from(bytes)]);
      const stats = newStats();
      const s = decodeSyn(lt, f, 0, f.length, 0, stats);
      assert.ok(s !== null || Object.values(stats.skipped).reduce((a, b) => a + b, 0) === 1);
    }),
    { numRuns: 3000 },
  );
});

test('the real captures read without errors', { skip: existsSync(join(FIX, '../../../../shared/datasets/syn-more')) ? false : 'needs ../shared/datasets/syn-more' }, () => {
  const dir = join(FIX, '../../../../shared/datasets/syn-more/original');
  for (const n of readdirSync(dir)) {
    const { stats } = readSynFile(join(dir, n));
    assert.ok(stats.records > 0, n);
  }
});

test('a directory given as a capture is refused by name, not failed on at the first read (both readers)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-dir-'));
  try {
    const refused = (e: unknown): boolean => isAppError(e) && e.code === 'PCAP_OPEN_FAILED' && e.kind === 'bad_request' && /is a directory, not a capture/.test(e.message);
    assert.throws(() => readSynFile(dir), refused);
    await assert.rejects(async () => {
      for await (const b of synBatches(dir)) assert.fail(`read ${b.length} SYNs from a directory`);
    }, refused);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

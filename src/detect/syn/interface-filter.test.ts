/**
 * The live capture's kernel filter, applied by tcpdump to a crafted capture: SYNs pass (IPv4, IPv6 with
 * and without extension headers, VLAN-tagged); SYN-ACKs stay in the kernel where their flags can be read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LINKTYPE } from './decode.js';
import { SYN_FILTER } from './interface-capture.js';
import { frame, synIpPacket, writePcap, type SynSpec } from './pcap-writer.js';
import { synsFromBuffer } from './read.js';

const skip = spawnSync('tcpdump', ['--version']).status === 0 ? false : 'tcpdump is not installed (apt-get install tcpdump)';

const spec = (dport: number, v6: boolean, ack = false): SynSpec => ({
  t: 1_700_000_000_000_000 + dport, src: v6 ? '2001:db8::1' : '192.0.2.1', dst: v6 ? '2001:db8::2' : '198.51.100.2',
  sport: 40000, dport, ttl: 64, ipid: 1, win: 64240, seq: 1, mss: 1460, ws: 7, sack: true, ts: true, ack,
});

/** An IPv6 packet with a hop-by-hop options header (8 bytes of padding) between its header and TCP. */
function withHopByHop(ip: Buffer): Buffer {
  const ext = Buffer.from([6, 0, 1, 4, 0, 0, 0, 0]); // next header TCP, length 8, PadN
  const out = Buffer.concat([ip.subarray(0, 40), ext, ip.subarray(40)]);
  out.writeUInt16BE(ip.readUInt16BE(4) + 8, 4);
  out[6] = 0;
  return out;
}

test('the live SYN filter passes every kind of SYN and nothing else', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bpf-'));
  try {
    const E = LINKTYPE.ETHERNET;
    // the destination port names the packet; those below 2000 must pass, the others must not
    const frames = [
      frame(synIpPacket(spec(1001, false)), E),
      frame(synIpPacket(spec(1002, true)), E),
      frame(withHopByHop(synIpPacket(spec(1003, true))), E),
      frame(synIpPacket(spec(1004, false)), E, [100]),
      frame(synIpPacket(spec(1005, true)), E, [100]),
      frame(synIpPacket(spec(2001, false, true)), E),
      frame(synIpPacket(spec(2002, true, true)), E),
      frame(withHopByHop(synIpPacket(spec(2003, true, true))), E),
      frame(synIpPacket(spec(2004, false, true)), E, [100]),
    ];
    const input = join(dir, 'in.pcap');
    const output = join(dir, 'out.pcap');
    writeFileSync(input, writePcap(frames.map((f, i) => ({ t: 1_700_000_000_000_000 + i, frame: f })), { linktype: E }));
    // the decoder reads every one of them as crafted (the SYNs) or skips it (the SYN-ACKs)
    assert.deepEqual(synsFromBuffer(readFileSync(input)).syns.map((s) => s.dport), [1001, 1002, 1003, 1004, 1005]);
    const r = spawnSync('tcpdump', ['-r', input, '-w', output, SYN_FILTER], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { syns, stats } = synsFromBuffer(readFileSync(output));
    assert.deepEqual(syns.map((s) => s.dport), [1001, 1002, 1003, 1004, 1005]);
    // SYN-ACKs stay in the kernel, but for the one behind an IPv6 extension header: BPF cannot see its
    // flags, so it reaches the reader, which counts it as not a SYN
    assert.equal(stats.records, 6);
    assert.deepEqual(stats.skipped, { not_syn: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

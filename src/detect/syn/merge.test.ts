/** Several captures merged by time: every SYN once, in time order, each file's own stats. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LINKTYPE } from './decode.js';
import { mergedSynBatches } from './merge.js';
import { frame, synIpPacket, writePcap, type SynSpec } from './pcap-writer.js';
import { newStats, type SynPacket } from './types.js';

const syn = (t: number, src: string, dport: number): SynSpec => ({ t, src, dst: '198.51.100.1', sport: 40000, dport, ttl: 64, ipid: 1, win: 64240, seq: t, mss: 1460, ws: 7, sack: true, ts: true });

function capture(dir: string, name: string, syns: SynSpec[]): string {
  const file = join(dir, name);
  writeFileSync(file, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
  return file;
}

async function all(paths: string[]): Promise<{ syns: SynPacket[]; stats: ReturnType<typeof newStats>[] }> {
  const stats = paths.map(() => newStats());
  const syns: SynPacket[] = [];
  for await (const b of mergedSynBatches(paths, stats)) syns.push(...b);
  return { syns, stats };
}

test('two captures of one period come out as one, in time order, ties from the first file first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-merge-'));
  try {
    // timestamps in µs: a sensor on each side of a link, the same host seen by both
    const a = capture(dir, 'a.pcap', [syn(1000, '192.0.2.1', 1), syn(3000, '192.0.2.1', 3), syn(5000, '192.0.2.1', 5), syn(6000, '192.0.2.9', 6)]);
    const b = capture(dir, 'b.pcap', [syn(2000, '192.0.2.1', 2), syn(5000, '192.0.2.2', 50), syn(7000, '192.0.2.1', 7)]);
    const empty = capture(dir, 'empty.pcap', []);
    const { syns, stats } = await all([a, empty, b]);
    assert.deepEqual(syns.map((s) => s.dport), [1, 2, 3, 5, 50, 6, 7]);
    assert.deepEqual(stats.map((s) => s.syns), [4, 0, 3]);
    // one file streams through as it is, out-of-order SYNs included
    const c = capture(dir, 'c.pcap', [syn(2000, '192.0.2.1', 2), syn(1000, '192.0.2.1', 1)]);
    assert.deepEqual((await all([c])).syns.map((s) => s.dport), [2, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that is not a capture stops the merge with its PCAP_ error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-merge-bad-'));
  try {
    const a = capture(dir, 'a.pcap', [syn(1000, '192.0.2.1', 1)]);
    const bad = join(dir, 'bad.pcap');
    writeFileSync(bad, 'not a capture at all');
    await assert.rejects(all([a, bad]), (e: Error & { code?: string }) => /^PCAP_/.test(e.code ?? '') && e.message.includes('bad.pcap'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

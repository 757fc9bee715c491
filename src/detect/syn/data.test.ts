/** Loading labelled SYN data: the CSV files as published (CRLF line ends, quoted commas) give clean labels and categories. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadSynMore, loadSynPcaps } from './data.js';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcap, type SynSpec } from './pcap-writer.js';

/** Runs `fn` in a fresh temporary folder, removed afterwards. */
function inTempDir(prefix: string, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const syn = (src: string, i: number): SynSpec => ({ t: 1_700_000_000_000_000 + i * 1000, src, dst: '10.0.0.1', sport: 40000 + i, dport: 80, ttl: 64, ipid: i, win: 64240, seq: 1000 + i, mss: 1460, ws: 7, sack: true, ts: true });

/** A raw-IP pcap of the SYNs. */
const pcapOf = (packets: readonly SynSpec[]): Buffer => writePcap(packets.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.RAW) })), { linktype: LINKTYPE.RAW });

test('syn-more hosts.csv with CRLF line ends and quoted commas: labels and categories without a stray \\r', () => {
  inTempDir('nml-syn-more-', (dir) => {
    mkdirSync(join(dir, 'captures'));
    const packets = [syn('192.0.2.7', 0), syn('192.0.2.7', 1), syn('192.0.2.8', 2), syn('192.0.2.9', 3)];
    writeFileSync(join(dir, 'captures', 'x.pcap'), pcapOf(packets));
    const csv = [
      'file,src_ip,n_syn,n_distinct_dst,n_distinct_dport,label,category,evidence',
      'captures/x.pcap,192.0.2.7,2,1,1,malicious,zmap-syn-scan,"README: ZMap, IP ID 54321, TTL 255"',
      'captures/x.pcap,192.0.2.8,1,1,1,benign,normal-client,"a client, browsing"',
      'captures/x.pcap,192.0.2.9,1,1,1,ambiguous,p2p,unclear',
    ].join('\r\n');
    writeFileSync(join(dir, 'hosts.csv'), csv + '\r\n');
    const hosts = loadSynMore(dir).sort((a, b) => (a.ip < b.ip ? -1 : 1));
    assert.deepEqual(
      hosts.map((h) => [h.ip, h.label, h.category, h.syns.length, h.capture]),
      [
        ['192.0.2.7', 1, 'zmap-syn-scan', 2, 'syn-more:x.pcap'],
        ['192.0.2.8', 0, 'normal-client', 1, 'syn-more:x.pcap'],
      ],
    );
  });
});

test('syn-pcaps: the category in the last CRLF column comes without a stray \\r; ambiguous hosts are left out', () => {
  inTempDir('nml-syn-pcaps-', (dir) => {
    const packets = [syn('192.0.2.7', 0), syn('192.0.2.8', 1), syn('192.0.2.7', 2), syn('192.0.2.9', 3)];
    writeFileSync(join(dir, 'syn_packets.pcap'), pcapOf(packets));
    const id = (ip: string): string => `repo/x:cap.pcap#${ip}`;
    const hosts = [
      'host_id,source_repo,source_file,src_ip,n_syn,n_distinct_dst,n_distinct_dport,label,category',
      `${id('192.0.2.7')},repo/x,cap.pcap,192.0.2.7,2,1,1,malicious,nmap-syn-port-scan`,
      `${id('192.0.2.8')},repo/x,cap.pcap,192.0.2.8,1,1,1,benign,normal-client`,
      `${id('192.0.2.9')},repo/x,cap.pcap,192.0.2.9,1,1,1,ambiguous,"client, in a MITM capture"`,
    ];
    const index = ['pkt_no,ts,host_id,src_ip', ...packets.map((p, i) => `${i + 1},${p.t / 1e6},${id(p.src)},${p.src}`)];
    writeFileSync(join(dir, 'hosts.csv.gz'), gzipSync(hosts.join('\r\n') + '\r\n'));
    writeFileSync(join(dir, 'syn_packets_index.csv.gz'), gzipSync(index.join('\r\n') + '\r\n'));
    const got = loadSynPcaps(dir).sort((a, b) => (a.ip < b.ip ? -1 : 1));
    assert.deepEqual(
      got.map((h) => [h.ip, h.label, h.category, h.syns.length, h.capture]),
      [
        ['192.0.2.7', 1, 'nmap-syn-port-scan', 2, 'repo/x:cap.pcap'],
        ['192.0.2.8', 0, 'normal-client', 1, 'repo/x:cap.pcap'],
      ],
    );
  });
});

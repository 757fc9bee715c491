/** Loading labelled SYN data: the CSV files as published (CRLF line ends, quoted commas) give clean labels and categories. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadReal, loadSynMore, loadSynPcaps } from './data.js';
import { runTrain } from './run-train.js';
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

const HEADER = 'file,src_ip,n_syn,n_distinct_dst,n_distinct_dport,label,category,evidence';

/** A syn-more folder under `dir`: captures/x.pcap with one SYN from each of `ips`, and hosts.csv of `lines`. */
function synMore(dir: string, ips: readonly string[], lines: readonly string[] | null): string {
  const more = join(dir, 'syn-more');
  mkdirSync(join(more, 'captures'), { recursive: true });
  writeFileSync(join(more, 'captures', 'x.pcap'), pcapOf(ips.map((ip, i) => syn(ip, i))));
  if (lines !== null) writeFileSync(join(more, 'hosts.csv'), lines.join('\n') + '\n');
  return more;
}

/** The AppError `fn` throws, for assertions on its code and message. */
function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string };
  }
  assert.fail('expected an error');
}

test('syn-more: a label other than malicious, benign or ambiguous is an error naming the file, line and value, not a benign host', () => {
  inTempDir('nml-syn-labels-', (dir) => {
    const ips = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'];
    const more = synMore(dir, ips, [
      HEADER,
      'captures/x.pcap,192.0.2.1,1,1,1,malicious,masscan-syn-scan,ok',
      'captures/x.pcap,192.0.2.2,1,1,1,malicous,masscan-syn-scan,typo',
      'captures/x.pcap,192.0.2.3,1,1,1,1,masscan-syn-scan,a number',
      'captures/x.pcap,192.0.2.5,1,1,1,constructor,masscan-syn-scan,a name objects have',
      'captures/x.pcap,192.0.2.4,1,1,1,benign,normal-client,ok',
    ]);
    const e = thrown(() => loadSynMore(more));
    assert.equal(e.code, 'SYN_DATASET_INVALID');
    assert.match(e.message, new RegExp(`${join(more, 'hosts.csv').replaceAll('/', '\\/')}: 3 rows not usable`));
    assert.match(e.message, /line 3: label "malicous" is none of malicious, benign, ambiguous; line 4: label "1" is none of malicious, benign, ambiguous; line 5: label "constructor" is none of/);
    assert.match(e.message, /the accepted labels are malicious, benign and ambiguous \(in any case; ambiguous hosts are left out\)/);
  });
});

test('syn-more: a labelled host that sends no SYN in its capture (an address written otherwise) is an error with its line, not left out silently', () => {
  inTempDir('nml-syn-unseen-', (dir) => {
    const more = synMore(dir, ['192.0.2.1', '192.0.2.4'], [
      HEADER,
      'captures/x.pcap,192.0.2.1,1,1,1,malicious,masscan-syn-scan,ok',
      'captures/x.pcap,192.0.2.004,1,1,1,benign,normal-client,written otherwise',
      'captures/x.pcap,192.0.2.9,1,1,1,ambiguous,p2p,an ambiguous host is left out anyway',
    ]);
    const e = thrown(() => loadSynMore(more));
    assert.equal(e.code, 'SYN_DATASET_INVALID');
    assert.match(e.message, /1 row not usable \(line 3: no SYN of captures\/x\.pcap comes from 192\.0\.2\.004\); each labelled src_ip must send SYNs in its capture/);
  });
});

test('syn-more: labels are read in any case and with blanks around them, as the URL sets are', () => {
  inTempDir('nml-syn-labels-case-', (dir) => {
    const more = synMore(dir, ['192.0.2.1', '192.0.2.2', '192.0.2.3'], [
      HEADER,
      'captures/x.pcap,192.0.2.1,1,1,1,Malicious,masscan-syn-scan,ok',
      'captures/x.pcap,192.0.2.2,1,1,1, BENIGN ,normal-client,ok',
      'captures/x.pcap,192.0.2.3,1,1,1,Ambiguous,p2p,ok',
    ]);
    assert.deepEqual(
      loadSynMore(more).map((h) => [h.ip, h.label]),
      [
        ['192.0.2.1', 1],
        ['192.0.2.2', 0],
      ],
    );
  });
});

test('syn-more: the header must name the columns the loader reads; a 3-column file says category is missing, a misspelling is named', () => {
  inTempDir('nml-syn-header-', (dir) => {
    const more = synMore(dir, ['192.0.2.1'], ['file,src_ip,label', 'captures/x.pcap,192.0.2.1,malicious']);
    const e = thrown(() => loadSynMore(more));
    assert.equal(e.code, 'SYN_DATASET_INVALID');
    assert.match(e.message, /hosts\.csv: the header \(line 1\) has no column category; it must name file, src_ip, label and category \(in any order; other columns are ignored\), as the published one does: file,src_ip,n_syn,/);
    writeFileSync(join(more, 'hosts.csv'), 'file,src_ip,lable,category\ncaptures/x.pcap,192.0.2.1,malicious,scan\n');
    assert.match(thrown(() => loadSynMore(more)).message, /has no column label; unknown column "lable"/);
    // the columns by name, in any order, with others beside them
    writeFileSync(join(more, 'hosts.csv'), 'category,label,src_ip,file,notes\nscan,malicious,192.0.2.1,captures/x.pcap,mine\n');
    assert.deepEqual(
      loadSynMore(more).map((h) => [h.ip, h.label, h.category]),
      [['192.0.2.1', 1, 'scan']],
    );
  });
});

test('syn-more: a row naming a capture that is not there, or a host labelled twice, is an error with its line', () => {
  inTempDir('nml-syn-rows-', (dir) => {
    const more = synMore(dir, ['192.0.2.1'], [HEADER, 'x.pcap,192.0.2.1,1,1,1,malicious,scan,', 'captures/x.pcap,192.0.2.1,1,1,1,malicious,scan,', 'captures/x.pcap,192.0.2.1,1,1,1,benign,client,']);
    const e = thrown(() => loadSynMore(more));
    assert.match(e.message, /line 2: file "x\.pcap" is not in .*captures; line 4: captures\/x\.pcap 192\.0\.2\.1 labelled again \(first on line 3\)/);
    assert.match(e.message, /file names a capture as captures\/NAME/);
  });
});

test('syn-pcaps: a label outside the accepted set is an error too', () => {
  inTempDir('nml-syn-pcaps-label-', (dir) => {
    writeFileSync(join(dir, 'syn_packets.pcap'), pcapOf([syn('192.0.2.7', 0)]));
    const hosts = ['host_id,source_repo,source_file,src_ip,n_syn,n_distinct_dst,n_distinct_dport,label,category', 'h1,repo/x,cap.pcap,192.0.2.7,1,1,1,bad,scan'];
    writeFileSync(join(dir, 'hosts.csv.gz'), gzipSync(hosts.join('\n') + '\n'));
    writeFileSync(join(dir, 'syn_packets_index.csv.gz'), gzipSync('pkt_no,ts,host_id,src_ip\n1,1,h1,192.0.2.7\n'));
    assert.match(thrown(() => loadSynPcaps(dir)).message, /hosts\.csv\.gz: 1 row not usable \(line 2: label "bad" is none of malicious, benign, ambiguous\)/);
  });
});

test('syn-more captures without hosts.csv: the labels file is missing, said with where it was looked for and what it must hold', () => {
  inTempDir('nml-syn-nolabels-', (dir) => {
    const more = synMore(dir, ['192.0.2.1'], null);
    const e = thrown(() => loadReal(dir));
    assert.equal(e.code, 'SYN_DATASET_MISSING');
    assert.match(e.message, new RegExp(`its labels file is not: looked for ${join(more, 'hosts.csv').replaceAll('/', '\\/')}, which must hold a header naming file, src_ip, label and category`));
    assert.doesNotMatch(e.message, /no real capture/);
  });
});

test('train syn with every labelled host ambiguous says so, not "no real capture"', () => {
  inTempDir('nml-syn-ambiguous-', (dir) => {
    synMore(dir, ['192.0.2.1'], [HEADER, 'captures/x.pcap,192.0.2.1,1,1,1,ambiguous,scan,']);
    const e = thrown(() => runTrain({ datasets: dir, seed: 1, epochs: 1, patience: 1, variant: 'fields', synthPerWeight: 1, version: 'v', command: 'c', log: () => {} }));
    assert.equal(e.code, 'SYN_DATASET_MISSING');
    assert.match(e.message, /no host labelled malicious or benign under .*every labelled host is ambiguous/);
  });
});

/** Test helpers: a tiny model (the shipped layout, wide input included) trained in well under a second on a few synthetic hosts, and loopback SYNs for the live-capture tests. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import { SynModel } from './model.js';
import { buildSamples, shapeOf } from './samples.js';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcap } from './pcap-writer.js';
import { generateSynthetic } from './synth.js';
import { trainCnn } from './train.js';
import type { FindingsStore } from '../findings/store.js';
import type { FindingsBudget, FlaggedHost } from './board-findings.js';

let cached: SynModel | null = null;

export function tinyModel(): SynModel {
  if (cached !== null) return cached;
  const hosts = generateSynthetic(7, 1);
  const r = trainCnn(buildSamples('fields+stats+bag', hosts, 3), null, { shape: { ...shapeOf('fields+stats+bag'), h1: 4, h2: 4, dense: 8 }, seed: 7, epochs: 3 });
  cached = new SynModel({ format: 'nml-syn-cnn/1', version: 'syn-test', variant: 'fields+stats+bag', threshold: 0.5, weights: r.weights, trainedAt: '', command: 'tinyModel()', seed: 7 });
  return cached;
}

/** Why live capture cannot be tested here (no tcpdump, not root), or false when it can. */
export function liveCaptureSkip(): string | false {
  if (spawnSync('tcpdump', ['--version']).status !== 0) return 'tcpdump is not installed (apt-get install tcpdump)';
  return process.getuid?.() === 0 ? false : 'capturing needs root (or CAP_NET_RAW)';
}

/** A loopback port nothing listens on: a connection to it is one SYN answered by a reset. */
export function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Opens (and at once closes) `n` connections to a loopback port, one after another; refusals are fine. */
export async function knock(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.on('error', () => resolve());
      c.on('connect', () => {
        c.destroy();
        resolve();
      });
    });
  }
}

/** `hosts.csv`'s header in a labelled SYN set (syn-more). */
export const SYN_HOSTS_HEADER = 'file,src_ip,n_syn,n_distinct_dst,n_distinct_dport,label,category,evidence';

/**
 * `root/own/syn-more`: one capture (`captures/mine.pcap`, cut to `cut` bytes when given) of a synthetic
 * ZMap host and a browsing one, labelled by `labels(scannerIp, clientIp)` (the lines of hosts.csv; null:
 * no hosts.csv; default: the scanner malicious, the client benign); `root/own` is returned.
 */
export function ownSynCaptures(root: string, o: { labels?: ((scanner: string, client: string) => string[]) | null; cut?: number } = {}): string {
  const own = join(root, 'own');
  mkdirSync(join(own, 'syn-more', 'captures'), { recursive: true });
  const all = generateSynthetic(6, 1);
  const scanner = all.find((h) => h.tool === 'zmap' && h.syns[0]!.v === 4)!;
  const client = all.find((h) => h.tool === 'benign-browsing' && h.syns[0]!.v === 4)!;
  const syns = [...scanner.syns.slice(0, 64), ...client.syns.slice(0, 64)].sort((a, b) => a.t - b.t);
  const pcap = writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET });
  writeFileSync(join(own, 'syn-more', 'captures', 'mine.pcap'), o.cut === undefined ? pcap : pcap.subarray(0, o.cut));
  const labels = o.labels === undefined ? (s: string, c: string) => [SYN_HOSTS_HEADER, `captures/mine.pcap,${s},64,64,1,malicious,masscan-syn-scan,`, `captures/mine.pcap,${c},64,5,1,benign,normal-client,`] : o.labels;
  if (labels !== null) writeFileSync(join(own, 'syn-more', 'hosts.csv'), labels(scanner.ip, client.ip).join('\n') + '\n');
  return own;
}

/** `n` few-SYN sources (`10.<net>.x.y`, one SYN each, 10 ms apart from `t0` µs) against 203.0.113.5 port 80, at `score`: a flood's. */
export const floodSources = (net: number, n: number, t0: number, score: number): FlaggedHost[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.${net}.${i >> 8}.${i & 255}`, score, count: 1, firstSeen: t0 + i * 10_000, lastSeen: t0 + i * 10_000, dst: '203.0.113.5', dport: 80 }));

/** One flush of the budget at capture time `now` (µs): the hosts admitted, its findings recorded in `store`. */
export function flushInto(store: FindingsStore, b: FindingsBudget, now: number, hosts: readonly FlaggedHost[]): void {
  b.begin(now);
  for (const h of hosts) b.admit(h);
  store.record(b.summed());
}

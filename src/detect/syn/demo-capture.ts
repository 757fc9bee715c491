/**
 * The capture `nml serve --demo` replays into the SYN board: synthetic hosts of every profile (benign
 * stacks and scanning tools), each host's SYNs kept in their own timing but started at staggered
 * moments over the first minutes, so that the board fills gradually, as on a live network.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcapng } from './pcap-writer.js';
import { generateSynthetic } from './synth.js';

const US_PER_MIN = 60e6;

/**
 * Writes the demo capture to `path` (pcapng, Ethernet), starting at `startMs` (default now, so that
 * the board's "last seen" reads as live); returns the number of SYNs.
 */
export function writeDemoCapture(path: string, seed = 7, maxPerHost = 400, spreadMin = 3, startMs = Date.now()): number {
  const hosts = generateSynthetic(seed, 1);
  const t0 = Math.floor(startMs) * 1000;
  const syns = hosts.flatMap((h, i) => {
    const first = h.syns[0]?.t ?? 0;
    const start = t0 + ((i * 7919) % (spreadMin * 60)) * 1e6;
    return h.syns.slice(0, maxPerHost).map((s) => ({ ...s, t: s.t - first + start }));
  });
  syns.sort((a, b) => a.t - b.t);
  // keep the capture short enough to replay in a demo: at most 30 minutes of traffic
  const kept = syns.filter((s) => s.t - t0 < 30 * US_PER_MIN);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, writePcapng([{ linktype: LINKTYPE.ETHERNET, tsresol: 6 }], kept.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) }))));
  return kept.length;
}

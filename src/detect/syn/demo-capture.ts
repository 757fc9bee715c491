/**
 * The capture `nml serve --demo` replays into the SYN board: synthetic hosts of every profile (benign
 * stacks and scanning tools), each host's SYNs kept in their own timing but started at staggered
 * moments over the first minutes, so that the board fills gradually, as on a live network; and at
 * minute 2 a short spoofed SYN flood.
 */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcapng } from './pcap-writer.js';
import { generateSynthetic } from './synth.js';
import { int, makeSyn, pick, randomPublicIp } from './synth-stacks.js';
import { mulberry32 } from '../../core/index.js';
import { makeFolders } from '../url/model-io.js';
import type { SynPacket } from './types.js';

const US_PER_MIN = 60e6;

/** The victim of the demo's SYN flood (10.20.0.80:443). */
export const DEMO_FLOOD_VICTIM = '10.20.0.80';

/**
 * A spoofed SYN flood: 400 sources of one SYN each (no options, random TTL and window, as flood tools
 * send them) against one server over four seconds, starting at `t0` (µs). On the board they become one
 * `syn-flood` finding past the first sources reported one by one.
 */
function floodBurst(seed: number, t0: number): SynPacket[] {
  const r = mulberry32(seed ^ 0x5f1d);
  const o = { mss: -1, ws: -1, sack: false, ts: false, opts: '' };
  const victim = ((10 << 24) | (20 << 16) | 80) >>> 0;
  return Array.from({ length: 400 }, (_, i) =>
    makeSyn(t0 + i * 10_000 + int(r, 0, 9_999), randomPublicIp(r), victim, int(r, 1024, 65535), 443, int(r, 30, 255), int(r, 0, 65535), pick(r, [0, 512, 65535, int(r, 0, 65535)]), int(r, 0, 4294967295), o),
  );
}

/**
 * Writes the demo capture to `path` (pcapng, Ethernet), starting at `startMs` (default now, so that
 * the board's "last seen" reads as live); returns the number of SYNs.
 */
export function writeDemoCapture(path: string, seed = 7, maxPerHost = 400, spreadMin = 3, startMs = Date.now()): number {
  const hosts = generateSynthetic(seed, 1);
  const t0 = Math.floor(startMs) * 1000;
  const syns = hosts.flatMap((h, i) => {
    const first = h.syns[0]?.t ?? 0;
    // spread over the first `spreadMin` minutes by the golden-ratio sequence (i·7919 mod 180 s had put
    // every host but the first in the last half minute of three, so the board began nearly empty)
    const start = t0 + Math.floor(((i * 0.6180339887498949) % 1) * spreadMin * 60) * 1e6;
    return h.syns.slice(0, maxPerHost).map((s) => ({ ...s, t: s.t - first + start }));
  });
  syns.push(...floodBurst(seed, t0 + 2 * US_PER_MIN));
  syns.sort((a, b) => a.t - b.t);
  // keep the capture short enough to replay in a demo: at most 30 minutes of traffic
  const kept = syns.filter((s) => s.t - t0 < 30 * US_PER_MIN);
  makeFolders(dirname(path));
  writeFileSync(path, writePcapng([{ linktype: LINKTYPE.ETHERNET, tsresol: 6 }], kept.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) }))));
  return kept.length;
}

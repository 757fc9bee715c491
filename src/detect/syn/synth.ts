/**
 * Seeded synthetic SYN traffic per host, modelled on real tools (Mirai, ZMap, masscan, nmap -sS/-sT/-O,
 * Angry IP, worm port probes, brute force, slow connect scans, spoofed floods) and on benign OS stacks
 * doing ordinary things (browsing, busy clients, servers, P2P, monitoring, polling one server).
 */
import { rng } from './cnn.js';
import { BENIGN_STACKS_BY, exp, int, makeSyn, pick, privateIp, randomPublicIp, STACKS, StackHost, toIpv6, type Rand, type StackKnowledge } from './synth-stacks.js';
import type { SynPacket } from './types.js';

export interface SynthHost {
  ip: string;
  label: 0 | 1;
  /** the profile that made it */
  tool: string;
  /** covered by a fingerprint rule of the baseline (zmap, masscan, mirai, nmap -sS) */
  ruled: boolean;
  syns: SynPacket[];
}

type Gen = (r: Rand, src4: number, t0: number, ports: PortKnowledge, benignStacks: readonly string[]) => SynPacket[];

/**
 * Where the worm and P2P profiles get their destination ports. `real`: the worm targets of the 2000s and
 * the P2P clients' ports, which the real captures also show (public knowledge of those tools). `neutral`:
 * the same counts of ports that no real capture here uses (445, 135 and 139 kept: every Windows stack
 * talks to them), to measure how much a result rests on the generator knowing those ports.
 */
export type PortKnowledge = 'real' | 'neutral';
export const WORM_PORTS: Record<PortKnowledge, readonly number[]> = {
  real: [445, 135, 139, 1433, 2745, 3127, 6129, 5554, 9898, 4899, 1025],
  neutral: [445, 135, 139, 7413, 8221, 9377, 11234, 13579, 17001, 19455, 23311],
};
export const P2P_PORTS: Record<PortKnowledge, readonly number[]> = { real: [6881, 6346, 30303, 4662], neutral: [12973, 16472, 21845, 26011] };

const WEB = [443, 443, 443, 443, 80, 80, 8080, 993, 5228, 3478];

/** t0 in µs; a session of bursts of connections to a few servers. */
const browsing: Gen = (r, src, t0, _ports, stacks) => {
  const h = new StackHost(r, src, STACKS[pick(r, stacks)]!);
  const servers = Array.from({ length: int(r, 5, 60) }, () => randomPublicIp(r));
  const out: SynPacket[] = [];
  let t = t0;
  const n = int(r, 5, 400);
  while (out.length < n) {
    const burst = int(r, 1, 14);
    const dsts = Array.from({ length: int(r, 1, 5) }, () => pick(r, servers));
    for (let i = 0; i < burst; i++) out.push(...h.connect(t + exp(r, 80_000) + i * exp(r, 20_000), pick(r, dsts), pick(r, WEB)));
    t += exp(r, pick(r, [3e6, 15e6, 60e6]));
  }
  return out;
};

const busyClient: Gen = (r, src, t0, _ports, stacks) => {
  const h = new StackHost(r, src, STACKS[pick(r, stacks)]!);
  const servers = Array.from({ length: int(r, 80, 400) }, () => randomPublicIp(r));
  const out: SynPacket[] = [];
  let t = t0;
  const n = int(r, 300, 3000);
  while (out.length < n) {
    out.push(...h.connect(t, pick(r, servers), pick(r, WEB), 0.04));
    t += exp(r, pick(r, [50_000, 300_000, 1_000_000]));
  }
  return out;
};

/** a server opening connections: an MTA delivering mail, an app server to its databases, a proxy */
const server: Gen = (r, src, t0) => {
  const h = new StackHost(r, src, STACKS[pick(r, ['linux', 'linuxOld', 'windows'])]!);
  const kind = int(r, 0, 2);
  const dsts = kind === 0 ? Array.from({ length: int(r, 100, 800) }, () => randomPublicIp(r)) : Array.from({ length: int(r, 1, 6) }, () => privateIp(r));
  const ports = kind === 0 ? [25] : kind === 1 ? [5432, 3306, 6379, 9200] : [80, 443, 8080, 8443];
  const out: SynPacket[] = [];
  let t = t0;
  const n = int(r, 200, 3000);
  while (out.length < n) {
    out.push(...h.connect(t, pick(r, dsts), pick(r, ports), kind === 0 ? 0.1 : 0.01));
    t += exp(r, kind === 0 ? 2e6 : 100_000);
  }
  return out;
};

/** monitoring checks a fixed list of services every interval: many ports, perfectly regular */
const monitor: Gen = (r, src, t0) => {
  const h = new StackHost(r, src, STACKS[pick(r, ['linux', 'windows'])]!);
  const checks = Array.from({ length: int(r, 5, 60) }, () => [privateIp(r), pick(r, [22, 80, 443, 3306, 5432, 161, 25, 8080, 9100, 3389])] as const);
  const out: SynPacket[] = [];
  let t = t0;
  for (let round = 0; round < int(r, 3, 30); round++) {
    for (const [d, p] of checks) out.push(...h.connect(t + exp(r, 50_000), d, p));
    t += 60e6;
  }
  return out.sort((a, b) => a.t - b.t);
};

const p2p: Gen = (r, src, t0, ports, stacks) => {
  const h = new StackHost(r, src, STACKS[pick(r, stacks)]!);
  const out: SynPacket[] = [];
  let t = t0;
  const n = int(r, 50, 1500);
  while (out.length < n) {
    out.push(...h.connect(t, randomPublicIp(r), r() < 0.7 ? int(r, 1025, 65535) : pick(r, P2P_PORTS[ports]), 0.35));
    t += exp(r, pick(r, [200_000, 1e6, 3e6]));
  }
  return out;
};

// ---- malicious -------------------------------------------------------------------------------

const mirai: Gen = (r, src, t0) => {
  const out: SynPacket[] = [];
  let t = t0;
  const o = { mss: -1, ws: -1, sack: false, ts: false, opts: '' };
  for (let i = 0, n = int(r, 40, 3000); i < n; i++) {
    const dst = randomPublicIp(r);
    out.push(makeSyn(t, src, dst, int(r, 1024, 65535), r() < 0.9 ? 23 : 2323, 64 - int(r, 0, 3), int(r, 0, 65535), int(r, 0, 65535), dst, o));
    t += exp(r, pick(r, [2_000, 10_000, 100_000]));
  }
  // half of them seen only briefly, 1–4 SYNs, as one network sees a bot that probes the whole Internet
  // (a /24 gets a SYN from a given bot now and then); drawn from the host's own stream and cut after
  // the whole host is drawn, so that every other host is drawn as before
  const pr = rng((src ^ 0x3c6ef372) >>> 0);
  return pr() < 0.5 ? out.slice(0, int(pr, 1, 4)) : out;
};

const zmap: Gen = (r, src, t0) => {
  const out: SynPacket[] = [];
  let t = t0;
  const port = pick(r, [80, 443, 22, 23, 8080, 3389]);
  const o = r() < 0.5 ? { mss: -1, ws: -1, sack: false, ts: false, opts: '' } : { mss: 1460, ws: -1, sack: false, ts: false, opts: 'M' };
  const sp = int(r, 32768, 60000);
  for (let i = 0, n = int(r, 40, 5000); i < n; i++) {
    out.push(makeSyn(t, src, randomPublicIp(r), sp + int(r, 0, 60), port, 255 - int(r, 0, 3), 54321, 65535, int(r, 0, 4294967295), o));
    t += exp(r, pick(r, [100, 1_000, 10_000]));
  }
  return out;
};

const masscan: Gen = (r, src, t0) => {
  const out: SynPacket[] = [];
  let t = t0;
  const o = { mss: -1, ws: -1, sack: false, ts: false, opts: '' };
  const targets = Array.from({ length: int(r, 1, 256) }, () => randomPublicIp(r));
  const ports = Array.from({ length: int(r, 1, 1000) }, () => int(r, 1, 65535));
  const sp = int(r, 40000, 60000);
  for (let i = 0, n = int(r, 40, 3000); i < n; i++) {
    const dst = pick(r, targets);
    const dport = pick(r, ports);
    const seq = int(r, 0, 4294967295);
    out.push(makeSyn(t, src, dst, sp, dport, 255 - int(r, 0, 3), ((dst ^ dport ^ seq) & 0xffff) >>> 0, 1024, seq, o));
    t += exp(r, pick(r, [100, 1_000, 5_000]));
  }
  return out;
};

const nmapSyn: Gen = (r, src, t0) => {
  const out: SynPacket[] = [];
  let t = t0;
  const win = pick(r, [1024, 1024, 2048, 3072, 4096]);
  const ttl = int(r, 37, 59);
  const o = { mss: 1460, ws: -1, sack: false, ts: false, opts: 'M' };
  const sweep = r() < 0.3;
  const dsts = sweep ? Array.from({ length: int(r, 20, 256) }, () => privateIp(r)) : [randomPublicIp(r)];
  const ports = sweep ? [pick(r, [22, 80, 443, 445, 3389])] : Array.from({ length: int(r, 100, 1000) }, () => int(r, 1, 10000));
  const sp = int(r, 33000, 65000);
  for (const d of dsts) for (const p of ports) {
    out.push(makeSyn(t, src, d, r() < 0.9 ? sp : int(r, 33000, 65000), p, ttl, int(r, 0, 65535), win, int(r, 0, 4294967295), o));
    t += exp(r, pick(r, [300, 2_000, 20_000]));
  }
  return out;
};

/** connect() scans through the OS stack: only volume, spread and timing give them away */
const connectScan = (gap: number[]): Gen => (r, src, t0) => {
  const h = new StackHost(r, src, STACKS[pick(r, ['linux', 'windows', 'macos', 'linuxOld'])]!);
  const target = randomPublicIp(r);
  const out: SynPacket[] = [];
  let t = t0;
  const g = pick(r, gap);
  for (let i = 0, n = int(r, 40, 1500); i < n; i++) {
    out.push(...h.connect(t, target, int(r, 1, 10000), 0.3));
    t += exp(r, g);
  }
  return out.sort((a, b) => a.t - b.t);
};

const angryIp: Gen = (r, src, t0) => {
  const h = new StackHost(r, src, STACKS[pick(r, ['windows', 'windows7'])]!);
  const base = privateIp(r) & 0xffffff00;
  const ports = pick(r, [[80, 443, 8080], [80], [22, 80, 443]]);
  const out: SynPacket[] = [];
  let t = t0;
  for (let i = 1, n = int(r, 20, 254); i <= n; i++) {
    for (const p of ports) out.push(...h.connect(t + exp(r, 5_000), (base | i) >>> 0, p, 0.8));
    t += exp(r, pick(r, [10_000, 50_000]));
  }
  return out.sort((a, b) => a.t - b.t);
};

const worm: Gen = (r, src, t0, ports) => {
  const h = new StackHost(r, src, STACKS[pick(r, ['windowsXp', 'windows7'])]!);
  // bots of the 2000s tried several backdoors in turn (Sasser's and Dabber's, Bagle's and MyDoom's, as in
  // the real 2004 probes): up to three ports, the extra ones from the host's own stream, so that every
  // other host is drawn as before
  const pr = rng((src ^ 0x5bd1e995) >>> 0);
  const hostPorts = [pick(r, WORM_PORTS[ports])];
  for (let k = 0, m = Math.floor(pr() * 3); k < m; k++) hostPorts.push(pick(pr, WORM_PORTS[ports]));
  const out: SynPacket[] = [];
  let t = t0;
  // half of them seen only briefly, 1–6 connection attempts (with their retransmissions), as a sensor sees
  // passing worms: added after the real worm probes of 2004 (1–11 SYNs each) were the hosts most missed
  // (models/syn/MODEL_CARD.md); their capture is held out of its own fold as before
  for (let i = 0, n = r() < 0.5 ? int(r, 1, 6) : int(r, 20, 800); i < n; i++) {
    out.push(...h.connect(t, randomPublicIp(r), hostPorts[i % hostPorts.length]!, 0.7));
    t += exp(r, pick(r, [20_000, 200_000, 2e6]));
  }
  return out.sort((a, b) => a.t - b.t);
};

const bruteForce: Gen = (r, src, t0) => {
  const h = new StackHost(r, src, STACKS[pick(r, ['linux', 'windows', 'linuxOld'])]!);
  const target = randomPublicIp(r);
  const port = pick(r, [21, 22, 23, 3389, 445, 25]);
  // half of them steady-paced (a tool with a fixed delay between attempts, as hydra -W or a throttled
  // script), the other half bursty as before: taught beside the benign pollers, so that a steady run of
  // SYNs to one port is not read as benign by itself. Drawn from the host's own stream, and the host's
  // bursty gaps still drawn, so that every other host is drawn as before
  const pr = rng((src ^ 0x1b873593) >>> 0);
  const steady = pr() < 0.5;
  const period = pick(pr, [0.2e6, 0.5e6, 1e6, 2e6, 5e6, 10e6]);
  const jitter = 0.02 + 0.2 * pr();
  const out: SynPacket[] = [];
  let t = t0;
  for (let i = 0, n = int(r, 60, 2000); i < n; i++) {
    out.push(...h.connect(t, target, port));
    const bursty = exp(r, pick(r, [100_000, 500_000, 1.5e6]));
    t += steady ? period * (1 - jitter + 2 * jitter * pr()) : bursty;
  }
  return out;
};

/**
 * A client that polls one to three servers on one port with a new connection each time, at a steady pace:
 * an app or agent checking in, a script in a loop. Read as a scan before it was taught (models/syn/MODEL_CARD.md,
 * "Pollers"). Today's stacks only, over IPv4 only (see generateSynthetic).
 */
const POLL_PORTS = [443, 443, 443, 80, 8443, 8080, 5228, 993];
const poller: Gen = (r, src, t0) => {
  const h = new StackHost(r, src, STACKS[pick(r, ['linux', 'windows', 'windows7', 'macos', 'android', 'ios'])]!);
  const dsts = Array.from({ length: int(r, 1, 3) }, () => (r() < 0.5 ? privateIp(r) : randomPublicIp(r)));
  const port = pick(r, POLL_PORTS);
  const period = pick(r, [0.2e6, 0.5e6, 1e6, 2e6, 5e6, 10e6, 30e6, 60e6]) * (0.8 + 0.4 * r());
  const jitter = 0.02 + 0.13 * r();
  const out: SynPacket[] = [];
  let t = t0;
  for (let i = 0, n = int(r, 30, 600); i < n; i++) {
    out.push(...h.connect(t, pick(r, dsts), port, 0.01));
    t += period * (1 - jitter + 2 * jitter * r());
  }
  return out;
};

const flood: Gen = (r, _src, t0) => {
  const o = { mss: -1, ws: -1, sack: false, ts: false, opts: '' };
  const src = randomPublicIp(r);
  return [makeSyn(t0, src, privateIp(r), int(r, 1024, 65535), pick(r, [80, 443]), int(r, 30, 255), int(r, 0, 65535), pick(r, [0, 512, 65535, int(r, 0, 65535)]), int(r, 0, 4294967295), o)];
};

/**
 * nmap -O (OS detection) as nmap's documentation and the real capture show it: per target, six sequence
 * probes 100 ms apart (windows 1, 63, 4, 4, 16, 512, each with its own option order), the ECN probe
 * (window 3) and the T3/T5 probes (window 256 to the open port, 31337 to a closed one, resent up to
 * four times); every probe with its own random TTL. Half the hosts first run a short SYN scan.
 */
const OS_PROBES: readonly { win: number; o: Pick<SynPacket, 'mss' | 'ws' | 'sack' | 'ts' | 'opts'> }[] = [
  { win: 1, o: { mss: 1460, ws: 10, sack: true, ts: true, opts: 'WNMTS' } },
  { win: 63, o: { mss: 1400, ws: 0, sack: true, ts: true, opts: 'MWSTE' } },
  { win: 4, o: { mss: 640, ws: 5, sack: false, ts: true, opts: 'TNNWNM' } },
  { win: 4, o: { mss: -1, ws: 10, sack: true, ts: true, opts: 'STWE' } },
  { win: 16, o: { mss: 536, ws: 10, sack: true, ts: true, opts: 'MSTWE' } },
  { win: 512, o: { mss: 265, ws: -1, sack: true, ts: true, opts: 'MST' } },
];
/** the ECN probe's options and T3/T5's */
const OS_ECN = { mss: 1460, ws: 10, sack: true, ts: false, opts: 'WNMSNN' };
const OS_T = { mss: 265, ws: 10, sack: true, ts: true, opts: 'WNMTS' };
const nmapOs: Gen = (r, src, t0) => {
  const out: SynPacket[] = [];
  let t = t0;
  const sp = int(r, 33000, 65000);
  if (r() < 0.5) {
    const scan = nmapSyn(r, src, t0, 'real', BENIGN_STACKS_BY.real);
    out.push(...scan.slice(0, int(r, 20, 120)));
    t = out[out.length - 1]!.t + 200_000;
  }
  for (let k = 0, targets = int(r, 1, 3); k < targets; k++) {
    const dst = k === 0 && out.length > 0 ? out[0]!.dst4 : privateIp(r);
    const open = pick(r, [22, 80, 135, 139, 443, 445, 3389]);
    const closed = int(r, 20000, 65000);
    const seq = int(r, 0, 4294967295);
    OS_PROBES.forEach((p, i) => out.push(makeSyn((t += i === 0 ? 0 : 100_000), src, dst, sp + i, open, int(r, 37, 59), int(r, 0, 65535), p.win, seq + i, p.o)));
    out.push(makeSyn((t += 102_000), src, dst, sp + 7, open, int(r, 37, 59), int(r, 0, 65535), 3, seq, OS_ECN));
    for (let i = 0, n = int(r, 1, 4); i < n; i++) {
      out.push(makeSyn((t += i === 0 ? 50_000 : 125_000), src, dst, sp + 10, open, int(r, 37, 59), int(r, 0, 65535), 256, seq, OS_T));
      out.push(makeSyn((t += 50_000), src, dst, sp + 12, closed, int(r, 37, 59), int(r, 0, 65535), 31337, seq, OS_T));
    }
    t += exp(r, 2e6);
  }
  return out;
};

export interface Profile {
  name: string;
  label: 0 | 1;
  ruled: boolean;
  gen: Gen;
  /** relative number of hosts */
  weight: number;
}

export const PROFILES: Profile[] = [
  { name: 'benign-browsing', label: 0, ruled: false, gen: browsing, weight: 6 },
  { name: 'benign-busy-client', label: 0, ruled: false, gen: busyClient, weight: 3 },
  { name: 'benign-server', label: 0, ruled: false, gen: server, weight: 2 },
  { name: 'benign-monitoring', label: 0, ruled: false, gen: monitor, weight: 1 },
  { name: 'benign-p2p', label: 0, ruled: false, gen: p2p, weight: 2 },
  { name: 'mirai', label: 1, ruled: true, gen: mirai, weight: 1 },
  { name: 'zmap', label: 1, ruled: true, gen: zmap, weight: 1 },
  { name: 'masscan', label: 1, ruled: true, gen: masscan, weight: 1 },
  { name: 'nmap-sS', label: 1, ruled: true, gen: nmapSyn, weight: 1 },
  { name: 'nmap-sT', label: 1, ruled: false, gen: connectScan([500, 5_000, 30_000]), weight: 1 },
  { name: 'slow-connect-scan', label: 1, ruled: false, gen: connectScan([400_000, 2e6]), weight: 1 },
  { name: 'angry-ip', label: 1, ruled: false, gen: angryIp, weight: 1 },
  { name: 'worm', label: 1, ruled: false, gen: worm, weight: 1 },
  { name: 'brute-force', label: 1, ruled: false, gen: bruteForce, weight: 2 },
  { name: 'spoofed-flood', label: 1, ruled: false, gen: flood, weight: 1 },
  // last, so that adding them left every other profile's hosts as they were (one seeded stream)
  { name: 'nmap-O', label: 1, ruled: false, gen: nmapOs, weight: 1 },
  { name: 'benign-poller', label: 0, ruled: false, gen: poller, weight: 2 },
];

/**
 * Share of synthetic hosts sent over IPv6 (`toIpv6`), every profile but Mirai alike: without them, IPv6 SYNs (no IP
 * ID) read as "IP ID 0", and malicious hosts over IPv6 scored far lower than the same hosts over IPv4.
 */
export const IPV6_SHARE = 0.2;

/** `perWeight` hosts per unit of profile weight (so benign hosts outnumber each tool), seeded. */
export function generateSynthetic(seed: number, perWeight: number, only?: (p: Profile) => boolean, ports: PortKnowledge = 'real', stacks: StackKnowledge = 'real'): SynthHost[] {
  const r = rng(seed);
  // its own stream, so that every host is drawn as it was before IPv6 hosts were added
  const r6 = rng(seed ^ 0x6a09e667);
  const t0 = 1_700_000_000e6;
  const out: SynthHost[] = [];
  for (const p of PROFILES) {
    if (only !== undefined && !only(p)) continue;
    for (let i = 0; i < p.weight * perWeight; i++) {
      const src = p.label === 0 && r() < 0.5 ? privateIp(r) : randomPublicIp(r);
      const hops = p.label === 0 && (src >>> 24) === 10 ? 0 : int(r, 3, 20);
      // in time order, as a capture delivers them: the generators append each connection's retransmissions
      // right after its first SYN, and until 2026-11-29 (session 11) benign hosts reached training that way
      // (38% of a browsing host's SYNs out of order, none of a scanner's), a tell no real capture has
      const syns = p.gen(r, src, t0 + Math.floor(r() * 3600e6), ports, BENIGN_STACKS_BY[stacks]).sort((a, b) => a.t - b.t);
      for (const s of syns) s.ttl = Math.max(1, s.ttl - hops);
      // (Mirai scans IPv4 only; pollers are kept to IPv4: over IPv6 a fifth of them, all benign, taught
      // the IPv6 token "benign" and broke the parity of IPv6 and IPv4 hosts, ipv6-parity.test.ts)
      const sent = r6() < IPV6_SHARE && p.name !== 'mirai' && p.name !== 'benign-poller' ? syns.map(toIpv6) : syns;
      out.push({ ip: sent[0]!.src, label: p.label, tool: p.name, ruled: p.ruled, syns: sent });
    }
  }
  return out;
}

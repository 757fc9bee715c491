/**
 * What the demo network's edge firewall (`fw-01`, the demo traffic's iptables host) logs of the demo
 * capture's SYNs: one LOG line per SYN, dropped when it comes from outside and let out when it comes
 * from inside. `nml serve --demo` ingests them at each SYN's time, so a SYN finding's evidence search,
 * its pivot and the Search page show the host's connection attempts, as they would on a network whose
 * firewall logs what the sensor saw.
 */
import type { SynPacket } from './types.js';

export interface TimedLine {
  /** ms since the epoch */
  time: number;
  line: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');
/** the firewall's kernel clock at the capture's first SYN (seconds since boot) */
const UPTIME_BASE_S = 1_298_000;

/** a private IPv4 or a unique-local IPv6 source: one of the network's own hosts, let out */
const INSIDE = /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|f[cd][0-9a-f]{2}:)/i;

function rfc3164(t: number): string {
  const d = new Date(t);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ' ' : ''}${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** The LOG lines, in the SYNs' order (the capture's, by time). */
export function demoFirewallLines(syns: readonly SynPacket[]): TimedLine[] {
  const first = syns.length === 0 ? 0 : syns[0]!.t;
  return syns.map((s) => {
    const time = Math.floor(s.t / 1000);
    const since = (s.t - first) / 1e6;
    const kernel = `[${(UPTIME_BASE_S + since).toFixed(6)}]`;
    const inside = INSIDE.test(s.src);
    const prefix = inside ? 'FW-ACCEPT: IN=vlan10 OUT=eth0' : 'IPTABLES-DROP: IN=eth0 OUT=';
    const ip = s.v === 6 ? `LEN=80 TC=0 HOPLIMIT=${s.ttl} FLOWLBL=0` : `LEN=60 TOS=0x00 PREC=0x00 TTL=${s.ttl} ID=${s.ipid}`;
    const line = `<4>${rfc3164(time)} fw-01 kernel: ${kernel} ${prefix} SRC=${s.src} DST=${s.dst} ${ip} PROTO=TCP SPT=${s.sport} DPT=${s.dport} WINDOW=${s.win} RES=0x00 SYN URGP=0`;
    return { time, line };
  });
}

/**
 * Live SYNs from a network interface: libpcap through `tcpdump` (a child process given its arguments
 * as an array, never a shell), writing pcap to its stdout with a kernel filter that lets only SYNs
 * without ACK through, read by the same streaming parser as files. No native binding to build: where
 * tcpdump (libpcap) is installed and may capture, it works; elsewhere a clear error says why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { AppError, describeCause } from '../../core/index.js';
import { CaptureParser } from './capture-parser.js';
import { decodeSyn } from './decode.js';
import { newStats, type ReadStats, type SynPacket } from './types.js';

/** SYN set, ACK clear: IPv4 through tcp[], IPv6 without extension headers by offset (TCP flags at 40 + 13). */
const SYNS = '(tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn) or (ip6 and ip6[6] == 6 and ip6[53] & 0x12 == 0x02)';
/**
 * The kernel filter: the SYNs above; IPv6 TCP behind extension headers, whose flags BPF cannot reach at a
 * fixed offset (`protochain` follows the chain; the decoder then keeps the SYNs); and the SYNs above
 * inside a VLAN tag (`vlan` moves every later offset past the tag, so it comes last; libpcap refuses
 * `protochain` after it, so tagged IPv6 SYNs behind extension headers are the one kind left out).
 */
export const SYN_FILTER = `${SYNS} or (ip6 and not ip6[6] == 6 and ip6 protochain 6) or (vlan and (${SYNS}))`;
/** Interface names as the kernel allows them (and `any`). */
const IFACE = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$/;
/** Names libpcap captures on that are no kernel interface: all of them, an index from `tcpdump -D`, its pseudo-devices. */
const PCAP_ONLY = /^(?:any|\d+|nflog(?::\d+)?|nfqueue(?::\d+)?|usbmon\d*|dbus-\w+|bluetooth\S*)$/;
/** Where Linux lists every network interface, those without an address too (a SPAN port often has none). */
const SYS_NET = '/sys/class/net';

/**
 * The machine's interfaces, or null where they cannot be listed (not Linux): then tcpdump is left to say.
 * A typo (`eht0`) is refused here with the names that exist, as the command line's mistake; tcpdump's own
 * words for it ("No such device exists") made it look like a capture failure.
 */
export function knownInterfaces(sysNet = SYS_NET): string[] | null {
  try {
    return readdirSync(sysNet).sort();
  } catch {
    return null;
  }
}

/** Bytes kept per packet: link, IP and TCP headers with options (a VLAN tag and IPv6 included). */
const SNAPLEN = 160;

export interface InterfaceCaptureOptions {
  iface: string;
  /** the tcpdump program (default `tcpdump` on the PATH) */
  tcpdump?: string;
  /** SYNs as they arrive, in batches (one per chunk tcpdump writes) */
  onSyns(syns: SynPacket[]): void;
  /** tcpdump said it is listening */
  onListening?(): void;
  /** where the interfaces are listed (default /sys/class/net; tests point elsewhere) */
  sysNet?: string;
}

export interface InterfaceCapture {
  readonly stats: ReadStats;
  /** resolves when the capture ends after `stop()`; rejects with an AppError when tcpdump could not capture */
  done: Promise<ReadStats>;
  stop(): void;
}

export function captureInterface(o: InterfaceCaptureOptions): InterfaceCapture {
  if (!IFACE.test(o.iface)) {
    throw new AppError('SYN_CAPTURE_INTERFACE', 'bad_request', `syn capture: ${JSON.stringify(o.iface)} is not an interface name; give one that \`ip link\` lists (e.g. eth0)`, { iface: o.iface });
  }
  const known = PCAP_ONLY.test(o.iface) ? null : knownInterfaces(o.sysNet);
  if (known !== null && !known.includes(o.iface)) {
    throw new AppError('SYN_CAPTURE_INTERFACE', 'bad_request', `syn capture: this machine has no network interface ${o.iface}; it has ${known.join(', ')} (or any: all of them)`, { iface: o.iface, interfaces: known });
  }
  const stats = newStats();
  let batch: SynPacket[] = [];
  const parser = new CaptureParser(
    (lt, b, off, end, t) => {
      const s = decodeSyn(lt, b, off, end, t, stats);
      if (s !== null) {
        stats.syns++;
        batch.push(s);
      }
    },
    stats,
    `interface ${o.iface}`,
  );
  const program = o.tcpdump ?? 'tcpdump';
  let child: ChildProcess;
  try {
    // -U: write each packet as it comes; -n: no name lookups; -s: headers only
    child = spawn(program, ['-i', o.iface, '-U', '-n', '-s', String(SNAPLEN), '-w', '-', SYN_FILTER], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw unavailable(program, o.iface, e);
  }
  let stopped = false;
  let stderr = '';
  let parseError: unknown = null;
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
    if (/listening on /.test(d)) o.onListening?.();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    if (parseError !== null) return;
    try {
      parser.push(chunk);
    } catch (e) {
      // a corrupt stream from tcpdump: stop rather than guess where the next record starts
      parseError = e;
      child.kill('SIGTERM');
      return;
    }
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      o.onSyns(out);
    }
  });
  const done = new Promise<ReadStats>((resolve, reject) => {
    child.on('error', (e) => reject(unavailable(program, o.iface, e)));
    child.on('close', (code, signal) => {
      if (parseError !== null) return reject(parseError);
      if (stopped || signal === 'SIGTERM') return resolve(stats);
      const why = lastLine(stderr);
      // exit 0 or a signal: tcpdump was stopped from outside (it exits 0 on SIGINT), not refused
      const message =
        code === 0 || signal !== null
          ? `syn capture on ${o.iface}: tcpdump stopped (${code ?? signal}) without being asked: killed, or its interface went away${why === NO_MESSAGE ? '' : ` (${why})`}`
          : `syn capture on ${o.iface}: tcpdump exited (${code}): ${why}; check the interface name and that this user may capture (root or CAP_NET_RAW)`;
      reject(new AppError('SYN_CAPTURE_FAILED', 'unavailable', message, { iface: o.iface, exitCode: code }));
    });
  });
  return {
    stats,
    done,
    stop: () => {
      stopped = true;
      child.kill('SIGTERM');
    },
  };
}

function lastLine(s: string): string {
  const lines = s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(?:tcpdump: )?(?:listening on|\d+ packets)/.test(l));
  return lines[lines.length - 1] ?? NO_MESSAGE;
}

const NO_MESSAGE = 'no message';

function unavailable(program: string, iface: string, e: unknown): AppError {
  const code = (e as NodeJS.ErrnoException).code;
  const hint = code === 'ENOENT' ? `${program} is not installed: install tcpdump (libpcap), e.g. \`apt-get install tcpdump\`, or set syn.tcpdump` : `cannot start ${program}: ${describeCause(e)}`;
  return new AppError('SYN_CAPTURE_UNAVAILABLE', 'unavailable', `syn capture on ${iface}: ${hint}`, { iface }, e);
}

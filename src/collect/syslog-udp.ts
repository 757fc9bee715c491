import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { peerHost, type RecordSink } from '../core/index.js';
import { Batcher, resolveBatchOptions } from './batcher.js';
import { endpoint } from './endpoint.js';
import { bindOrThrow } from './bind.js';
import { alreadyStarted, checkInt } from './errors.js';
import { RecordEmitter, trimTerminators } from './line-handler.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';
import { copyStats, newStats, type BatchOptions, type Source, type SourceStats } from './source.js';
import { readUdpDrops } from './udp-drops.js';
import { decodeCut, decodeLine } from './utf8.js';

export interface SyslogUdpOptions {
  /** default 0.0.0.0; an IPv6 address binds a udp6 socket */
  host?: string;
  /** 0 picks a free port; see `address()` */
  port: number;
  /** SO_RCVBUF in bytes; the kernel may double it and caps it at net.core.rmem_max */
  recvBufferSize?: number;
  /** longer datagrams keep their first maxMessageBytes bytes, counted `oversize` (default 1 MiB) */
  maxMessageBytes?: number;
  batch?: BatchOptions;
}

/**
 * Syslog over UDP (RFC 5426): one datagram is one message, inner newlines included; trailing
 * LF, CR and NUL bytes are removed. UDP cannot push back, so while the sink is congested datagrams
 * are dropped and counted `queue_full`. `kernel_rcvbuf` reports the kernel's drop counter for the
 * socket, read from /proc/net/udp(6); it stays 0 where that table does not exist.
 */
export class SyslogUdpSource implements Source {
  private readonly host: string;
  private readonly port: number;
  private readonly maxMessageBytes: number;
  private readonly batch: Required<BatchOptions>;
  private readonly counters = newStats();
  private socket: dgram.Socket | null = null;
  private batcher: Batcher | null = null;
  private sink: RecordSink | null = null;
  private emitter: RecordEmitter | null = null;
  private boundPort = 0;
  private kernelDrops = 0;

  constructor(private readonly opts: SyslogUdpOptions) {
    this.host = opts.host ?? '0.0.0.0';
    this.port = checkInt('udp port', opts.port, 0, 65535);
    this.maxMessageBytes = checkInt('udp maxMessageBytes', opts.maxMessageBytes ?? DEFAULT_MAX_LINE_BYTES, 1, 1 << 30);
    if (opts.recvBufferSize !== undefined) checkInt('udp recvBufferSize', opts.recvBufferSize, 1, 1 << 30);
    this.batch = resolveBatchOptions(opts.batch);
  }

  get name(): string {
    return endpoint('udp', this.host, this.boundPort || this.port);
  }

  /** The bound address; valid after start(). */
  address(): { address: string; port: number } {
    if (this.socket === null) return { address: this.host, port: this.boundPort };
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }

  async start(sink: RecordSink): Promise<void> {
    if (this.socket !== null) throw alreadyStarted(this.name);
    const socket = dgram.createSocket({
      type: isIPv6(this.host) ? 'udp6' : 'udp4',
      ...(this.opts.recvBufferSize === undefined ? {} : { recvBufferSize: this.opts.recvBufferSize }),
    });
    await bindOrThrow(socket, (bound) => socket.bind(this.port, this.host, bound), { proto: 'udp', host: this.host, port: this.port });
    this.socket = socket;
    this.sink = sink;
    this.boundPort = socket.address().port;
    this.batcher = new Batcher(sink, this.counters, this.batch);
    this.emitter = new RecordEmitter(this.batcher, this.counters, this.name);
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    // After bind, errors are about single datagrams (e.g. ICMP); the socket keeps receiving.
    socket.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    if (socket === null) return;
    this.refreshKernelDrops();
    this.socket = null;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    await this.batcher?.settle();
  }

  stats(): SourceStats {
    if (this.socket !== null) this.refreshKernelDrops();
    const s = copyStats(this.counters);
    s.drops.kernel_rcvbuf = this.kernelDrops;
    return s;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const emitter = this.emitter!;
    this.counters.bytes += msg.length;
    const end = trimTerminators(msg, 0, msg.length);
    if (end === 0) {
      this.counters.empty++;
      return;
    }
    if (this.sink!.congested) {
      this.counters.received++;
      this.counters.drops.queue_full++;
      return;
    }
    emitter.receivedAt = Date.now();
    emitter.source = endpoint('udp', rinfo.address, rinfo.port);
    // a bare message's host is its sender's address, as rsyslog and syslog-ng give it
    emitter.host = peerHost(rinfo.address);
    if (end > this.maxMessageBytes) decodeCut(emitter, msg, 0, this.maxMessageBytes, 'oversize');
    else decodeLine(emitter, msg, 0, end);
  }

  private refreshKernelDrops(): void {
    // The counter lives with the socket; keep the highest value seen so it survives stop().
    this.kernelDrops = Math.max(this.kernelDrops, readUdpDrops(this.boundPort));
  }
}

import type { Socket } from 'node:net';
import { peerHost, type RecordSink } from '../core/index.js';
import { Batcher } from './batcher.js';
import { endpoint } from './endpoint.js';
import { RecordEmitter } from './line-handler.js';
import type { BatchOptions, SourceStats } from './source.js';
import { TcpFramer } from './tcp-framer.js';

export interface ConnectionOptions {
  proto: 'tcp' | 'tls';
  maxLineBytes: number;
  /** a connection that sends nothing for this long is closed (0: never) */
  idleTimeoutMs: number;
  batch: Required<BatchOptions>;
}

/** A TCP source's counters: a source's, and connections closed for silence. */
export interface TcpStats extends SourceStats {
  /** connections closed after `idleTimeoutMs` without data (a frame in progress is stored, partial) */
  idleClosed: number;
}

/** Keepalive probes start after this long without traffic, so a peer that vanished is noticed. */
const KEEPALIVE_MS = 60_000;

/**
 * One syslog stream. TCP never drops: while the sink is congested or more than `maxInFlight` of this
 * connection's batches await commit, the socket is paused, so the kernel window fills and the sender
 * blocks; reading resumes once there is room again. A connection silent for `idleTimeoutMs` (not
 * counting time it was paused by us) is closed: a client that connects and never sends must not hold a
 * connection slot forever.
 */
export class TcpConnection {
  private readonly batcher: Batcher;
  private readonly emitter: RecordEmitter;
  private readonly framer: TcpFramer;
  private ended = false;
  private waiting = false;

  constructor(
    private readonly socket: Socket,
    sink: RecordSink,
    private readonly stats: TcpStats,
    private readonly opts: ConnectionOptions,
    onClose: (c: TcpConnection) => void,
  ) {
    this.batcher = new Batcher(sink, stats, opts.batch);
    // a bare message's host is its sender's address, as rsyslog and syslog-ng give it
    this.emitter = new RecordEmitter(this.batcher, stats, endpoint(opts.proto, socket.remoteAddress, socket.remotePort), false, peerHost(socket.remoteAddress));
    this.framer = new TcpFramer(this.emitter, opts.maxLineBytes);
    socket.setKeepAlive(true, KEEPALIVE_MS);
    if (opts.idleTimeoutMs > 0) {
      socket.setTimeout(opts.idleTimeoutMs);
      socket.on('timeout', () => this.onIdle());
    }
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.finish());
    // A reset or a failed TLS read still ends in 'close'; the error itself needs no action here.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.finish();
      onClose(this);
    });
  }

  /** Stops reading, stores a frame in progress as partial, waits for this connection's commits. */
  async close(): Promise<void> {
    this.finish();
    this.socket.destroy();
    await this.batcher.settle();
  }

  /** Resolves once every batch of this connection is committed or failed. */
  settle(): Promise<void> {
    return this.batcher.settle();
  }

  private onData(chunk: Buffer): void {
    this.stats.bytes += chunk.length;
    this.emitter.receivedAt = Date.now();
    this.framer.push(chunk);
    if (this.batcher.saturated) this.waitForRoom();
  }

  private waitForRoom(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.socket.pause();
    void this.batcher.room().then(() => {
      this.waiting = false;
      if (this.socket.destroyed) return;
      this.socket.resume();
      // the silence while paused was ours: the idle clock starts again now
      if (this.opts.idleTimeoutMs > 0) this.socket.setTimeout(this.opts.idleTimeoutMs);
    });
  }

  private onIdle(): void {
    if (this.waiting || this.ended) return;
    this.stats.idleClosed++;
    this.finish();
    this.socket.destroy();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.framer.end();
    this.batcher.flush();
  }
}

import type { Socket } from 'node:net';
import type { RecordSink } from '../core/index.js';
import { Batcher } from './batcher.js';
import { endpoint } from './endpoint.js';
import { RecordEmitter } from './line-handler.js';
import type { BatchOptions, SourceStats } from './source.js';
import { TcpFramer } from './tcp-framer.js';

export interface ConnectionOptions {
  proto: 'tcp' | 'tls';
  maxLineBytes: number;
  batch: Required<BatchOptions>;
}

/**
 * One syslog stream. TCP never drops: while the sink is congested or more than `maxInFlight` of this
 * connection's batches await commit, the socket is paused, so the kernel window fills and the sender
 * blocks; reading resumes once there is room again.
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
    private readonly stats: SourceStats,
    opts: ConnectionOptions,
    onClose: (c: TcpConnection) => void,
  ) {
    this.batcher = new Batcher(sink, stats, opts.batch);
    this.emitter = new RecordEmitter(this.batcher, stats, endpoint(opts.proto, socket.remoteAddress, socket.remotePort));
    this.framer = new TcpFramer(this.emitter, opts.maxLineBytes);
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
      if (!this.socket.destroyed) this.socket.resume();
    });
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.framer.end();
    this.batcher.flush();
  }
}

import net from 'node:net';
import tls from 'node:tls';
import { AppError, describeCause, type RecordSink } from '../core/index.js';
import { resolveBatchOptions } from './batcher.js';
import { endpoint } from './endpoint.js';
import { bindOrThrow } from './bind.js';
import { alreadyStarted, checkInt } from './errors.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';
import type { RefusalWhy } from './refusals.js';
import { copyStats, newStats, type BatchOptions, type Source } from './source.js';
import { TcpConnection, type ConnectionOptions, type TcpStats } from './tcp-connection.js';

type Pem = string | Buffer;

/** A client silent this long is gone or stuck: its connection slot is freed. */
const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

export interface SyslogTlsOptions {
  /** PEM contents, not paths: reading files is the caller's business */
  cert: Pem;
  key: Pem;
  /**
   * Mutual TLS: when given, every client must present a certificate these CAs signed (they replace the
   * system's roots); one without, or with another, is refused and counted in `refusedConnections`.
   * One setting, not a CA plus a switch: a CA given without the switch left the port open to anyone.
   */
  ca?: Pem | Pem[];
}

export interface SyslogTcpOptions {
  /** default 0.0.0.0 */
  host?: string;
  /** 0 picks a free port; see `address()` */
  port: number;
  /** RFC 5425 syslog over TLS when given */
  tls?: SyslogTlsOptions;
  /** default 1 MiB; see TcpFramer for what happens beyond */
  maxLineBytes?: number;
  /** further connections are closed at once and counted in `refusedConnections` (default 1000), as are TLS clients refused for their certificate (`tls.ca`) */
  maxConnections?: number;
  /**
   * connections one address may hold open (default 64); more are refused and counted as above, so that one
   * host holding connections open cannot take every slot (a review held 1,000 and the next sender's line was lost)
   */
  maxConnectionsPerAddress?: number;
  /** a connection refused: why, and the peer's address (for a warning; the caller rate-limits it) */
  onRefused?(why: RefusalWhy, address: string): void;
  /** a connection that sends nothing for this long is closed, its frame in progress stored (default 10 minutes; 0: never) */
  idleTimeoutMs?: number;
  batch?: BatchOptions;
}

/** Syslog over TCP (RFC 6587, both framings on one port) or TLS (RFC 5425). */
export class SyslogTcpSource implements Source {
  private readonly host: string;
  private readonly port: number;
  private readonly maxConnections: number;
  private readonly maxPerAddress: number;
  /** open connections per peer address */
  private readonly perAddress = new Map<string, number>();
  private readonly conn: ConnectionOptions;
  private readonly counters: TcpStats = { ...newStats(), idleClosed: 0 };
  private readonly connections = new Set<TcpConnection>();
  /** every accepted socket, TLS ones still in their handshake included, so stop() can end them */
  private readonly sockets = new Set<net.Socket>();
  /** closed connections whose batches are still committing */
  private readonly closing = new Set<TcpConnection>();
  private server: net.Server | null = null;
  private stopping = false;
  private boundPort = 0;

  constructor(private readonly opts: SyslogTcpOptions) {
    this.host = opts.host ?? '0.0.0.0';
    this.port = checkInt('tcp port', opts.port, 0, 65535);
    this.maxConnections = checkInt('tcp maxConnections', opts.maxConnections ?? 1000, 1, 1_000_000);
    this.maxPerAddress = checkInt('tcp maxConnectionsPerAddress', opts.maxConnectionsPerAddress ?? 64, 1, 1_000_000);
    this.conn = {
      proto: opts.tls === undefined ? 'tcp' : 'tls',
      maxLineBytes: checkInt('tcp maxLineBytes', opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 1, 1 << 30),
      idleTimeoutMs: checkInt('tcp idleTimeoutMs', opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, 0, 2_147_483_647),
      batch: resolveBatchOptions(opts.batch),
    };
    // Built once here only to refuse a bad certificate or key at construction, before any bind.
    if (opts.tls !== undefined) checkPem(opts.tls, this.host, this.port);
    this.counters.connections = 0;
    this.counters.refusedConnections = 0;
  }

  get name(): string {
    return endpoint(this.conn.proto, this.host, this.boundPort || this.port);
  }

  /** The bound address; valid after start(). */
  address(): { address: string; port: number } {
    const a = this.server?.address();
    if (a === null || a === undefined || typeof a === 'string') return { address: this.host, port: this.boundPort };
    return { address: a.address, port: a.port };
  }

  async start(sink: RecordSink): Promise<void> {
    if (this.server !== null) throw alreadyStarted(this.name);
    const onSocket = (socket: net.Socket): void => this.accept(socket, sink);
    const t = this.opts.tls;
    const mutual = t?.ca !== undefined;
    const server =
      t === undefined ? net.createServer(onSocket) : tls.createServer({ ...pemOptions(t), requestCert: mutual, rejectUnauthorized: mutual }, onSocket);
    // A TLS server hands over a socket only after its handshake; the raw one is tracked from the start.
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.stopping = false;
    await bindOrThrow(server, (bound) => server.listen(this.port, this.host, bound), { proto: this.conn.proto, host: this.host, port: this.port });
    // Accept errors (e.g. out of file descriptors) are transient: keep listening.
    server.on('error', () => undefined);
    // A failed handshake destroys that socket only; nothing of it reached the framer. A client refused
    // for its certificate is counted; other failures (a plaintext client, a scanner, stop()) are not.
    server.on('tlsClientError', (e: Error, socket: tls.TLSSocket) => {
      if (refusedForCertificate(e, socket)) this.refuse('certificate', socket?.remoteAddress);
    });
    this.server = server;
    const a = server.address();
    this.boundPort = a !== null && typeof a !== 'string' ? a.port : this.port;
  }

  /**
   * Puts a renewed certificate and key (and client CA) in force for the connections that come next; those
   * open keep theirs. Whether client certificates are asked for was fixed at start.
   */
  setTls(t: SyslogTlsOptions): void {
    if (!(this.server instanceof tls.Server)) throw new AppError('COLLECT_TLS_CONFIG_INVALID', 'bad_request', `collect: ${this.name} is not listening over tls; a certificate cannot be put in force`);
    this.server.setSecureContext(pemOptions(t));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    this.stopping = true;
    // server.close() waits for every open socket, those mid-handshake too: they are ended here.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const closing = [...this.connections].map((c) => c.close());
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(closing);
    await Promise.all([...this.closing].map((c) => c.settle()));
    await closed;
  }

  stats(): TcpStats {
    const s: TcpStats = { ...copyStats(this.counters), idleClosed: this.counters.idleClosed };
    s.connections = this.connections.size;
    return s;
  }

  private accept(socket: net.Socket, sink: RecordSink): void {
    // a handshake that completed after stop() began brings no new connection
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const address = socket.remoteAddress ?? '';
    const mine = this.perAddress.get(address) ?? 0;
    if (this.connections.size >= this.maxConnections || mine >= this.maxPerAddress) {
      this.refuse(mine >= this.maxPerAddress ? 'address' : 'total', address);
      socket.destroy();
      return;
    }
    this.perAddress.set(address, mine + 1);
    const connection = new TcpConnection(socket, sink, this.counters, this.conn, (c) => {
      this.connections.delete(c);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
      // Its records may still be committing; a later stop() must not lose sight of them.
      this.closing.add(c);
      void c.settle().then(() => this.closing.delete(c));
    });
    this.connections.add(connection);
  }

  private refuse(why: RefusalWhy, address: string | undefined): void {
    this.counters.refusedConnections = (this.counters.refusedConnections ?? 0) + 1;
    this.opts.onRefused?.(why, address ?? '');
  }
}

/**
 * Whether a failed handshake was a client refused for its certificate: OpenSSL fails one that sent none;
 * one that sent a certificate the CA did not sign completes OpenSSL's handshake and is destroyed by
 * Node, which leaves the reason (e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`) in `authorizationError`.
 */
function refusedForCertificate(e: Error, socket: tls.TLSSocket | undefined): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE' || (socket?.authorizationError ?? null) !== null;
}

function pemOptions(o: SyslogTlsOptions): tls.SecureContextOptions {
  return { cert: o.cert, key: o.key, ...(o.ca === undefined ? {} : { ca: o.ca }) };
}

function checkPem(o: SyslogTlsOptions, host: string, port: number): void {
  if (Array.isArray(o.ca) && o.ca.length === 0) {
    const message = `collect: tls for ${endpoint('tls', host, port)} has an empty ca list, which would refuse every client; give the CA certificates that sign the clients' certificates, or no ca to accept clients without one`;
    throw new AppError('COLLECT_TLS_CONFIG_INVALID', 'bad_request', message);
  }
  try {
    tls.createSecureContext(pemOptions(o));
  } catch (e) {
    const message = `collect: invalid tls certificate or key for ${endpoint('tls', host, port)}: ${describeCause(e)}`;
    throw new AppError('COLLECT_TLS_CONFIG_INVALID', 'bad_request', message, undefined, e);
  }
}
